// Azure Functions entry point: validates configuration at startup and registers the route and timer tables.
import { app } from '@azure/functions';
import { getConfig } from './config';
import { registerFigureProjection } from './figures/projection';
import { registeredMethods, withApiBoundary } from './http/route';
import { routes } from './routes';
import { timers } from './timers';

// A missing or invalid setting stops the app at startup, naming the setting, rather than on a user's request.
getConfig();
// Approvals keep the contract index and statistics rollups current (functions/src/figures/projection.ts).
registerFigureProjection();

app.setup({ enableHttpStream: true });

for (const route of routes) {
  app.http(route.name, {
    methods: registeredMethods(route),
    route: route.route,
    authLevel: 'anonymous',
    handler: withApiBoundary(route),
  });
}

for (const job of timers) {
  app.timer(job.name, {
    schedule: job.schedule,
    // A cold start or scale-out must not run a job outside its schedule.
    runOnStartup: false,
    handler: async (timer, ctx) => {
      try {
        await job.handler(timer, ctx);
      } catch (err) {
        ctx.error(`Timer ${job.name} failed:`, err);
        throw err; // let the runtime record the failure
      }
    },
  });
}
