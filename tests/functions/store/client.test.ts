// Tests for functions/src/store/client.ts against the run's Azurite: prefixed tables and containers, caching, ping.
import { setConfigForTests } from '../../../functions/src/config';
import {
  blobContainerClient,
  containerName,
  pingStorage,
  tableClient,
  tableName,
} from '../../../functions/src/store/client';
import { useTestConfig } from '../../support/azurite';

describe('store clients', () => {
  afterEach(() => setConfigForTests(undefined));

  it('creates the prefixed table on first use and stores entities', async () => {
    const { tablePrefix } = useTestConfig();
    const table = await tableClient('customers');
    expect(table.tableName).toBe(`${tablePrefix}customers`);
    await table.createEntity({
      partitionKey: 'p',
      rowKey: 'r1',
      name: 'Acme',
      limitCents: { value: '123456789012', type: 'Int64' },
    });
    const read = await table.getEntity<{ name: string }>('p', 'r1');
    expect(read.name).toBe('Acme');
    expect(await tableClient('customers')).toBe(table); // cached
  });

  it('keeps two prefixes apart in one Azurite', async () => {
    useTestConfig();
    await (await tableClient('things')).createEntity({ partitionKey: 'p', rowKey: 'only-in-a' });
    useTestConfig();
    const b = await tableClient('things');
    const rows = [];
    for await (const e of b.listEntities()) rows.push(e);
    expect(rows).toEqual([]);
  });

  it('creates the prefixed container and stores blobs', async () => {
    const { tablePrefix } = useTestConfig();
    const container = await blobContainerClient('reports');
    expect(container.containerName).toBe(`${tablePrefix.toLowerCase()}-reports`);
    await container.getBlockBlobClient('a.txt').upload('hello', 5);
    const buffer = await container.getBlockBlobClient('a.txt').downloadToBuffer();
    expect(buffer.toString()).toBe('hello');
  });

  it('refuses names storage would refuse', () => {
    useTestConfig();
    expect(() => tableName('bad-name')).toThrow(/Table name/);
    expect(() => containerName('Bad_Name')).toThrow(/Container name/);
  });

  it('pings storage when it answers and rejects quickly when it does not', async () => {
    useTestConfig();
    await expect(pingStorage()).resolves.toBeUndefined();
    useTestConfig({
      LEDGERDESK_STORAGE_CONNECTION:
        'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;TableEndpoint=http://127.0.0.1:1/devstoreaccount1',
    });
    const started = Date.now();
    await expect(pingStorage()).rejects.toBeDefined();
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
