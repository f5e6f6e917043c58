// Bad input battery: malformed requests against the API (mostly over HTTP through the local host) each get a clear error naming what is wrong, and nothing is stored.
import { seenNow } from '../../support/seen';
import type { HistoryResponse, PutRowsResponse } from '../../../shared/api';
import { LEDGERS } from '../../../shared/ledgers';
import { setConfigForTests } from '../../../functions/src/config';
import { approveLedgerRowsRoute } from '../../../functions/src/functions/approveLedgerRows';
import { getLedgerRowHistoryRoute } from '../../../functions/src/functions/getLedgerRowHistory';
import { getLedgerRowsRoute } from '../../../functions/src/functions/getLedgerRows';
import { invoiceCheckRoute } from '../../../functions/src/functions/invoiceCheck';
import { putLedgerRowsRoute } from '../../../functions/src/functions/putLedgerRows';
import { createReportRoute } from '../../../functions/src/functions/reportsCreate';
import { receivablesRoute } from '../../../functions/src/functions/receivables';
import { statsRoute } from '../../../functions/src/functions/stats';
import { DEFAULT_BODY_LIMIT, startApiHost, type ApiHost } from '../../../local/server';
import { MAX_BODY_BYTES } from '../../../functions/src/http/body';
import type { Route } from '../../../functions/src/http/route';
import { listReports } from '../../../functions/src/reports/service';
import { listRows } from '../../../functions/src/services/readRows';
import { CLERK, ledgerApi, REVIEWER, type LedgerApi } from '../../support/ledgerApi';
import { put, seedParents } from '../../support/ledgerFixtures';
import { rawRequest } from '../../support/rawHttp';

type User = { id: string; roles: ('clerk' | 'reviewer' | 'finance' | 'manager' | 'admin')[] };
const MANAGER: User = { id: 'mia.manager', roles: ['manager'] };

interface Case {
  name: string;
  method?: string;
  /** Path under /api/, sent as is (already percent-encoded). */
  path: string;
  body?: string | Buffer;
  /** Content-Type; default application/json when there is a body, `null` for none. */
  contentType?: string | null;
  headers?: Record<string, string | string[]>;
  /** Replaces the Authorization header (the user's token otherwise). */
  authorization?: string | string[];
  user?: User;
  /** Call the handler directly (through the API boundary) instead of over HTTP. */
  direct?: { route: Route; params?: Record<string, string>; query?: Record<string, string> };
  status: number;
  /** The error code, or for per-row/per-key answers the first result's status. */
  code: string;
  /** What the error must name: found in the message, the details' fields and messages, or the row errors. */
  names: string | RegExp;
}

interface Answer {
  status: number;
  text: string;
  json: unknown;
}

const json = (v: unknown): string => JSON.stringify(v);
const rows = (...r: unknown[]): string => json({ rows: r });
/** `size` bytes of valid JSON: one valid new customer, then whitespace. Stored only if it were read and parsed. */
const padded = (size: number): string => {
  const text = rows({ customerId: 'BIG-413', name: 'Big', region: 'East' });
  return text + ' '.repeat(size - text.length);
};
const customer = (over: Record<string, unknown> = {}) => ({
  customerId: 'BAD-C',
  name: 'Bad',
  region: 'East',
  ...over,
});
const contract = (over: Record<string, unknown> = {}) => ({
  contractId: 'BAD-K',
  customerId: 'CU1',
  salespersonId: 'SP1',
  region: 'East',
  signedOn: '2016-11-08',
  ...over,
});
const payment = (over: Record<string, unknown> = {}) => ({
  paymentId: 'BAD-P',
  contractId: 'K1',
  receivedOn: '2016-11-20',
  amount: '10.00',
  ...over,
});
const orderLine = (over: Record<string, unknown> = {}) => ({
  contractId: 'K1',
  lineNo: 9,
  itemCode: 'ITEM-Q',
  quantity: 1,
  unitPrice: '1.00',
  ...over,
});
const delivery = (over: Record<string, unknown> = {}) => ({
  deliveryId: 'BAD-D',
  contractId: 'K1',
  itemCode: 'ITEM-A',
  quantity: 1,
  date: '2016-11-10',
  ...over,
});

/** A PUT of one row to `ledger` that must come back 200 with the row `invalid`, naming `names`. */
function badRow(name: string, ledger: string, row: unknown, names: string | RegExp): Case {
  return { name, method: 'PUT', path: `ledgers/${ledger}`, body: rows(row), status: 200, code: 'invalid', names };
}

function nested(depth: number, open: string, close: string, inner: string): string {
  return open.repeat(depth) + inner + close.repeat(depth);
}

const STATS = 'stats?period=month&from=2016-01-01&to=2016-12-31';

const CASES: Case[] = [
  // ---- bodies ----
  {
    name: 'body not JSON',
    method: 'PUT',
    path: 'ledgers/customers',
    body: 'rows: nope',
    status: 400,
    code: 'invalid_json',
    names: /not valid JSON/,
  },
  {
    name: 'truncated JSON',
    method: 'PUT',
    path: 'ledgers/customers',
    body: '{"rows":[{"customerId":"X1"',
    status: 400,
    code: 'invalid_json',
    names: /not valid JSON/,
  },
  {
    name: 'empty body',
    method: 'PUT',
    path: 'ledgers/customers',
    body: '',
    status: 400,
    code: 'invalid_json',
    names: /empty/,
  },
  {
    name: 'JSON array instead of an object',
    method: 'PUT',
    path: 'ledgers/customers',
    body: json([customer()]),
    status: 400,
    code: 'invalid',
    names: /body.*object/s,
  },
  {
    name: 'JSON string instead of an object',
    method: 'PUT',
    path: 'ledgers/customers',
    body: json('rows'),
    status: 400,
    code: 'invalid',
    names: /body.*object/s,
  },
  {
    name: 'JSON number instead of an object',
    method: 'PUT',
    path: 'ledgers/customers',
    body: '42',
    status: 400,
    code: 'invalid',
    names: /body.*object/s,
  },
  {
    name: 'JSON null instead of an object',
    method: 'PUT',
    path: 'ledgers/customers',
    body: 'null',
    status: 400,
    code: 'invalid',
    names: /body.*object/s,
  },
  {
    name: 'rows missing',
    method: 'PUT',
    path: 'ledgers/customers',
    body: json({ row: [customer()] }),
    status: 400,
    code: 'invalid',
    names: 'body.rows',
  },
  {
    name: 'rows not an array',
    method: 'PUT',
    path: 'ledgers/customers',
    body: json({ rows: customer() }),
    status: 400,
    code: 'invalid',
    names: 'body.rows',
  },
  {
    name: 'rows of strings',
    method: 'PUT',
    path: 'ledgers/customers',
    body: json({ rows: ['BAD-C', 'BAD-D'] }),
    status: 200,
    code: 'invalid',
    names: 'a row must be a JSON object',
  },
  {
    name: 'over 5,000 rows',
    method: 'PUT',
    path: 'ledgers/customers',
    body: json({ rows: Array.from({ length: 5001 }, (_, i) => customer({ customerId: `BAD-${i}` })) }),
    status: 400,
    code: 'invalid',
    names: /body\.rows.*5000/s,
  },
  {
    name: 'extra top-level field',
    method: 'PUT',
    path: 'ledgers/customers',
    body: json({ rows: [customer()], dryRun: true }),
    status: 400,
    code: 'invalid',
    names: 'dryRun',
  },
  {
    name: '10,000 nested arrays inside a row value',
    method: 'PUT',
    path: 'ledgers/customers',
    status: 400,
    code: 'invalid',
    names: /body\.rows\[0\]\.name.*nested more than/s,
  },
  {
    name: '10,000 nested objects inside a row value',
    method: 'PUT',
    path: 'ledgers/customers',
    status: 400,
    code: 'invalid',
    names: /body\.rows\[0\]\.name.*nested more than/s,
  },
  badRow('a huge single string (5 MB)', 'customers', customer({ name: 'x'.repeat(5_000_000) }), /name.*1 MiB/s),
  {
    name: 'body over the host size limit',
    method: 'PUT',
    path: 'ledgers/customers',
    body: Buffer.alloc(DEFAULT_BODY_LIMIT + 1024, 0x20),
    status: 413,
    code: 'payload_too_large',
    names: `${DEFAULT_BODY_LIMIT} bytes`,
  },
  {
    name: '20 MB body: a valid row padded with whitespace (never parsed, so never stored)',
    method: 'PUT',
    path: 'ledgers/customers',
    body: padded(20_000_000),
    status: 413,
    code: 'payload_too_large',
    names: `${MAX_BODY_BYTES} bytes`,
  },
  {
    name: 'handler: 20 MB body (the Azure path, readJsonBody)',
    path: '',
    direct: { route: putLedgerRowsRoute, params: { ledger: 'customers' } },
    body: padded(20_000_000),
    status: 413,
    code: 'payload_too_large',
    names: `${MAX_BODY_BYTES} bytes`,
  },
  {
    name: 'Content-Type application/xml',
    method: 'PUT',
    path: 'ledgers/customers',
    body: '<rows><row customerId="BAD-C"/></rows>',
    contentType: 'application/xml',
    status: 415,
    code: 'unsupported_media_type',
    names: /Content-Type.*application\/xml/s,
  },
  {
    name: 'Content-Type multipart/form-data',
    method: 'PUT',
    path: 'ledgers/customers',
    body: `--b\r\nContent-Disposition: form-data; name="rows"\r\n\r\n${rows(customer())}\r\n--b--\r\n`,
    contentType: 'multipart/form-data; boundary=b',
    status: 415,
    code: 'unsupported_media_type',
    names: /Content-Type.*multipart/s,
  },
  {
    name: 'Content-Type form-urlencoded',
    method: 'PUT',
    path: 'ledgers/customers',
    body: `rows=${encodeURIComponent(rows(customer()))}`,
    contentType: 'application/x-www-form-urlencoded',
    status: 415,
    code: 'unsupported_media_type',
    names: 'Content-Type',
  },
  {
    name: 'UTF-8 BOM before a body with an incomplete row (the BOM is tolerated, the row is not)',
    method: 'PUT',
    path: 'ledgers/customers',
    body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(rows({ customerId: 'BAD-C', name: 'Bad' }))]),
    status: 200,
    code: 'invalid',
    names: 'region',
  },
  {
    name: 'invalid UTF-8 bytes inside a string',
    method: 'PUT',
    path: 'ledgers/customers',
    body: Buffer.concat([
      Buffer.from('{"rows":[{"customerId":"BAD-C","name":"'),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from('","region":"East"}]}'),
    ]),
    status: 400,
    code: 'invalid_encoding',
    names: 'UTF-8',
  },
  {
    name: 'UTF-16LE body with BOM',
    method: 'PUT',
    path: 'ledgers/customers',
    body: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(rows(customer()), 'utf16le')]),
    status: 400,
    code: 'invalid_encoding',
    names: 'UTF-8',
  },
  {
    name: 'UTF-16 declared in the Content-Type charset',
    method: 'PUT',
    path: 'ledgers/customers',
    body: Buffer.from(rows(customer()), 'utf16le'),
    contentType: 'application/json; charset=utf-16',
    status: 415,
    code: 'unsupported_media_type',
    names: 'charset',
  },
  {
    name: 'approvals body: rows empty',
    method: 'POST',
    path: 'ledgers/customers/approvals',
    user: REVIEWER,
    body: json({ rows: [] }),
    status: 400,
    code: 'invalid',
    names: /body\.rows.*empty/s,
  },
  {
    name: 'approvals body: v1.0 bare keys',
    method: 'POST',
    path: 'ledgers/customers/approvals',
    user: REVIEWER,
    body: json({ keys: ['CU1', 'CU2'] }),
    status: 400,
    code: 'etag_required',
    names: 'body.keys',
  },
  {
    name: 'approvals body: a row without its etag',
    method: 'POST',
    path: 'ledgers/customers/approvals',
    user: REVIEWER,
    body: json({ rows: [{ key: 'CU1' }] }),
    status: 400,
    code: 'invalid',
    names: 'body.rows[0].etag',
  },
  {
    name: 'approvals body: over 5,000 rows',
    method: 'POST',
    path: 'ledgers/customers/approvals',
    user: REVIEWER,
    body: json({ rows: Array.from({ length: 5001 }, (_, i) => ({ key: `K${i}`, etag: 'e' })) }),
    status: 400,
    code: 'invalid',
    names: /body\.rows.*5000/s,
  },
  {
    name: 'invoice check: priceTolerancePct as a string',
    method: 'POST',
    path: 'checks/invoices',
    body: json({ priceTolerancePct: '5' }),
    status: 400,
    code: 'invalid',
    names: 'body.priceTolerancePct',
  },
  {
    name: 'invoice check: invoiceNos not an array',
    method: 'POST',
    path: 'checks/invoices',
    body: json({ invoiceNos: 'I1' }),
    status: 400,
    code: 'invalid',
    names: 'body.invoiceNos',
  },

  // ---- parameters ----
  { name: 'pageSize 0', path: 'ledgers/customers?pageSize=0', status: 400, code: 'invalid', names: 'query.pageSize' },
  { name: 'pageSize -1', path: 'ledgers/customers?pageSize=-1', status: 400, code: 'invalid', names: 'query.pageSize' },
  {
    name: 'pageSize 5001',
    path: 'ledgers/customers?pageSize=5001',
    status: 400,
    code: 'invalid',
    names: 'query.pageSize',
  },
  {
    name: 'pageSize abc',
    path: 'ledgers/customers?pageSize=abc',
    status: 400,
    code: 'invalid',
    names: 'query.pageSize',
  },
  {
    name: 'pageSize 1.5',
    path: 'ledgers/customers?pageSize=1.5',
    status: 400,
    code: 'invalid',
    names: 'query.pageSize',
  },
  {
    name: 'continuationToken with illegal characters',
    path: 'ledgers/customers?continuationToken=%3Cscript%3E',
    status: 400,
    code: 'invalid',
    names: 'query.continuationToken',
  },
  {
    name: 'continuationToken not JSON inside',
    path: `ledgers/customers?continuationToken=${Buffer.from('hello').toString('base64url')}`,
    status: 400,
    code: 'invalid',
    names: 'query.continuationToken',
  },
  {
    name: 'continuationToken without nextPartitionKey',
    path: `ledgers/customers?continuationToken=${Buffer.from(Buffer.from('{"nextRowKey":"r|x"}').toString('base64')).toString('base64url')}`,
    status: 400,
    code: 'invalid',
    names: 'query.continuationToken',
  },
  {
    name: 'unknown filter field',
    path: 'ledgers/customers?colour=red',
    status: 400,
    code: 'invalid',
    names: 'query.colour',
  },
  {
    name: 'money filter with 3 decimals',
    path: 'ledgers/customers?creditLimit=1.234',
    status: 400,
    code: 'invalid',
    names: /query\.creditLimit.*decimals/s,
  },
  {
    name: 'money filter not a number',
    path: 'ledgers/customers?creditLimit=lots',
    status: 400,
    code: 'invalid',
    names: 'query.creditLimit',
  },
  {
    name: 'int filter 1.5',
    path: 'ledgers/orderLines?quantity=1.5',
    status: 400,
    code: 'invalid',
    names: 'query.quantity',
  },
  {
    name: 'date filter 2016-02-30',
    path: 'ledgers/contracts?signedOn=2016-02-30',
    status: 400,
    code: 'invalid',
    names: 'query.signedOn',
  },
  {
    name: 'boolean filter maybe',
    path: 'ledgers/deliveries?redeliver=maybe',
    status: 400,
    code: 'invalid',
    names: 'query.redeliver',
  },
  {
    name: 'duplicated filter parameter',
    path: 'ledgers/customers?region=East&region=West',
    status: 400,
    code: 'invalid',
    names: 'region',
  },
  {
    name: 'duplicated pageSize',
    path: 'ledgers/customers?pageSize=1&pageSize=5000',
    status: 400,
    code: 'invalid',
    names: 'pageSize',
  },
  {
    name: 'stats: period missing',
    path: 'stats?from=2016-01-01&to=2016-12-31',
    status: 400,
    code: 'invalid',
    names: 'period',
  },
  {
    name: 'stats: period week',
    path: 'stats?period=week&from=2016-01-01&to=2016-12-31',
    status: 400,
    code: 'invalid',
    names: /period.*month, quarter or year/s,
  },
  { name: 'stats: groupBy country', path: `${STATS}&groupBy=country`, status: 400, code: 'invalid', names: 'groupBy' },
  {
    name: 'stats: from 2016-02-30',
    path: 'stats?period=month&from=2016-02-30&to=2016-12-31',
    status: 400,
    code: 'invalid',
    names: 'from',
  },
  {
    name: 'stats: from after to',
    path: 'stats?period=month&from=2016-12-31&to=2016-01-01',
    status: 400,
    code: 'invalid',
    names: /from.*after/s,
  },
  {
    name: 'stats: range over 20 years',
    path: 'stats?period=year&from=1990-01-01&to=2016-12-31',
    status: 400,
    code: 'invalid',
    names: /to.*20 years/s,
  },
  { name: 'stats: to missing', path: 'stats?period=month&from=2016-01-01', status: 400, code: 'invalid', names: 'to' },
  {
    name: 'stats: from with a time',
    path: 'stats?period=month&from=2016-01-01T00:00:00Z&to=2016-12-31',
    status: 400,
    code: 'invalid',
    names: /from.*YYYY-MM-DD/s,
  },
  {
    name: 'stats: includePending=maybe',
    path: `${STATS}&includePending=maybe`,
    status: 400,
    code: 'invalid',
    names: /includePending.*true or false/s,
  },
  {
    name: 'stats: unknown parameter',
    path: `${STATS}&currency=EUR`,
    status: 400,
    code: 'invalid',
    names: /currency.*not a parameter/s,
  },
  { name: 'stats: duplicated period', path: `${STATS}&period=year`, status: 400, code: 'invalid', names: 'period' },
  { name: 'receivables: asOf missing', path: 'receivables', status: 400, code: 'invalid', names: 'asOf' },
  {
    name: 'receivables: asOf 2016-13-01',
    path: 'receivables?asOf=2016-13-01',
    status: 400,
    code: 'invalid',
    names: 'asOf',
  },
  {
    name: 'receivables: asOf as an Excel serial number',
    path: 'receivables?asOf=42704',
    status: 400,
    code: 'invalid',
    names: 'asOf',
  },
  {
    name: 'receivables: groupBy none',
    path: 'receivables?asOf=2016-11-30&groupBy=none',
    status: 400,
    code: 'invalid',
    names: 'groupBy',
  },
  {
    name: 'receivables: includePending=maybe',
    path: 'receivables?asOf=2016-11-30&includePending=maybe',
    status: 400,
    code: 'invalid',
    names: 'includePending',
  },
  {
    name: 'performance: includePending=yes',
    path: 'contracts/K1/performance?includePending=yes',
    status: 400,
    code: 'invalid',
    names: 'includePending',
  },
  {
    name: 'reports list: period 2016-13',
    path: 'reports?period=2016-13',
    status: 400,
    code: 'invalid',
    names: 'query.period',
  },

  // ---- headers ----
  {
    name: 'Idempotency-Key of 256 characters',
    method: 'PUT',
    path: 'ledgers/customers',
    body: rows(customer()),
    headers: { 'idempotency-key': 'k'.repeat(256) },
    status: 400,
    code: 'invalid',
    names: 'Idempotency-Key',
  },
  {
    name: 'Idempotency-Key empty',
    method: 'PUT',
    path: 'ledgers/customers',
    body: rows(customer()),
    headers: { 'idempotency-key': '' },
    status: 400,
    code: 'invalid',
    names: 'Idempotency-Key',
  },
  {
    name: 'Authorization with another scheme',
    path: 'ledgers/customers',
    authorization: 'Basic YWxpY2U6c2VjcmV0',
    status: 401,
    code: 'unauthorized',
    names: /Authorization.*Bearer/s,
  },
  {
    name: 'Authorization "Bearer" without a token',
    path: 'ledgers/customers',
    authorization: 'Bearer',
    status: 401,
    code: 'unauthorized',
    names: /Bearer <token>/,
  },
  {
    name: 'Authorization "Bearer" and two tokens',
    path: 'ledgers/customers',
    authorization: 'Bearer abc def',
    status: 401,
    code: 'unauthorized',
    names: /Bearer <token>/,
  },
  {
    name: 'Authorization missing',
    path: 'ledgers/customers',
    authorization: '',
    status: 401,
    code: 'unauthorized',
    names: 'Authorization',
  },
  {
    name: 'two Authorization headers (valid + garbage)',
    method: 'PUT',
    path: 'ledgers/customers',
    body: rows(customer()),
    authorization: ['<valid>', 'Bearer garbage'],
    status: 401,
    code: 'unauthorized',
    names: 'Authorization',
  },

  // ---- keys ----
  badRow('key with "/"', 'customers', customer({ customerId: 'BAD/C' }), /customerId.*"\/"/s),
  badRow('key with NUL', 'customers', customer({ customerId: 'BAD\u0000C' }), /customerId.*U\+0000/s),
  badRow('key ".."', 'customers', customer({ customerId: '..' }), /customerId.*"\.\."/s),
  badRow('key "."', 'customers', customer({ customerId: '.' }), /customerId.*"\."/s),
  badRow('key over 100 characters', 'customers', customer({ customerId: 'K'.repeat(101) }), /customerId.*100/s),
  badRow('key line number 0', 'orderLines', orderLine({ lineNo: 0 }), 'lineNo'),
  {
    name: 'GET a key with URL-encoded "/"',
    path: 'ledgers/customers/CU1%2Fx',
    status: 404,
    code: 'not_found',
    names: 'CU1/x',
  },
  { name: 'GET a key with %00', path: 'ledgers/customers/CU1%00', status: 404, code: 'not_found', names: 'CU1\u0000' },
  {
    name: 'GET history through "%2E%2E"',
    path: 'ledgers/customers/%2E%2E/history',
    status: 404,
    code: 'not_found',
    names: 'history',
  },
  {
    name: 'GET a key over 100 characters',
    path: `ledgers/customers/${'K'.repeat(101)}`,
    status: 404,
    code: 'not_found',
    names: 'K'.repeat(101),
  },
  {
    name: 'GET a compound key without ~lineNo',
    path: 'ledgers/orderLines/K1',
    status: 404,
    code: 'not_found',
    names: 'K1',
  },
  {
    name: 'GET a compound key ~0',
    path: 'ledgers/orderLines/K1~0/history',
    status: 404,
    code: 'not_found',
    names: 'K1~0',
  },
  {
    name: 'approve a compound key without ~lineNo',
    method: 'POST',
    path: 'ledgers/orderLines/approvals',
    user: REVIEWER,
    body: json({ rows: [{ key: 'K1', etag: 'e' }] }),
    status: 200,
    code: 'notFound',
    names: 'K1',
  },
  { name: 'unknown ledger', path: 'ledgers/widgets', status: 404, code: 'not_found', names: 'widgets' },

  // ---- types ----
  badRow('string quantity', 'orderLines', orderLine({ quantity: '3' }), /quantity.*whole number/s),
  badRow('boolean amount', 'payments', payment({ amount: true }), /amount.*decimal/s),
  badRow('object as a field', 'customers', customer({ name: { first: 'A' } }), /name.*text/s),
  badRow('array as a field', 'customers', customer({ region: ['East'] }), /region.*text/s),
  badRow('string "1" as a line number', 'orderLines', orderLine({ lineNo: '9' }), 'lineNo'),
  badRow('"yes" as a boolean', 'deliveries', delivery({ redeliver: 'yes' }), /redeliver.*true or false/s),
  badRow('unknown field in a row', 'customers', customer({ colour: 'red' }), /colour.*not a field/s),
  badRow('status not in the list', 'contracts', contract({ status: 'open' }), /status.*active/s),

  // ---- dates ----
  badRow('date 2016-02-30', 'contracts', contract({ signedOn: '2016-02-30' }), 'signedOn'),
  badRow('date 2016-2-3', 'contracts', contract({ signedOn: '2016-2-3' }), 'signedOn'),
  badRow('date with a time', 'contracts', contract({ signedOn: '2016-11-08T10:00:00Z' }), 'signedOn'),
  badRow('Excel serial number as a date', 'contracts', contract({ signedOn: 42682 }), /signedOn.*YYYY-MM-DD/s),
  badRow('Excel serial number as date text', 'contracts', contract({ signedOn: '42682' }), 'signedOn'),
  badRow('date as DD.MM.YYYY', 'payments', payment({ receivedOn: '20.11.2016' }), 'receivedOn'),

  // ---- money ----
  badRow('amount with 3 decimals', 'payments', payment({ amount: '10.001' }), /amount.*2 decimals/s),
  badRow('amount NaN', 'payments', payment({ amount: 'NaN' }), 'amount'),
  badRow('amount Infinity', 'payments', payment({ amount: 'Infinity' }), 'amount'),
  {
    name: 'amount 1e400 (a JSON number beyond doubles)',
    method: 'PUT',
    path: 'ledgers/payments',
    body: '{"rows":[{"paymentId":"BAD-P","contractId":"K1","receivedOn":"2016-11-20","amount":1e400}]}',
    status: 200,
    code: 'invalid',
    names: /amount.*decimal number/s,
  },
  badRow('amount "1e3"', 'payments', payment({ amount: '1e3' }), /amount.*exponent/s),
  badRow('amount "1,000.00"', 'payments', payment({ amount: '1,000.00' }), /amount.*thousands/s),
  badRow('zero payment', 'payments', payment({ amount: '0.00' }), /amount.*must not be 0/s),
  badRow(
    'zero expense',
    'expenses',
    { expenseId: 'BAD-E', salespersonId: 'SP1', category: 'travel', incurredOn: '2016-11-01', amount: 0 },
    /amount.*greater than 0/s,
  ),
  badRow('amount 10.005 as a JSON number', 'payments', payment({ amount: 10.005 }), /amount.*2 decimals/s),
  badRow('unit price with 5 decimals', 'orderLines', orderLine({ unitPrice: '1.23456' }), /unitPrice.*4 decimals/s),
  badRow(
    'commission rate 1.5',
    'salespeople',
    { salespersonId: 'BAD-S', name: 'S', region: 'East', commissionRate: '1.5' },
    /commissionRate.*between 0 and 1/s,
  ),
  badRow(
    'amount too large for cents',
    'payments',
    payment({ amount: '99999999999999999999.00' }),
    /amount.*too large/s,
  ),

  // ---- references ----
  badRow('contract with a dangling customer', 'contracts', contract({ customerId: 'NOPE' }), 'customerId'),
  badRow('contract with a dangling salesperson', 'contracts', contract({ salespersonId: 'NOPE' }), 'salespersonId'),
  badRow('delivery with a dangling contract', 'deliveries', delivery({ contractId: 'NOPE' }), 'contractId'),
  badRow('payment with a dangling invoice', 'payments', payment({ invoiceNo: 'NOPE' }), 'invoiceNo'),
  badRow('delivery of an item not on the contract', 'deliveries', delivery({ itemCode: 'ITEM-Z' }), 'itemCode'),
  badRow(
    'invoice line of a dangling invoice',
    'invoiceLines',
    { invoiceNo: 'NOPE', lineNo: 1, itemCode: 'ITEM-A', quantity: 1, unitPrice: '1' },
    'invoiceNo',
  ),
  badRow(
    'expense of a dangling salesperson',
    'expenses',
    { expenseId: 'BAD-E', salespersonId: 'NOPE', category: 'travel', incurredOn: '2016-11-01', amount: '1.00' },
    'salespersonId',
  ),
  badRow('return without a reason', 'deliveries', delivery({ kind: 'return' }), 'returnReason'),

  // ---- oversize ----
  badRow('text of 32,001 characters', 'customers', customer({ name: 'n'.repeat(32_001) }), /name.*32000/s),
  badRow(
    'row over 1 MiB (many long unknown fields)',
    'customers',
    customer(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f${i}`, 'y'.repeat(30_000)]))),
    /1 MiB/,
  ),

  // ---- prototype-pollution keys ----
  {
    name: '__proto__ at the top level of the body',
    method: 'PUT',
    path: 'ledgers/customers',
    body: `{"rows":[],"__proto__":{"polluted":true}}`,
    status: 400,
    code: 'invalid',
    names: '__proto__',
  },
  {
    name: 'constructor at the top level of the body',
    method: 'PUT',
    path: 'ledgers/customers',
    body: `{"rows":[],"constructor":{"prototype":{"polluted":true}}}`,
    status: 400,
    code: 'invalid',
    names: 'constructor',
  },
  {
    name: 'prototype at the top level of the body',
    method: 'PUT',
    path: 'ledgers/customers',
    body: `{"rows":[],"prototype":{"polluted":true}}`,
    status: 400,
    code: 'invalid',
    names: 'prototype',
  },
  {
    name: '__proto__ inside a row',
    method: 'PUT',
    path: 'ledgers/customers',
    body: `{"rows":[{"customerId":"BAD-C","name":"B","region":"East","__proto__":{"polluted":true}}]}`,
    status: 200,
    code: 'invalid',
    names: /__proto__.*not a field/s,
  },
  badRow(
    'constructor inside a row',
    'customers',
    customer({ constructor: { prototype: { polluted: true } } }),
    /constructor.*not a field/s,
  ),
  badRow('prototype inside a row', 'customers', customer({ prototype: { polluted: true } }), /prototype.*not a field/s),
  {
    name: '__proto__ as a filter name',
    path: 'ledgers/customers?__proto__=x',
    status: 400,
    code: 'invalid',
    names: 'query.__proto__',
  },
  {
    name: 'constructor as a filter name',
    path: 'ledgers/customers?constructor=x',
    status: 400,
    code: 'invalid',
    names: 'query.constructor',
  },
  {
    name: '__proto__ as a stats parameter',
    path: `${STATS}&__proto__=x`,
    status: 400,
    code: 'invalid',
    names: '__proto__',
  },
  { name: '__proto__ as a ledger name', path: 'ledgers/__proto__', status: 404, code: 'not_found', names: '__proto__' },
  {
    name: 'constructor as a ledger name',
    method: 'PUT',
    path: 'ledgers/constructor',
    body: rows(customer()),
    status: 404,
    code: 'not_found',
    names: 'constructor',
  },
  {
    name: 'hasOwnProperty as a ledger name',
    path: 'ledgers/hasOwnProperty/x/history',
    status: 404,
    code: 'not_found',
    names: 'hasOwnProperty',
  },
  {
    name: 'approve the key __proto__ (no such row)',
    method: 'POST',
    path: 'ledgers/customers/approvals',
    user: REVIEWER,
    body: json({
      rows: [
        { key: '__proto__', etag: 'e' },
        { key: 'constructor', etag: 'e' },
      ],
    }),
    status: 200,
    code: 'notFound',
    names: '__proto__',
  },

  // ---- straight into the handlers (no host in between) ----
  {
    name: 'handler: body not JSON',
    path: '',
    direct: { route: putLedgerRowsRoute, params: { ledger: 'customers' } },
    body: '{rows:[]}',
    status: 400,
    code: 'invalid_json',
    names: /not valid JSON/,
  },
  {
    name: 'handler: __proto__ at the top level',
    path: '',
    direct: { route: putLedgerRowsRoute, params: { ledger: 'customers' } },
    body: `{"__proto__":{"rows":[]}}`,
    status: 400,
    code: 'invalid',
    names: '__proto__',
  },
  {
    name: 'handler: __proto__ as ledger',
    path: '',
    direct: { route: getLedgerRowsRoute, params: { ledger: '__proto__' } },
    status: 404,
    code: 'not_found',
    names: '__proto__',
  },
  {
    name: 'handler: toString as a filter name',
    path: '',
    direct: { route: getLedgerRowsRoute, params: { ledger: 'customers' }, query: { toString: 'x' } },
    status: 400,
    code: 'invalid',
    names: 'query.toString',
  },
  {
    name: 'handler: history key with "#"',
    path: '',
    direct: { route: getLedgerRowHistoryRoute, params: { ledger: 'customers', key: 'CU1#x' } },
    status: 404,
    code: 'not_found',
    names: 'CU1#x',
  },
  {
    name: 'handler: approvals extra field',
    path: '',
    user: REVIEWER,
    direct: { route: approveLedgerRowsRoute, params: { ledger: 'customers' } },
    body: json({ rows: [{ key: 'CU1', etag: 'e' }], all: true }),
    status: 400,
    code: 'invalid',
    names: 'all',
  },
  {
    name: 'handler: stats period quarterly',
    path: '',
    direct: { route: statsRoute, query: { period: 'quarterly', from: '2016-01-01', to: '2016-12-31' } },
    status: 400,
    code: 'invalid',
    names: 'period',
  },
  {
    name: 'handler: receivables asOf 2016-11-31',
    path: '',
    direct: { route: receivablesRoute, query: { asOf: '2016-11-31' } },
    status: 400,
    code: 'invalid',
    names: 'asOf',
  },
  {
    name: 'handler: invoice check includePending "yes"',
    path: '',
    direct: { route: invoiceCheckRoute },
    body: json({ includePending: 'yes' }),
    status: 400,
    code: 'invalid',
    names: 'includePending',
  },
  {
    name: 'handler: report period 2016-13',
    path: '',
    user: MANAGER,
    direct: { route: createReportRoute },
    body: json({ period: '2016-13' }),
    status: 400,
    code: 'invalid',
    names: 'body.period',
  },
  {
    name: 'handler: report period with extra field',
    path: '',
    user: MANAGER,
    direct: { route: createReportRoute },
    body: json({ period: '2016-11', force: true }),
    status: 400,
    code: 'invalid',
    names: 'force',
  },
  {
    name: 'handler: report period a number',
    path: '',
    user: MANAGER,
    direct: { route: createReportRoute },
    body: json({ period: 201611 }),
    status: 400,
    code: 'invalid',
    names: 'body.period',
  },
];

// The two deep-nesting cases carry their body as text: 10,000 levels is built as a string, not an object.
for (const c of CASES) {
  if (c.name === '10,000 nested arrays inside a row value')
    c.body = `{"rows":[{"customerId":"BAD-C","region":"East","name":${nested(10_000, '[', ']', '"x"')}}]}`;
  if (c.name === '10,000 nested objects inside a row value')
    c.body = `{"rows":[{"customerId":"BAD-C","region":"East","name":${nested(10_000, '{"a":', '}', '1')}}]}`;
}

/** A stack frame, a source path or an exception name in a response means internals leaked. */
const LEAK = /\bat [\w.<>]+ \(|\bat \/|\/work\/|node_modules|\.ts:\d+|\.js:\d+|TypeError|RangeError|SyntaxError/;

let api: LedgerApi;
let host: ApiHost;
let before: string;

/** Every row of every ledger (with etags and approval), the seeded rows' histories, and the reports made. */
async function snapshot(): Promise<string> {
  const ledgers = await Promise.all(
    LEDGERS.map(async (l) => [
      l.name,
      await listRows(l.name, { pageSize: 5000, continuationToken: undefined, filter: '' }),
    ]),
  );
  const histories = await Promise.all(
    (['CU1', 'CU2'] as const).map(async (key) => {
      const res = await api.call(getLedgerRowHistoryRoute, { params: { ledger: 'customers', key } });
      return (res.jsonBody as HistoryResponse).entries;
    }),
  );
  return json({ ledgers, histories, reports: await listReports() });
}

function send(c: Case, token: string): Promise<Answer> {
  // A plain record: OutgoingHttpHeaders types Authorization as one string, but node sends an array as repeated lines.
  const headers: Record<string, string | string[] | number> = { ...(c.headers ?? {}) };
  const auth = c.authorization ?? `Bearer ${token}`;
  if (auth !== '')
    headers.authorization = Array.isArray(auth) ? auth.map((a) => (a === '<valid>' ? `Bearer ${token}` : a)) : auth;
  if (c.body !== undefined) {
    if (c.contentType !== null) headers['content-type'] = c.contentType ?? 'application/json';
    headers['content-length'] = Buffer.byteLength(c.body);
  }
  return rawRequest(host.port, { method: c.method ?? 'GET', path: c.path, headers, body: c.body });
}

async function direct(c: Case): Promise<Answer> {
  const d = c.direct!;
  const res = await api.call(d.route, {
    params: d.params ?? {},
    query: d.query ?? {},
    ...(c.body === undefined ? {} : { rawBody: c.body.toString() }),
    user: c.user ?? CLERK,
  });
  return { status: res.status ?? 200, text: json(res.jsonBody ?? null), json: res.jsonBody };
}

/** The code and everything the answer names: the error's message and details, or the first result's status and errors. */
function verdict(a: Answer): { code: string | undefined; said: string } {
  const body = a.json as {
    error?: { code: string; message: string; details?: unknown[] };
    results?: { key: string | null; status: string; errors?: unknown[] }[];
  };
  const list = (items: unknown[] | undefined): string =>
    (items ?? [])
      .map((d) => {
        const { field, message } = d as { field?: string; message?: string };
        return `${field ?? ''}: ${message ?? ''}`;
      })
      .join('; ');
  if (body?.error) return { code: body.error.code, said: `${body.error.message} ${list(body.error.details)}` };
  const first = body?.results?.[0];
  if (first) return { code: first.status, said: `${first.key ?? ''} ${list(first.errors)}` };
  return { code: undefined, said: a.text };
}

beforeAll(async () => {
  api = ledgerApi();
  host = await startApiHost({ port: 0 });
  await seedParents(api);
  await put(api, 'invoices', [{ invoiceNo: 'I1', contractId: 'K1', issuedOn: '2016-11-10' }]);
  before = await snapshot();
}, 60_000);

afterAll(async () => {
  await host.close();
  setConfigForTests(undefined);
});

describe('bad input battery', () => {
  it('has at least 60 distinct cases', () => {
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
    expect(CASES.length).toBeGreaterThanOrEqual(60);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const user = c.user ?? CLERK;
    const answer = c.direct ? await direct(c) : await send(c, await api.token(user.id, user.roles));
    const { code, said } = verdict(answer);
    expect({ status: answer.status, code }).toEqual({ status: c.status, code: c.code });
    if (typeof c.names === 'string') expect(said).toContain(c.names);
    else expect(said).toMatch(c.names);
    expect(answer.text).not.toMatch(LEAK);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Parsed, so a difference shows as a diff of rows rather than of one long string.
    expect(JSON.parse(await snapshot())).toEqual(JSON.parse(before));
  });
});

describe('prototype-pollution names as row keys are ordinary keys', () => {
  it('stores, reads back and lists history for __proto__ and constructor without touching prototypes', async () => {
    const res = await api.call(putLedgerRowsRoute, {
      params: { ledger: 'customers' },
      rawBody: rows(customer({ customerId: '__proto__' }), customer({ customerId: 'constructor', name: 'Ctor' })),
    });
    expect((res.jsonBody as PutRowsResponse).results.map((r) => [r.key, r.status])).toEqual([
      ['__proto__', 'created'],
      ['constructor', 'created'],
    ]);
    for (const [key, name] of [
      ['__proto__', 'Bad'],
      ['constructor', 'Ctor'],
    ] as const) {
      const one = await send(
        { name: key, path: `ledgers/customers/${key}`, status: 200, code: '', names: '' },
        await api.token(CLERK.id, CLERK.roles),
      );
      expect(one.status).toBe(200);
      expect(one.json).toMatchObject({ customerId: key, name, region: 'East' });
      const history = await send(
        { name: key, path: `ledgers/customers/${key}/history`, status: 200, code: '', names: '' },
        await api.token(CLERK.id, CLERK.roles),
      );
      expect((history.json as HistoryResponse).entries.map((e) => e.action)).toEqual(['created']);
    }
    const approved = await api.call(approveLedgerRowsRoute, {
      params: { ledger: 'customers' },
      body: { rows: await seenNow('customers', ['__proto__']) },
      user: REVIEWER,
    });
    expect(approved.jsonBody).toMatchObject({ results: [{ key: '__proto__', status: 'approved' }] });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });
});

describe('request size: 8 MiB, refused before parsing', () => {
  const envelope = {
    error: {
      code: 'payload_too_large',
      message: `The request body is larger than ${MAX_BODY_BYTES} bytes, the most the API reads in one request; send fewer rows per request.`,
      details: [],
    },
  };

  it('answers a 20 MB chunked body (no Content-Length) with 413 and the error envelope, and stores nothing', async () => {
    const token = await api.token(CLERK.id, CLERK.roles);
    const answer = await rawRequest(host.port, {
      method: 'PUT',
      path: 'ledgers/customers',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body: padded(20_000_000),
    });
    expect(answer.status).toBe(413);
    expect(answer.headers['content-type']).toMatch(/application\/json/);
    expect(answer.json).toEqual(envelope);
    const res = await api.call(getLedgerRowsRoute, {
      params: { ledger: 'customers' },
      query: { customerId: 'BIG-413' },
    });
    expect(res.jsonBody).toMatchObject({ rows: [] });
  });

  it('refuses on a declared Content-Length over the limit before reading the body (the Azure path)', async () => {
    const res = await api.call(putLedgerRowsRoute, {
      params: { ledger: 'customers' },
      rawBody: rows(customer({ customerId: 'BIG-DECLARED' })),
      headers: { 'content-length': String(MAX_BODY_BYTES + 1) },
    });
    expect(res.status).toBe(413);
    expect(res.jsonBody).toEqual(envelope);
  });

  it('reads and stores a body just under the limit, over HTTP and through the handler', async () => {
    const token = await api.token(CLERK.id, CLERK.roles);
    const under = (key: string): string => {
      const text = rows(customer({ customerId: key }));
      return text + ' '.repeat(MAX_BODY_BYTES - text.length);
    };
    const http = await rawRequest(host.port, {
      method: 'PUT',
      path: 'ledgers/customers',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'content-length': MAX_BODY_BYTES,
      },
      body: under('UNDER-HTTP'),
    });
    expect(http.status).toBe(200);
    expect(http.json).toMatchObject({ results: [{ key: 'UNDER-HTTP', status: 'created' }] });
    const direct = await api.call(putLedgerRowsRoute, {
      params: { ledger: 'customers' },
      rawBody: under('UNDER-DIRECT'),
    });
    expect(direct.jsonBody).toMatchObject({ results: [{ key: 'UNDER-DIRECT', status: 'created' }] });
  });
});
