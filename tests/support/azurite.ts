// Test support: the one Azurite of a jest run (started by globalSetup), unique table prefixes, and test configuration.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, setConfigForTests, type Config } from '../../functions/src/config';

/** Set by globalSetup for every worker: the connection string of the run's Azurite. */
export const TEST_STORAGE_ENV = 'LEDGERDESK_TEST_STORAGE_CONNECTION';

export function testStorageConnection(): string {
  const connection = process.env[TEST_STORAGE_ENV];
  if (connection === undefined || connection === '') {
    throw new Error(`${TEST_STORAGE_ENV} is not set: run tests through jest (its globalSetup starts Azurite).`);
  }
  return connection;
}

/** A table prefix no other test file uses: letters and digits, starting with a letter. */
export function uniqueTablePrefix(): string {
  return `t${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
}

/**
 * Installs a local-mode configuration against the run's Azurite with a fresh table prefix and a signing key in a
 * temp folder; `env` overrides any setting. Returns the configuration in effect.
 */
export function useTestConfig(env: NodeJS.ProcessEnv = {}): Config {
  const keyDir = mkdtempSync(path.join(os.tmpdir(), 'ledgerdesk-key-'));
  const config = loadConfig({
    LEDGERDESK_MODE: 'local',
    LEDGERDESK_STORAGE_CONNECTION: testStorageConnection(),
    LEDGERDESK_TABLE_PREFIX: uniqueTablePrefix(),
    LEDGERDESK_DEV_SIGNING_KEY_FILE: path.join(keyDir, 'dev-signing-key.json'),
    ...env,
  });
  setConfigForTests(config);
  return config;
}
