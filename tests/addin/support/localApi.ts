// Test support: the real API host on the run's Azurite (own table prefix), and HTTP clients signed in as test users.
import { createHttpApiClient, devTokenProvider, type LedgerApiClient } from '../../../addin/flows/apiClient';
import { signDevToken } from '../../../functions/src/auth/devKey';
import type { Role } from '../../../functions/src/auth/roles';
import { startApiHost } from '../../../local/server';
import { useTestConfig } from '../../support/azurite';

export interface LocalApi {
  url: string;
  token(user: string, roles: Role[]): Promise<string>;
  client(user: string, roles: Role[]): Promise<LedgerApiClient>;
  close(): Promise<void>;
}

export async function startLocalApi(env: NodeJS.ProcessEnv = {}): Promise<LocalApi> {
  const config = useTestConfig(env);
  if (config.auth.mode !== 'local') throw new Error('tests run the API in local mode');
  const keyFile = config.auth.signingKeyFile;
  const host = await startApiHost({ port: 0 });
  const token = (user: string, roles: Role[]) => signDevToken(keyFile, { user, roles });
  return {
    url: host.url,
    token,
    client: async (user, roles) =>
      createHttpApiClient({ baseUrl: host.url, tokens: devTokenProvider(await token(user, roles)) }),
    close: () => host.close(),
  };
}
