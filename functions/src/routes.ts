// The one route table: every HTTP function, registered with app.http for Azure and served by the local host.
import { healthRoute } from './functions/health';
import type { Route } from './http/route';

/** Append new routes here (one file per function under functions/, exporting its Route). */
export const routes: Route[] = [healthRoute];
