// Jest globalTeardown: stops the run's Azurite (SIGINT, waits for exit) and removes its temp folder.
import { rm } from 'node:fs/promises';
import './globalSetup';

export default async function globalTeardown(): Promise<void> {
  const running = globalThis.__ledgerdeskAzurite;
  if (running === undefined) return;
  globalThis.__ledgerdeskAzurite = undefined;
  await running.azurite.stop();
  await rm(running.dir, { recursive: true, force: true });
}
