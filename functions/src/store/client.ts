// The only place that builds Azure Storage SDK clients (connection string or keyless token): prefixed tables and
// containers, created on first use, and a ping.
import { RestError, TableClient, TableServiceClient, type TableServiceClientOptions } from '@azure/data-tables';
import { DefaultAzureCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import { BlobServiceClient, type ContainerClient, type StoragePipelineOptions } from '@azure/storage-blob';
import { getConfig, isLoopbackUrl, parseConnectionString, type StorageAccess } from '../config';

/** Azure table names: 3-63 alphanumeric characters starting with a letter. */
const TABLE_NAME = /^[A-Za-z][A-Za-z0-9]{2,62}$/;
/** Azure container names: 3-63 lowercase letters, digits and single hyphens, not starting or ending with a hyphen. */
const CONTAINER_NAME = /^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/;

function tableOptions(connection: string, extra: TableServiceClientOptions = {}): TableServiceClientOptions {
  const endpoint = parseConnectionString(connection).get('tableendpoint');
  // The SDK refuses plain http unless told; only Azurite on this machine is served over http.
  const insecure = endpoint !== undefined && endpoint.startsWith('http:') && isLoopbackUrl(endpoint);
  return { ...extra, allowInsecureConnection: insecure };
}

const credentials = new Map<string, TokenCredential>();
let credentialOverride: TokenCredential | undefined;

/**
 * The token credential for keyless storage: the user-assigned managed identity named by its client ID (what the
 * Function App runs as; no fallback to other credentials), else DefaultAzureCredential (environment, workload or
 * managed identity, Azure CLI, …: a developer's `az login`). One per client ID, shared by every client.
 */
export function storageCredential(access: Extract<StorageAccess, { kind: 'identity' }>): TokenCredential {
  if (credentialOverride !== undefined) return credentialOverride;
  const key = access.managedIdentityClientId ?? '';
  let credential = credentials.get(key);
  if (credential === undefined) {
    credential =
      access.managedIdentityClientId !== undefined
        ? new ManagedIdentityCredential({ clientId: access.managedIdentityClientId })
        : new DefaultAzureCredential();
    credentials.set(key, credential);
  }
  return credential;
}

/** Tests: the credential keyless clients use instead (pass `undefined` to go back to the real ones). */
export function setStorageCredentialForTests(credential: TokenCredential | undefined): void {
  credentialOverride = credential;
}

function tableServiceClient(access: StorageAccess, options: TableServiceClientOptions = {}): TableServiceClient {
  return access.kind === 'identity'
    ? new TableServiceClient(access.tableEndpoint, storageCredential(access), options)
    : TableServiceClient.fromConnectionString(access.connectionString, tableOptions(access.connectionString, options));
}

function blobServiceClient(access: StorageAccess, options: StoragePipelineOptions = {}): BlobServiceClient {
  return access.kind === 'identity'
    ? new BlobServiceClient(access.blobEndpoint, storageCredential(access), options)
    : BlobServiceClient.fromConnectionString(access.connectionString, options);
}

/** Full table name for a logical name: the configured prefix keeps test runs and environments apart. */
export function tableName(logicalName: string): string {
  const name = `${getConfig().tablePrefix}${logicalName}`;
  if (!TABLE_NAME.test(name)) {
    throw new Error(`Table name ${name} is invalid: 3-63 letters or digits, starting with a letter.`);
  }
  return name;
}

/** Full container name for a logical name, prefixed like tables (lowercase: containers allow no capitals). */
export function containerName(logicalName: string): string {
  const name = `${getConfig().tablePrefix.toLowerCase()}-${logicalName}`;
  if (!CONTAINER_NAME.test(name)) {
    throw new Error(`Container name ${name} is invalid: 3-63 lowercase letters, digits and single hyphens.`);
  }
  return name;
}

// Keyed by connection and full name, so a test switching configuration never gets another store's client.
const tables = new Map<string, Promise<TableClient>>();
const containers = new Map<string, Promise<ContainerClient>>();

function cached<T>(map: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    // Do not cache a failed creation (storage briefly down): the next call tries again.
    value.catch(() => map.delete(key));
    map.set(key, value);
  }
  return value;
}

/** Client for the table `prefix + logicalName`, creating the table on first use in this process. */
export function tableClient(logicalName: string): Promise<TableClient> {
  const { storageConnection, storage } = getConfig();
  const name = tableName(logicalName);
  return cached(tables, `${storageConnection}\n${name}`, async () => {
    const client =
      storage.kind === 'identity'
        ? new TableClient(storage.tableEndpoint, name, storageCredential(storage))
        : TableClient.fromConnectionString(storage.connectionString, name, tableOptions(storage.connectionString));
    await client.createTable(); // no-op when it exists
    return client;
  });
}

/** Client for the blob container `prefix-name`, creating the container on first use in this process. */
export function blobContainerClient(logicalName: string): Promise<ContainerClient> {
  const { storageConnection, storage } = getConfig();
  const name = containerName(logicalName);
  return cached(containers, `${storageConnection}\n${name}`, async () => {
    const client = blobServiceClient(storage).getContainerClient(name);
    await client.createIfNotExists();
    return client;
  });
}

/**
 * Resolves when both Table and Blob storage answer an authenticated request; rejects otherwise. No retries and a
 * short timeout: health checks must answer quickly, and a load balancer retries by itself.
 */
export async function pingStorage(timeoutMs = 3000): Promise<void> {
  const { storage } = getConfig();
  const abortSignal = AbortSignal.timeout(timeoutMs);
  const tablesService = tableServiceClient(storage, { retryOptions: { maxRetries: 0 } });
  const blobService = blobServiceClient(storage, { retryOptions: { maxTries: 1, tryTimeoutInMs: timeoutMs } });
  await Promise.all([
    tablesService.listTables({ abortSignal }).byPage({ maxPageSize: 1 }).next(),
    blobService.listContainers({ abortSignal }).byPage({ maxPageSize: 1 }).next(),
  ]);
}

/**
 * A conditional write or transaction failed on its preconditions, not on storage: an ETag moved (412), a key to be
 * created exists (409) or an entity to be updated is gone (404). The caller reads again and decides again.
 */
export function isPreconditionFailure(err: unknown): boolean {
  return err instanceof RestError && (err.statusCode === 409 || err.statusCode === 412 || err.statusCode === 404);
}
