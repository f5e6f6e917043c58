// The ledger endpoints through the local host over HTTP, and their data surviving an Azurite restart.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { GetRowsResponse, HistoryResponse, PutRowsResponse } from '../../../shared/api';
import { setConfigForTests } from '../../../functions/src/config';
import { approveLedgerRowsRoute } from '../../../functions/src/functions/approveLedgerRows';
import { getLedgerRowRoute } from '../../../functions/src/functions/getLedgerRow';
import { getLedgerRowHistoryRoute } from '../../../functions/src/functions/getLedgerRowHistory';
import { putLedgerRowsRoute } from '../../../functions/src/functions/putLedgerRows';
import { readRow } from '../../../functions/src/store/ledgerStore';
import { startAzurite, type RunningAzurite } from '../../../local/azurite';
import { startApiHost, type ApiHost } from '../../../local/server';
import { CLERK, ledgerApi, REVIEWER, type LedgerApi } from '../../support/ledgerApi';

afterAll(() => setConfigForTests(undefined));

describe('over HTTP through the local host', () => {
  let api: LedgerApi;
  let host: ApiHost;

  beforeAll(async () => {
    api = ledgerApi();
    host = await startApiHost({ port: 0 });
  });
  afterAll(() => host.close());

  const send = async (method: string, url: string, body?: unknown, user = CLERK, raw?: string) =>
    fetch(`${host.url}/${url}`, {
      method,
      headers: { authorization: `Bearer ${await api.token(user.id, user.roles)}`, 'content-type': 'application/json' },
      ...(body === undefined && raw === undefined ? {} : { body: raw ?? JSON.stringify(body) }),
    });

  it('writes, approves, reads and lists history over HTTP', async () => {
    const put = await send('PUT', 'ledgers/customers', {
      rows: [
        { customerId: 'H1', name: 'Http', region: 'East' },
        { customerId: 'H/2', name: 'x', region: 'y' },
      ],
    });
    expect(put.status).toBe(200);
    const results = ((await put.json()) as PutRowsResponse).results;
    expect(results.map((r) => r.status)).toEqual(['created', 'invalid']);

    const approve = await send(
      'POST',
      'ledgers/customers/approvals',
      { rows: [{ key: 'H1', etag: results[0]?.etag }] },
      REVIEWER,
    );
    expect(approve.status).toBe(200);
    expect(await approve.json()).toMatchObject({ results: [{ key: 'H1', status: 'approved' }] });

    const list = await send('GET', 'ledgers/customers?region=East&pageSize=5');
    expect(list.status).toBe(200);
    const rows = ((await list.json()) as GetRowsResponse).rows;
    expect(rows).toEqual([
      expect.objectContaining({
        customerId: 'H1',
        approval: expect.objectContaining({ status: 'approved', approvedBy: REVIEWER.id }) as unknown,
      }),
    ]);

    const one = await send('GET', 'ledgers/customers/H1');
    expect(one.status).toBe(200);
    expect(one.headers.get('etag')).toBe(rows[0]?.etag);

    const history = await send('GET', 'ledgers/customers/H1/history');
    expect(((await history.json()) as HistoryResponse).entries.map((e) => e.action)).toEqual(['created', 'approved']);
  });

  it('answers errors as error bodies: 401, 400 for non-JSON, 404 for an unknown ledger', async () => {
    const noToken = await fetch(`${host.url}/ledgers/customers`);
    expect(noToken.status).toBe(401);
    expect(await noToken.json()).toMatchObject({ error: { code: 'unauthorized' } });
    const notJson = await send('PUT', 'ledgers/customers', undefined, CLERK, 'rows: nope');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: { code: 'invalid_json' } });
    const unknown = await send('GET', 'ledgers/widgets');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});

describe('restart', () => {
  let azurite: RunningAzurite | undefined;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ledgerdesk-restart-'));
  });
  afterAll(async () => {
    await azurite?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps rows, pending changes, approvals and history across an Azurite restart', async () => {
    azurite = await startAzurite({ location: dir });
    const prefix = `r${Date.now().toString(36)}`;
    let api = ledgerApi({ LEDGERDESK_STORAGE_CONNECTION: azurite.connectionString, LEDGERDESK_TABLE_PREFIX: prefix });
    const put = (rows: unknown[]) => api.call(putLedgerRowsRoute, { params: { ledger: 'customers' }, body: { rows } });
    const created = ((await put([{ customerId: 'R1', name: 'Before', region: 'East' }])).jsonBody as PutRowsResponse)
      .results[0];
    const approved = (
      (
        await api.call(approveLedgerRowsRoute, {
          params: { ledger: 'customers' },
          body: { rows: [{ key: 'R1', etag: created?.etag }] },
          user: REVIEWER,
        })
      ).jsonBody as { results: { etag: string }[] }
    ).results[0];
    expect(created?.status).toBe('created');
    await put([{ customerId: 'R1', name: 'After', region: 'East', etag: approved?.etag }]);

    await azurite.stop();
    azurite = await startAzurite({ location: dir });
    api = ledgerApi({ LEDGERDESK_STORAGE_CONNECTION: azurite.connectionString, LEDGERDESK_TABLE_PREFIX: prefix });

    const row = await api.call(getLedgerRowRoute, { params: { ledger: 'customers', key: 'R1' } });
    expect(row.status).toBe(200);
    expect(row.jsonBody).toMatchObject({ name: 'After', approval: { status: 'pending' } });
    const history = (await api.call(getLedgerRowHistoryRoute, { params: { ledger: 'customers', key: 'R1' } }))
      .jsonBody as HistoryResponse;
    expect(history.entries.map((e) => e.action)).toEqual(['created', 'approved', 'updated']);
    expect((await readRow('customers', 'R1'))?.approved).toMatchObject({ name: 'Before' });
  });
});
