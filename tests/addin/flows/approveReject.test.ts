// Tests addin/flows/approve.ts and review.ts: approving the version the sheet shows (etags), rejecting with a reason,
// the maker's pull and republish, the review queue's pages and the sheet row of a change; against the local API.
import type { LedgerApiClient } from '../../../addin/flows/apiClient';
import {
  approveRows,
  CHANGED_MESSAGE,
  decideChanges,
  decisionMessage,
  checkReason,
  tookEffect,
} from '../../../addin/flows/approve';
import { resolveConflict } from '../../../addin/flows/conflicts';
import { fingerprint } from '../../../addin/flows/hash';
import { publish } from '../../../addin/flows/publish';
import { pull } from '../../../addin/flows/pull';
import { fieldChanges, reviewPage, selectChangeRow } from '../../../addin/flows/review';
import { setupLedgerSheets } from '../../../addin/flows/setup';
import { serverRowCells } from '../../../addin/flows/conflicts';
import { createMemoryWorkbook } from '../../../addin/excel/memoryWorkbook';
import { MAX_KEYS_PER_APPROVAL, type PutRowsResponse, type ReadRow } from '../../../shared/api';
import { keyOf, type LedgerName } from '../../../shared/ledgers';
import { cell, ledgerWorkbook, setCell } from '../support/ledgerWorkbook';
import { startLocalApi, type LocalApi } from '../support/localApi';

/** Wraps a client, counting the rows sent per approve and reject request. */
function counting(client: LedgerApiClient): { client: LedgerApiClient; approvals: number[]; rejections: number[] } {
  const approvals: number[] = [];
  const rejections: number[] = [];
  return {
    approvals,
    rejections,
    client: {
      ...client,
      approve: (ledger, rows) => {
        approvals.push(rows.length);
        return client.approve(ledger, rows);
      },
      reject: (ledger, rows) => {
        rejections.push(rows.length);
        return client.reject(ledger, rows);
      },
    },
  };
}

describe('approve and reject against the local API', () => {
  let api: LocalApi;
  let clerk: LedgerApiClient;
  let reviewer: LedgerApiClient;

  beforeAll(async () => {
    api = await startLocalApi();
    clerk = await api.client('clara.clerk', ['clerk', 'finance']);
    reviewer = await api.client('rita.reviewer', ['reviewer']);
  });
  afterAll(async () => {
    await api.close();
  });

  const serverRow = async (ledger: LedgerName, region: string, key: string): Promise<ReadRow> => {
    const rows = (await reviewer.getRows(ledger, { region })).rows;
    const row = rows.find((r) => keyOf(ledger, r) === key);
    if (row === undefined) throw new Error(`${key} is not on the server`);
    return row;
  };

  it('a row changed after the reviewer read it answers changed: nothing approved, etag kept, the row says so', async () => {
    const maker = await ledgerWorkbook({ customers: [{ customerId: 'RA1', name: 'Seen', region: 'RevA' }] });
    expect((await publish(maker, clerk)).counts.created).toBe(1);
    const rev = createMemoryWorkbook();
    await setupLedgerSheets(rev);
    await pull(rev, reviewer, { ledgers: ['customers'], filters: { region: 'RevA' } });
    const seenEtag = cell(rev, 'customers', 0, 'ETag');
    expect(String(seenEtag)).toMatch(/^W\//);

    // The clerk changes the row after the reviewer read it.
    setCell(maker, 'customers', 0, 'Name', 'Unseen change');
    expect((await publish(maker, clerk)).counts.updated).toBe(1);

    const stale = await approveRows(rev, reviewer, { ledger: 'customers', rows: [0] }, 'rita.reviewer');
    expect(stale.counts).toMatchObject({ approved: 0, changed: 1 });
    expect(stale.outcomes).toEqual([
      {
        ledger: 'customers',
        key: 'RA1',
        row: 0,
        address: 'Customers!A2',
        column: 'Customer ID',
        status: 'changed',
        message: CHANGED_MESSAGE,
      },
    ]);
    expect(cell(rev, 'customers', 0, 'ETag')).toBe(seenEtag);
    expect(cell(rev, 'customers', 0, 'Approval')).toBe('pending');
    expect(cell(rev, 'customers', 0, 'Approved by')).toBe('');
    expect(cell(rev, 'customers', 0, 'Sync status')).toBe(CHANGED_MESSAGE);
    expect(cell(rev, 'customers', 0, 'Name')).toBe('Seen');
    const after = await serverRow('customers', 'RevA', 'RA1');
    expect(after.approval).toMatchObject({ status: 'pending', approvedBy: null });
    expect(after['name']).toBe('Unseen change');

    // Pull, then review again: now the sheet shows the clerk's version, and that is what gets approved.
    await pull(rev, reviewer, { ledgers: ['customers'], filters: { region: 'RevA' } });
    expect(cell(rev, 'customers', 0, 'Name')).toBe('Unseen change');
    const ok = await approveRows(rev, reviewer, { ledger: 'customers', rows: [0] }, 'rita.reviewer');
    expect(ok.counts.approved).toBe(1);
    const approved = await serverRow('customers', 'RevA', 'RA1');
    expect(approved.approval).toMatchObject({ status: 'approved', approvedBy: 'rita.reviewer' });
    expect(approved['name']).toBe('Unseen change');
    // The etag written back is the approved version's, beside exactly its values.
    expect(cell(rev, 'customers', 0, 'ETag')).toBe(approved.etag);
    expect(cell(rev, 'customers', 0, 'Sync hash')).toBe(serverRowCells('customers', approved).hash);
    expect(cell(rev, 'customers', 0, 'Approval')).toBe('approved');
  });

  it('a row with unpublished edits is not sent, also after "keep mine" adopted the server etag with its base', async () => {
    const maker = await ledgerWorkbook({ customers: [{ customerId: 'RB1', name: 'Base', region: 'RevB' }] });
    await publish(maker, clerk);
    const rev = createMemoryWorkbook();
    await setupLedgerSheets(rev);
    await pull(rev, reviewer, { ledgers: ['customers'], filters: { region: 'RevB' } });
    const etag = cell(rev, 'customers', 0, 'ETag');
    setCell(rev, 'customers', 0, 'Segment', 'typed by the reviewer');
    const spy = counting(reviewer);
    const edited = await approveRows(rev, spy.client, { ledger: 'customers', rows: [0] }, 'rita.reviewer');
    expect(spy.approvals).toEqual([]); // nothing was sent
    expect(edited.counts).toMatchObject({ edited: 1, approved: 0 });
    expect(cell(rev, 'customers', 0, 'Sync status')).toBe(decisionMessage('approve', 'edited'));
    expect(cell(rev, 'customers', 0, 'ETag')).toBe(etag);
    expect((await serverRow('customers', 'RevB', 'RB1')).approval.status).toBe('pending');

    // The clerk changes the row, the segment too; the reviewer's pull takes the name (changed only on the server),
    // shows the segment as a conflict, and the reviewer keeps theirs ("mine").
    setCell(maker, 'customers', 0, 'Name', 'Changed by the clerk');
    setCell(maker, 'customers', 0, 'Segment', 'typed by the clerk');
    await publish(maker, clerk);
    const res = await pull(rev, reviewer, { ledgers: ['customers'], filters: { region: 'RevB' } });
    const conflict = res.conflicts[0];
    if (conflict === undefined) throw new Error('no conflict');
    expect(cell(rev, 'customers', 0, 'ETag')).toBe(etag); // a conflict never moves the etag
    expect(conflict.cells.map((c) => c.field)).toEqual(['segment']);
    await resolveConflict(rev, conflict, 'mine');
    // The server's etag now stands beside the hash of the server's values (its base), not the old base's.
    expect(cell(rev, 'customers', 0, 'ETag')).toBe(conflict.theirs.etag);
    expect(cell(rev, 'customers', 0, 'Sync hash')).toBe(serverRowCells('customers', conflict.theirs).hash);
    expect(cell(rev, 'customers', 0, 'Name')).toBe('Changed by the clerk');
    expect(cell(rev, 'customers', 0, 'Segment')).toBe('typed by the reviewer');
    // The sheet shows the reviewer's values, not the clerk's version that etag names: approving sends nothing.
    const mine = await approveRows(rev, spy.client, { ledger: 'customers', rows: [0] }, 'rita.reviewer');
    expect(spy.approvals).toEqual([]);
    expect(mine.counts).toMatchObject({ edited: 1, approved: 0 });
    const server = await serverRow('customers', 'RevB', 'RB1');
    expect(server.approval.status).toBe('pending');
    expect(server['name']).toBe('Changed by the clerk');
    // Publishing "mine" still overwrites the server knowingly (the etag is the server's current one).
    const reviewerClerk = await api.client('rita.reviewer', ['reviewer', 'clerk']);
    expect((await publish(rev, reviewerClerk)).counts.updated).toBe(1);
  });

  it('rejects with a reason; the maker pulls and sees it, fixes and publishes, and the change is pending again', async () => {
    const maker = await ledgerWorkbook({
      customers: [
        { customerId: 'RC1', name: 'Wrong region', region: 'Nowhere' },
        { customerId: 'RC2', name: 'Also wrong', region: 'Nowhere' },
      ],
    });
    await publish(maker, clerk);
    const queue = await reviewPage(reviewer, { ledger: 'customers', changedBy: 'clara.clerk' });
    const changes = queue.rows.filter((r) => r.key === 'RC1' || r.key === 'RC2');
    expect(changes.map((c) => c.key).sort()).toEqual(['RC1', 'RC2']);
    expect(fieldChanges(changes.find((c) => c.key === 'RC1') ?? changes[0]!)).toEqual([
      { field: 'customerId', header: 'Customer ID', approved: '', pending: 'RC1' },
      { field: 'name', header: 'Name', approved: '', pending: 'Wrong region' },
      { field: 'region', header: 'Region', approved: '', pending: 'Nowhere' },
    ]);
    // The maker has already started editing RC2 when the rejection comes.
    setCell(maker, 'customers', 1, 'Name', 'Also wrong (being fixed)');

    const reason = 'Nowhere is not a sales region; use East or West';
    const rev = createMemoryWorkbook();
    const res = await decideChanges(rev, reviewer, changes, { kind: 'reject', reason }, 'rita.reviewer');
    expect(res.counts).toMatchObject({ rejected: 2, changed: 0 });
    const rejected = await serverRow('customers', 'Nowhere', 'RC1');
    expect(rejected.approval).toMatchObject({ status: 'rejected', rejectedBy: 'rita.reviewer', reason });
    // Rejected versions leave the queue.
    const after = await reviewPage(reviewer, { ledger: 'customers', changedBy: 'clara.clerk' });
    expect(after.rows.filter((r) => r.key === 'RC1' || r.key === 'RC2')).toEqual([]);

    // The maker pulls: the Approval column says rejected, by whom and why; the edit in progress is kept.
    const pulled = await pull(maker, clerk, { ledgers: ['customers'], filters: { region: 'Nowhere' } });
    expect(pulled.conflicts).toEqual([]);
    const text = `rejected by rita.reviewer: ${reason}`;
    expect(cell(maker, 'customers', 0, 'Approval')).toBe(text);
    expect(cell(maker, 'customers', 1, 'Approval')).toBe(text);
    expect(cell(maker, 'customers', 1, 'Name')).toBe('Also wrong (being fixed)');
    expect(cell(maker, 'customers', 0, 'ETag')).toBe(rejected.etag);
    expect(cell(maker, 'customers', 1, 'ETag')).toBe((await serverRow('customers', 'Nowhere', 'RC2')).etag);

    // Fix and publish: a new pending version of each, back in the queue with the fix.
    setCell(maker, 'customers', 0, 'Region', 'East');
    setCell(maker, 'customers', 1, 'Region', 'West');
    const fixed = await publish(maker, clerk);
    expect(fixed.counts).toMatchObject({ updated: 2, conflict: 0 });
    expect(cell(maker, 'customers', 0, 'Approval')).toBe('pending');
    const again = await serverRow('customers', 'East', 'RC1');
    expect(again.approval.status).toBe('pending');
    expect(again.approval.reason).toBeUndefined();
    const back = await reviewPage(reviewer, { ledger: 'customers', changedBy: 'clara.clerk' });
    const rc1 = back.rows.find((r) => r.key === 'RC1');
    expect(rc1 && fieldChanges(rc1).find((f) => f.field === 'region')).toEqual({
      field: 'region',
      header: 'Region',
      approved: '',
      pending: 'East',
    });
    const approved = await decideChanges(rev, reviewer, rc1 ? [rc1] : [], { kind: 'approve' }, 'rita.reviewer');
    expect(approved.counts.approved).toBe(1);
    expect((await serverRow('customers', 'East', 'RC1')).approval.status).toBe('approved');
  });

  it('refuses a child whose parent is not approved, naming the parent; approving the parents first lets it through', async () => {
    const maker = await ledgerWorkbook({
      customers: [{ customerId: 'RD1', name: 'Parent', region: 'RevD' }],
      salespeople: [{ salespersonId: 'RDS', name: 'Sal', region: 'RevD' }],
      contracts: [
        { contractId: 'RDK', customerId: 'RD1', salespersonId: 'RDS', region: 'RevD', signedOn: '2016-11-01' },
      ],
    });
    await publish(maker, clerk);
    const rev = createMemoryWorkbook();
    await setupLedgerSheets(rev);
    await pull(rev, reviewer, { ledgers: ['customers', 'salespeople', 'contracts'], filters: { region: 'RevD' } });
    const child = await approveRows(rev, reviewer, { ledger: 'contracts', rows: [0] }, 'rita.reviewer');
    expect(child.counts).toMatchObject({ parentNotApproved: 1, approved: 0 });
    expect(child.outcomes[0]?.message).toMatch(
      /^not approved: (Customers RD1|Salespeople RDS), which it references, is not approved yet; approve that first$/,
    );
    expect(cell(rev, 'contracts', 0, 'Approval')).toBe('pending');
    expect(cell(rev, 'contracts', 0, 'Sync status')).toBe(child.outcomes[0]?.message);
    // From the queue, the whole set at once: parents' ledgers go first.
    const queue = await reviewPage(reviewer, { changedBy: 'clara.clerk' }, [undefined], 5000);
    const set = queue.rows.filter((r) => ['RD1', 'RDS', 'RDK'].includes(r.key));
    expect(set).toHaveLength(3);
    const all = await decideChanges(rev, reviewer, [...set].reverse(), { kind: 'approve' }, 'rita.reviewer');
    expect(all.outcomes.map((o) => [o.key, o.status])).toEqual([
      ['RD1', 'approved'],
      ['RDS', 'approved'],
      ['RDK', 'approved'],
    ]);
    // The sheet rows showing those versions follow, with the new etags.
    expect(cell(rev, 'contracts', 0, 'Approval')).toBe('approved');
    expect(cell(rev, 'contracts', 0, 'ETag')).toBe((await serverRow('contracts', 'RevD', 'RDK')).etag);
  });

  it('pages the queue without repeats, filtered by maker, never the caller’s own changes', async () => {
    const paula = await api.client('paula.pager', ['clerk', 'reviewer']);
    const wb = await ledgerWorkbook({
      expenses: [],
      salespeople: [
        { salespersonId: 'RP1', name: 'P1', region: 'RevP' },
        { salespersonId: 'RP2', name: 'P2', region: 'RevP' },
        { salespersonId: 'RP3', name: 'P3', region: 'RevP' },
      ],
    });
    await publish(wb, paula);
    const first = await reviewPage(reviewer, { changedBy: 'paula.pager' }, [undefined], 2);
    expect(first.rows.map((r) => r.key)).toEqual(['RP1', 'RP2']);
    expect(first.next).not.toBeNull();
    const second = await reviewPage(reviewer, { changedBy: 'paula.pager' }, [...first.trail, first.next ?? ''], 2);
    expect(second.rows.map((r) => r.key)).toEqual(['RP3']);
    expect(second.next).toBeNull();
    expect(second.trail).toHaveLength(2);
    const own = await reviewPage(paula, { changedBy: 'paula.pager' });
    expect(own.rows).toEqual([]);
  });
});

describe('approving many rows, and the sheet row of a change (no server)', () => {
  /** A client that answers `created` to writes and `approved` to approvals, recording request sizes. */
  function fake(): { client: LedgerApiClient; approvals: number[] } {
    const approvals: number[] = [];
    const unused = () => Promise.reject(new Error('not used'));
    const client: LedgerApiClient = {
      putRows: (ledger, rows) => {
        const res: PutRowsResponse = {
          results: rows.map((r) => ({
            key: keyOf(ledger, r as Record<string, unknown>),
            status: 'created',
            etag: `W/"${fingerprint(JSON.stringify(r))}"`,
          })),
        };
        return Promise.resolve(res);
      },
      approve: (_ledger, rows) => {
        approvals.push(rows.length);
        return Promise.resolve({
          results: rows.map((r) => ({ key: r.key, status: 'approved' as const, etag: `${r.etag}a` })),
        });
      },
      getRows: unused,
      reject: unused,
      pending: unused,
      stats: unused,
      receivables: unused,
    };
    return { client, approvals };
  }

  const many = MAX_KEYS_PER_APPROVAL + 1;
  const customers = Array.from({ length: many }, (_, i) => ({ customerId: `M${i}`, name: `N${i}`, region: 'East' }));

  it(`chunks by MAX_KEYS_PER_APPROVAL (${MAX_KEYS_PER_APPROVAL}) with progress`, async () => {
    const wb = await ledgerWorkbook({ customers });
    const { client, approvals } = fake();
    await publish(wb, client);
    const progress: number[] = [];
    const rows = Array.from({ length: many }, (_, i) => i);
    const seen = cell(wb, 'customers', many - 1, 'ETag');
    const res = await approveRows(wb, client, { ledger: 'customers', rows }, 'rita', {
      onProgress: (p) => progress.push(p.done),
    });
    expect(approvals).toEqual([MAX_KEYS_PER_APPROVAL, 1]);
    expect(progress).toEqual([0, MAX_KEYS_PER_APPROVAL, many]);
    expect(res.counts.approved).toBe(many);
    expect(res.cancelled).toBe(false);
    expect(cell(wb, 'customers', many - 1, 'Approval')).toBe('approved');
    // The etag the approval answered (the fake appends "a"), beside the same values.
    expect(cell(wb, 'customers', many - 1, 'ETag')).toBe(`${String(seen)}a`);
  }, 60_000);

  it('cancel stops before the next request and keeps what was answered', async () => {
    const wb = await ledgerWorkbook({ customers });
    const { client, approvals } = fake();
    await publish(wb, client);
    const controller = new AbortController();
    const rows = Array.from({ length: many }, (_, i) => i);
    const unsent = cell(wb, 'customers', MAX_KEYS_PER_APPROVAL, 'ETag');
    const res = await approveRows(wb, client, { ledger: 'customers', rows }, 'rita', {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.done > 0) controller.abort();
      },
    });
    expect(res.cancelled).toBe(true);
    expect(approvals).toEqual([MAX_KEYS_PER_APPROVAL]);
    expect(res.counts.approved).toBe(MAX_KEYS_PER_APPROVAL);
    expect(cell(wb, 'customers', MAX_KEYS_PER_APPROVAL - 1, 'Approval')).toBe('approved');
    expect(cell(wb, 'customers', MAX_KEYS_PER_APPROVAL, 'Approval')).toBe('pending');
    expect(cell(wb, 'customers', MAX_KEYS_PER_APPROVAL, 'ETag')).toBe(unsent);
  }, 60_000);

  it('decides a change named twice once, and progress counts to the rows sent', async () => {
    const wb = await ledgerWorkbook({ customers: customers.slice(0, 2) });
    const { client, approvals } = fake();
    const progress: [number, number][] = [];
    const res = await decideChanges(
      wb,
      client,
      [
        { ledger: 'customers', key: 'M0', etag: 'W/"old"' },
        { ledger: 'customers', key: 'M1', etag: 'W/"1"' },
        { ledger: 'customers', key: 'M0', etag: 'W/"0"' },
      ],
      { kind: 'approve' },
      'rita',
      { onProgress: (p) => progress.push([p.done, p.total]) },
    );
    expect(approvals).toEqual([2]);
    expect(res.outcomes.map((o) => [o.key, o.status])).toEqual([
      ['M0', 'approved'],
      ['M1', 'approved'],
    ]);
    expect(progress).toEqual([
      [0, 2],
      [2, 2],
    ]);
  });

  it('a row without an etag is not sent and says to publish or pull first', async () => {
    const wb = await ledgerWorkbook({ customers: customers.slice(0, 2) });
    const { client, approvals } = fake();
    const res = await approveRows(wb, client, { ledger: 'customers', rows: [0, 1] }, 'rita');
    expect(approvals).toEqual([]);
    expect(res.counts.noEtag).toBe(2);
    expect(cell(wb, 'customers', 1, 'Sync status')).toBe(
      'not sent: the row has no etag (no version read from the server); publish or pull first',
    );
    expect(cell(wb, 'customers', 1, 'Approval')).toBe('');
    // Each refused row points at its key cell; a key no row holds points nowhere.
    expect(res.outcomes[1]).toMatchObject({ key: 'M1', row: 1, address: 'Customers!A3', column: 'Customer ID' });
    const none = await approveRows(wb, client, { ledger: 'customers', keys: ['NOPE'] }, 'rita');
    expect(none.outcomes).toEqual([
      {
        ledger: 'customers',
        key: 'NOPE',
        row: null,
        address: null,
        column: 'Customer ID',
        status: 'noEtag',
        message: 'not sent: the row has no etag (no version read from the server); publish or pull first',
      },
    ]);
  });

  it('selects the row of a change when its table is there, says so otherwise', async () => {
    const wb = await ledgerWorkbook({ customers: customers.slice(0, 3) });
    expect(await selectChangeRow(wb, 'customers', 'M2')).toBe('selected');
    expect(wb.selection).toEqual({ sheet: 'Customers', table: 'Customers', row: 2, column: null });
    expect(await selectChangeRow(wb, 'customers', 'M9')).toBe('notInSheet');
    expect(await selectChangeRow(createMemoryWorkbook(), 'customers', 'M2')).toBe('noTable');
  });

  it('a decision took effect when approved (approve), rejected (reject) or already approved; not otherwise', () => {
    expect(tookEffect('approve', 'approved')).toBe(true);
    expect(tookEffect('approve', 'alreadyApproved')).toBe(true);
    expect(tookEffect('approve', 'rejected')).toBe(false); // the version was rejected earlier: not approved
    expect(tookEffect('reject', 'rejected')).toBe(true);
    expect(tookEffect('reject', 'alreadyApproved')).toBe(true);
    expect(tookEffect('reject', 'approved')).toBe(false);
    for (const s of ['changed', 'self', 'notFound', 'parentNotApproved', 'noEtag', 'edited'] as const) {
      expect(tookEffect('approve', s)).toBe(false);
      expect(tookEffect('reject', s)).toBe(false);
    }
  });

  it('a reason is 1-500 characters after trimming', () => {
    expect(checkReason('  ')).toMatchObject({ ok: false });
    expect(checkReason(' wrong region ')).toEqual({ ok: true, reason: 'wrong region' });
    expect(checkReason('x'.repeat(500))).toMatchObject({ ok: true });
    expect(checkReason('x'.repeat(501))).toEqual({
      ok: false,
      message: 'The reason has 501 characters; at most 500.',
    });
  });
});
