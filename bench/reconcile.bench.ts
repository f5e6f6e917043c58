// Benchmark: reconciling 10,000 of our lines against 10,000 of theirs, as a ratio to a plain pass over the same lines
// (normalise every document number, sum every amount) timed in the same run.

import { addDays } from '../shared/dates';
import { normaliseRef, reconcile, type ReconLine } from '../shared/calc/reconcile';
import { best, fmt, intIn, seeded } from './support';

/**
 * `n` lines of ours (invoices and a few credits) and the other side's view of them: most the same document and
 * amount written their way, 3 % with a small amount difference, 3 % under another reference (same amount, a day or
 * two later), a payment of three invoices per 100 lines, 2 % missing on their side and 2 % only theirs.
 */
export function generate(n: number, seed = 7): { ours: ReconLine[]; theirs: ReconLine[] } {
  const random = seeded(seed);
  const ours: ReconLine[] = [];
  const theirs: ReconLine[] = [];
  let t = 0;
  const payments = Math.floor(n / 100);
  for (let i = 0; i < n - 3 * payments; i++) {
    const date = addDays('2016-01-01', intIn(random, 0, 360));
    const amount = intIn(random, 1000, 5_000_000) * (random() < 0.05 ? -1 : 1);
    const ref = `INV-${String(i).padStart(6, '0')}`;
    ours.push({ id: `o${i}`, ref, date, amount });
    const r = random();
    if (r < 0.02) continue;
    if (r < 0.05)
      theirs.push({ id: `t${t++}`, ref: `inv ${i}`, date, amount: amount + intIn(random, -50, 50) || amount + 1 });
    else if (r < 0.08) theirs.push({ id: `t${t++}`, ref: `X${i}`, date: addDays(date, intIn(random, 0, 2)), amount });
    else theirs.push({ id: `t${t++}`, ref: `inv${i}`, date, amount });
  }
  // Payments: three invoices of ours paid by one line of theirs (a negative line of ours each).
  for (let p = 0; p < payments; p++) {
    const date = addDays('2016-01-01', intIn(random, 0, 360));
    let total = 0;
    for (let k = 0; k < 3; k++) {
      const amount = -intIn(random, 1000, 500_000);
      total += amount;
      ours.push({ id: `p${p}-${k}`, ref: `PMT-${p}-${k}`, date: addDays(date, -k), amount });
    }
    theirs.push({ id: `t${t++}`, ref: `BANK ${p}`, date, amount: total });
  }
  while (theirs.length < ours.length)
    theirs.push({
      id: `t${t++}`,
      ref: `ONLY${t}`,
      date: addDays('2016-01-01', intIn(random, 0, 360)),
      amount: intIn(random, 1000, 5_000_000),
    });
  return { ours: ours.slice(0, n), theirs: theirs.slice(0, n) };
}

function plainPass(ours: readonly ReconLine[], theirs: readonly ReconLine[]): number {
  let total = 0;
  let chars = 0;
  for (const l of ours) {
    total += l.amount;
    chars += normaliseRef(l.ref).length;
  }
  for (const l of theirs) {
    total -= l.amount;
    chars += normaliseRef(l.ref).length;
  }
  return total + chars;
}

export function run(): Promise<void> {
  const { ours, theirs } = generate(10_000);
  console.log(`data: ${ours.length} lines of ours × ${theirs.length} of theirs`);
  const plain = best(5, () => plainPass(ours, theirs));
  const rec = best(5, () => reconcile(ours, theirs, { amountTolerance: 100 }));
  const counts = new Map<string, number>();
  for (const m of rec.result.matches) counts.set(m.reason, (counts.get(m.reason) ?? 0) + 1);
  console.log(`plain pass (normalise and sum both sides): ${fmt(plain.ms)}`);
  console.log(
    `reconcile: ${fmt(rec.ms)}; matches ${[...counts].map(([k, v]) => `${k} ${v}`).join(', ')}; only ours ${rec.result.onlyOurs.length}, only theirs ${rec.result.onlyTheirs.length}; statement ties: ${rec.result.statement.ties ? 'yes' : 'NO'}`,
  );
  console.log(`ratio reconcile / plain pass: ${(rec.ms / plain.ms).toFixed(1)}×`);
  if (!rec.result.statement.ties) process.exitCode = 1;
  return Promise.resolve();
}
