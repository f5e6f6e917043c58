// Fault-test helper (not a test): the local API host alone in its own process, so a test can SIGKILL it mid-request.
import { getConfig } from '../../../functions/src/config';
import { registerFigureProjection } from '../../../functions/src/figures/projection';
import { startApiHost } from '../../../local/server';

async function main(): Promise<void> {
  const config = getConfig(); // from the environment the test passes, like `npm start`
  registerFigureProjection(); // approvals keep rollups current, as in the app
  const host = await startApiHost({ port: config.port, host: '127.0.0.1' });
  process.stdout.write(`READY ${host.url}\n`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
