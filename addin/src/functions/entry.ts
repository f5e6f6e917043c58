// functions.js, the manifest's custom functions Script: associates the LEDGERDESK functions. In the shared runtime
// Excel loads taskpane.html instead, whose taskpane.js associates them the same way (taskpane.tsx).
import { registerLedgerdeskFunctions } from './functions';

if (typeof CustomFunctions !== 'undefined') registerLedgerdeskFunctions(CustomFunctions);
