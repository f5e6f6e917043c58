// Jest globalSetup: starts ONE Azurite for the whole run on free ports in a temp folder; workers inherit its address.
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startAzurite, type RunningAzurite } from '../../local/azurite';
import { TEST_STORAGE_ENV } from './azurite';

export interface TestAzurite {
  azurite: RunningAzurite;
  dir: string;
}

declare global {
  // Shared with globalTeardown, which runs in the same process.
  var __ledgerdeskAzurite: TestAzurite | undefined;
}

export default async function globalSetup(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ledgerdesk-azurite-'));
  const azurite = await startAzurite({ location: dir });
  globalThis.__ledgerdeskAzurite = { azurite, dir };
  // Workers are forked after globalSetup and inherit process.env.
  process.env[TEST_STORAGE_ENV] = azurite.connectionString;
  // Also the app's own setting, so code reading configuration from the environment never reaches real storage.
  process.env.LEDGERDESK_STORAGE_CONNECTION = azurite.connectionString;
}
