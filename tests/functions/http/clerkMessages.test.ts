// The API's 400s in a clerk's words, over HTTP through the local host: "from is required", "2016-13-01 is not a
// date", "from must not be after to" only of two real dates; and GET /api/me, the pane's sign-in check.
import { setConfigForTests } from '../../../functions/src/config';
import { startApiHost, type ApiHost } from '../../../local/server';
import { CLERK, ledgerApi, type LedgerApi } from '../../support/ledgerApi';

afterAll(() => setConfigForTests(undefined));

interface Answer {
  status: number;
  body: { error?: { code: string; message: string; details: { field: string; message: string }[] } } & Record<
    string,
    unknown
  >;
}

describe('error messages and /api/me over HTTP', () => {
  let api: LedgerApi;
  let host: ApiHost;

  beforeAll(async () => {
    api = ledgerApi();
    host = await startApiHost({ port: 0 });
  });
  afterAll(() => host.close());

  const send = async (method: string, url: string, body?: unknown, token?: string | null): Promise<Answer> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token !== null) headers.authorization = `Bearer ${token ?? (await api.token(CLERK.id, CLERK.roles))}`;
    const res = await fetch(`${host.url}/${url}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Answer['body'] };
  };

  it('says a missing from and to are required, once each, without zod phrasing', async () => {
    const res = await send('GET', 'stats?period=month');
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      code: 'invalid',
      message: 'from is required; to is required.',
      details: [
        { field: 'from', message: 'is required' },
        { field: 'to', message: 'is required' },
      ],
    });
  });

  it('names a bad date and does not also call it after to', async () => {
    const res = await send('GET', 'stats?period=month&from=2016-13-01&to=2016-12-31');
    expect(res.status).toBe(400);
    expect(res.body.error?.message).toBe('2016-13-01 is not a date (from must be YYYY-MM-DD).');
    expect(res.body.error?.details).toEqual([{ field: 'from', message: 'must be a calendar date as YYYY-MM-DD' }]);
    expect(JSON.stringify(res.body)).not.toContain('after');
  });

  it('says from must not be after to when both are dates', async () => {
    const res = await send('GET', 'stats?period=month&from=2016-12-31&to=2016-01-01');
    expect(res.status).toBe(400);
    expect(res.body.error?.message).toBe('from must not be after to.');
  });

  it('uses the same words on other endpoints: receivables and a request body', async () => {
    const aging = await send('GET', 'receivables?groupBy=customer');
    expect(aging.status).toBe(400);
    expect(aging.body.error?.message).toBe('asOf is required.');
    const bad = await send('GET', 'receivables?asOf=2016-02-30&groupBy=planet');
    expect(bad.body.error?.message).toBe(
      '2016-02-30 is not a date (asOf must be YYYY-MM-DD); groupBy must be one of customer, contract, region, salesperson.',
    );
    const approvals = await send('POST', 'ledgers/customers/approvals', { rows: [{ key: 'C1' }] }, undefined);
    expect(approvals.status).toBe(403); // a clerk may not approve: authorisation comes before the body
    const reviewer = await api.token('rita.reviewer', ['reviewer']);
    const body = await send('POST', 'ledgers/customers/approvals', { rows: [{ key: 'C1' }] }, reviewer);
    expect(body.status).toBe(400);
    expect(body.body.error?.message).toBe('The request body is invalid: rows[0].etag is required.');
    expect(body.body.error?.details).toEqual([{ field: 'body.rows[0].etag', message: 'is required' }]);
  });

  it('GET /api/me answers who the token names, and 401 without a token', async () => {
    const me = await send('GET', 'me');
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ userId: 'clara.clerk', oid: expect.any(String) as string, roles: ['clerk'] });
    const none = await send('GET', 'me', undefined, await api.token('nora.nobody', []));
    expect(none.status).toBe(200);
    expect(none.body).toMatchObject({ userId: 'nora.nobody', roles: [] });
    const anonymous = await send('GET', 'me', undefined, null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error?.code).toBe('unauthorized');
  });
});
