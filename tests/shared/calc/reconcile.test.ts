// Reconciliation matcher: a worked example per pass, confirmed matches, the reconciling statement, and properties
// (the statement always ties; the result does not depend on the order lines are given in).

import fc from 'fast-check';
import { addDays } from '../../../shared/dates';
import { lineKey, normaliseRef, reconcile, type ReconLine, type ReconResult } from '../../../shared/calc/reconcile';

const l = (id: string, ref: string, date: string, amount: number): ReconLine => ({ id, ref, date, amount });

/** A result as content only (reason, refs and amounts of each side), sorted, to compare results whatever the ids. */
function content(r: ReconResult) {
  const side = (ls: readonly ReconLine[]) => ls.map((x) => `${x.ref}|${x.date}|${x.amount}`).sort();
  return {
    matches: r.matches
      .map((m) => `${m.reason}:${side(m.ours).join(',')}=${side(m.theirs).join(',')}:${m.difference}`)
      .sort(),
    onlyOurs: side(r.onlyOurs),
    onlyTheirs: side(r.onlyTheirs),
    statement: r.statement,
  };
}

describe('normaliseRef', () => {
  it.each([
    ['inv-0012', 'INV12'],
    ['INV 12', 'INV12'],
    ['0012', '12'],
    ['A100', 'A100'],
    ['A000', 'A0'],
    ['2016/07-003', '201673'],
    ['2016-7/3', '201673'],
  ])('%s → %s', (ref, norm) => {
    expect(normaliseRef(ref)).toBe(norm);
  });
});

describe('reconcile worked examples', () => {
  it('pass 1: the same document number written differently and the same amount match, whatever the dates', () => {
    const r = reconcile([l('o1', 'INV-0012', '2016-03-01', 10000)], [l('t1', 'inv 12', '2016-03-20', 10000)]);
    expect(r.matches).toEqual([
      {
        reason: 'reference_amount',
        ours: [l('o1', 'INV-0012', '2016-03-01', 10000)],
        theirs: [l('t1', 'inv 12', '2016-03-20', 10000)],
        difference: 0,
      },
    ]);
    expect(r.onlyOurs).toEqual([]);
    expect(r.onlyTheirs).toEqual([]);
  });

  it('pass 2: the same document number with an amount within the tolerance is matched with its difference', () => {
    const ours = [l('o1', 'I7', '2016-03-01', 10000)];
    const theirs = [l('t1', 'I7', '2016-03-01', 9950), l('t2', 'I7', '2016-03-01', 9990)];
    const r = reconcile(ours, theirs, { amountTolerance: 100 });
    // The nearest amount wins: 99.90 (difference −0.10), 99.50 is left for theirs only.
    expect(r.matches.map((m) => [m.reason, m.theirs.map((t) => t.id), m.difference])).toEqual([
      ['reference_difference', ['t2'], -10],
    ]);
    expect(r.onlyTheirs.map((t) => t.id)).toEqual(['t1']);
    expect(r.statement).toEqual({
      ourBalance: 10000,
      onlyOurs: 0,
      onlyTheirs: 9950,
      differences: -10,
      theirBalance: 19940,
      ties: true,
    });
    // Without a tolerance nothing with another amount matches by document number.
    expect(reconcile(ours, theirs).matches).toEqual([]);
    // Beyond the tolerance neither.
    expect(reconcile(ours, theirs, { amountTolerance: 9 }).matches).toEqual([]);
  });

  it('pass 3: the same amount within ±N days matches when the candidate is unique (probable)', () => {
    const r = reconcile(
      [l('o1', 'I1', '2016-03-01', 5000), l('o2', 'I2', '2016-05-01', 7000)],
      [l('t1', 'X-9', '2016-03-04', 5000), l('t2', 'Y', '2016-05-05', 7000)],
      { dateWindowDays: 3 },
    );
    expect(r.matches.map((m) => [m.reason, m.ours[0]?.id, m.theirs[0]?.id])).toEqual([['amount_date', 'o1', 't1']]);
    // 2016-05-05 is 4 days from 2016-05-01: outside ±3.
    expect(r.onlyOurs.map((o) => o.id)).toEqual(['o2']);
    expect(r.onlyTheirs.map((t) => t.id)).toEqual(['t2']);
  });

  it('pass 3: two candidates of the same amount and date are not guessed between', () => {
    const r = reconcile(
      [l('o1', 'I1', '2016-03-01', 5000)],
      [l('t1', 'A', '2016-03-02', 5000), l('t2', 'B', '2016-03-02', 5000)],
    );
    expect(r.matches).toEqual([]);
    // Nor when two of ours compete for one of theirs.
    const r2 = reconcile(
      [l('o1', 'I1', '2016-03-01', 5000), l('o2', 'I2', '2016-03-03', 5000)],
      [l('t1', 'A', '2016-03-02', 5000)],
    );
    expect(r2.matches).toEqual([]);
  });

  it('pass 4: several of ours summing to one of theirs (a payment of three invoices)', () => {
    const ours = [
      l('o1', 'I1', '2016-03-01', -1000),
      l('o2', 'I2', '2016-03-05', -2500),
      l('o3', 'I3', '2016-03-09', -4000),
      l('o4', 'I4', '2016-03-10', -9999),
    ];
    const r = reconcile(ours, [l('t1', 'PAY 77', '2016-03-20', -7500)]);
    expect(r.matches.map((m) => [m.reason, m.ours.map((o) => o.id), m.theirs.map((t) => t.id)])).toEqual([
      ['sum', ['o1', 'o2', 'o3'], ['t1']],
    ]);
    expect(r.onlyOurs.map((o) => o.id)).toEqual(['o4']);
    // Outside the sum window nothing is grouped.
    expect(reconcile(ours, [l('t1', 'PAY 77', '2016-03-20', -7500)], { sumWindowDays: 10 }).matches).toEqual([]);
  });

  it('passes are ordered: a document-number match takes a line before the same-amount pass can', () => {
    const r = reconcile(
      [l('o1', 'I1', '2016-03-01', 5000), l('o2', 'I2', '2016-03-01', 5000)],
      [l('t1', 'I2', '2016-03-01', 5000)],
    );
    expect(r.matches.map((m) => [m.reason, m.ours[0]?.id])).toEqual([['reference_amount', 'o2']]);
    expect(r.onlyOurs.map((o) => o.id)).toEqual(['o1']);
  });

  it('confirmed matches are kept first, so only what is new is matched', () => {
    const ours = [l('o1', 'I1', '2016-03-01', 5000), l('o2', 'I9', '2016-04-01', 800)];
    const theirs = [l('t1', 'I2', '2016-03-01', 5000), l('t2', 'I9', '2016-04-01', 800)];
    const confirmed = [{ ours: [lineKey(ours[0] as ReconLine)], theirs: [lineKey(theirs[0] as ReconLine)] }];
    const r = reconcile(ours, theirs, { confirmed });
    expect(r.matches.map((m) => [m.reason, m.ours[0]?.id, m.theirs[0]?.id])).toEqual([
      ['confirmed', 'o1', 't1'],
      ['reference_amount', 'o2', 't2'],
    ]);
    // A confirmed match naming a line no longer there is dropped, and its other lines are matched afresh.
    const gone = reconcile(ours, theirs.slice(1), { confirmed });
    expect(gone.matches.map((m) => m.reason)).toEqual(['reference_amount']);
    expect(gone.onlyOurs.map((o) => o.id)).toEqual(['o1']);
  });

  it('the reconciling statement of a mixed example', () => {
    const r = reconcile(
      [l('o1', 'I1', '2016-03-01', 10000), l('o2', 'I2', '2016-03-02', 20000), l('o3', 'I3', '2016-03-03', 333)],
      [l('t1', 'I1', '2016-03-01', 10000), l('t2', 'I2', '2016-03-02', 19900), l('t3', 'CN1', '2016-03-09', -500)],
      { amountTolerance: 100 },
    );
    expect(r.statement).toEqual({
      ourBalance: 30333,
      onlyOurs: 333,
      onlyTheirs: -500,
      differences: -100,
      theirBalance: 29400,
      ties: true,
    });
  });

  it('refuses amounts that are not whole cents and dates that are not ISO days, naming the line', () => {
    expect(() => reconcile([l('o1', 'I1', '2016-03-01', 1.5)], [])).toThrow(/our line o1: amount must be whole cents/);
    expect(() => reconcile([], [l('t9', 'I1', '1/3/2016', 1)])).toThrow(/their line t9: date "1\/3\/2016"/);
    expect(() => reconcile([], [], { amountTolerance: -1 })).toThrow(/amountTolerance/);
  });
});

describe('reconcile properties', () => {
  const arbLine = fc.record({
    ref: fc.constantFrom('I1', 'inv-01', 'I2', 'I3', 'PAY 7', 'X', ''),
    date: fc.integer({ min: 0, max: 40 }).map((d) => addDays('2016-03-01', d)),
    amount: fc.oneof(fc.constantFrom(-3000, -1000, 1000, 2000, 3000), fc.integer({ min: -50_000, max: 50_000 })),
  });
  const arbSide = (prefix: string) =>
    fc.array(arbLine, { maxLength: 14 }).map((ls) => ls.map((x, i): ReconLine => ({ id: `${prefix}${i}`, ...x })));
  const arbOptions = fc.record({
    amountTolerance: fc.constantFrom(0, 50, 1000),
    dateWindowDays: fc.constantFrom(0, 3, 10),
    maxSumLines: fc.constantFrom(0, 3),
  });

  it('the reconciling statement always ties, and every line is in exactly one match or only-list', () => {
    fc.assert(
      fc.property(arbSide('o'), arbSide('t'), arbOptions, (ours, theirs, options) => {
        const r = reconcile(ours, theirs, options);
        const s = r.statement;
        expect(s.ties).toBe(true);
        expect(s.ourBalance - s.onlyOurs + s.onlyTheirs + s.differences).toBe(s.theirBalance);
        const ourIds = [...r.matches.flatMap((m) => m.ours), ...r.onlyOurs].map((x) => x.id).sort();
        const theirIds = [...r.matches.flatMap((m) => m.theirs), ...r.onlyTheirs].map((x) => x.id).sort();
        expect(ourIds).toEqual(ours.map((x) => x.id).sort());
        expect(theirIds).toEqual(theirs.map((x) => x.id).sort());
        for (const m of r.matches) {
          if (m.reason !== 'reference_difference') expect(m.difference).toBe(0);
          else expect(Math.abs(m.difference)).toBeLessThanOrEqual(options.amountTolerance);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the result (as content) does not depend on the order of either side', () => {
    fc.assert(
      fc.property(arbSide('o'), arbSide('t'), arbOptions, fc.infiniteStream(fc.nat()), (ours, theirs, options, rnd) => {
        const shuffle = (xs: ReconLine[]) => {
          const a = [...xs];
          for (let i = a.length - 1; i > 0; i--) {
            const j = (rnd.next().value as number) % (i + 1);
            [a[i], a[j]] = [a[j] as ReconLine, a[i] as ReconLine];
          }
          return a;
        };
        expect(content(reconcile(shuffle(ours), shuffle(theirs), options))).toEqual(
          content(reconcile(ours, theirs, options)),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('matching lines with document numbers against themselves matches every line with no difference', () => {
    fc.assert(
      fc.property(arbSide('o'), (all) => {
        const ours = all.filter((x) => x.ref !== '');
        const r = reconcile(ours, ours);
        expect(r.onlyOurs).toEqual([]);
        expect(r.onlyTheirs).toEqual([]);
        expect(r.statement.differences).toBe(0);
      }),
    );
  });
});
