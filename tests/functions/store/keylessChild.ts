// Child process of keyless.test.ts: builds the store's clients from keyless settings (the environment) with a fixed
// token credential, touches a table, a container and the health ping, and prints the token scopes it was asked for.
// A process of its own so NODE_EXTRA_CA_CERTS can make it trust the test's throwaway certificate authority.
import type { AccessToken, TokenCredential } from '@azure/identity';
import {
  blobContainerClient,
  pingStorage,
  setStorageCredentialForTests,
  tableClient,
} from '../../../functions/src/store/client';

const scopes: string[][] = [];
const credential: TokenCredential = {
  getToken(scope: string | string[]): Promise<AccessToken> {
    scopes.push(Array.isArray(scope) ? scope : [scope]);
    return Promise.resolve({ token: 'entra-token-1', expiresOnTimestamp: Date.now() + 3600_000 });
  },
};

async function main(): Promise<void> {
  setStorageCredentialForTests(credential);
  await tableClient('Customers');
  await blobContainerClient('reports');
  await pingStorage();
  process.stdout.write(JSON.stringify({ scopes }));
}

main().catch((err: unknown) => {
  process.stdout.write(JSON.stringify({ error: err instanceof Error ? err.message : String(err) }));
});
