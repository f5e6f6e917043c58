// The demo dataset: a deterministic (seeded) year of sales back-office rows in wire form, with deliberate invoice defects.
//
// Pure: no I/O, no clock. The same options always give the same rows, so `npm run demo` can be run again and every
// row comes back `unchanged`. Money is integer cents (unit prices ten-thousandths) until rows are put in wire form.

import type { FindingCode } from '../../shared/api';
import { addDays, fromDayNumber, toDayNumber, type IsoDate } from '../../shared/dates';
import { ledgerData } from '../../shared/calc';
import { commissionStatement } from '../../shared/calc/commission';
import { isWeekend } from '../../shared/calc/expenseCheck';
import { LEDGERS, parseRow, type LedgerName, type LedgerRecord } from '../../shared/ledgers';
import {
  formatMoney,
  formatRate,
  formatUnitPrice,
  lineAmount,
  parseMoney,
  parseUnitPrice,
  roundHalfUpDiv,
  type Cents,
} from '../../shared/money';

export interface DemoOptions {
  /** Calendar year of the data (default 2016). */
  year?: number;
  /** Ordinary contracts (default 300); the deliberate-defect contracts come on top. */
  contracts?: number;
  /** PRNG seed (default 2016). */
  seed?: number;
}

export const DEMO_DEFAULTS = { year: 2016, contracts: 300, seed: 2016 } as const;
/** Contract ids are numbered with four digits, and one number is kept for the invoice whose contract does not exist. */
export const MAX_DEMO_CONTRACTS = 5_000;

/** A row as the API takes it: money and prices as decimal strings. */
export type WireRow = Record<string, string | number | boolean>;
export type DemoLedgers = { [L in LedgerName]: WireRow[] };

/** A finding the invoice check must report, planted on purpose. */
export interface DeliberateDefect {
  invoiceNo: string;
  lineNo: number | null;
  itemCode: string | null;
  code: FindingCode;
  /** What the defect is, in words, for the demo's output. */
  what: string;
}

export interface DemoDataset {
  year: number;
  seed: number;
  ledgers: DemoLedgers;
  defects: DeliberateDefect[];
}

export const DEMO_REGIONS = ['North', 'South', 'East', 'West'] as const;

/** mulberry32: a small, fast, well-distributed 32-bit PRNG; plenty for demo data, and identical on every platform. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }
  /** `n` distinct items, in the list's order. */
  sample<T>(items: readonly T[], n: number): T[] {
    const chosen = new Set<number>();
    while (chosen.size < Math.min(n, items.length)) chosen.add(Math.floor(this.next() * items.length));
    return [...chosen].sort((a, b) => a - b).map((i) => items[i] as T);
  }
}

interface Item {
  code: string;
  description: string;
  /** Ten-thousandths of a currency unit. */
  price4: number;
  /** Typical order quantity range. */
  qty: readonly [number, number];
}

const ITEMS: readonly Item[] = [
  { code: 'PAPER-A4', description: 'Copy paper A4, box of 5 reams', price4: 24_5000, qty: [10, 120] },
  { code: 'TONER-BK', description: 'Toner cartridge, black', price4: 89_0000, qty: [4, 40] },
  { code: 'CHAIR-ERG', description: 'Ergonomic office chair', price4: 249_0000, qty: [2, 30] },
  { code: 'DESK-160', description: 'Desk 160 x 80 cm', price4: 419_0000, qty: [1, 20] },
  { code: 'LAMP-LED', description: 'LED desk lamp', price4: 39_9000, qty: [5, 60] },
  { code: 'BINDER-50', description: 'Lever arch binder 50 mm', price4: 4_5000, qty: [50, 400] },
  { code: 'MON-27', description: '27" monitor', price4: 279_0000, qty: [2, 25] },
  { code: 'DOCK-USBC', description: 'USB-C docking station', price4: 159_0000, qty: [2, 25] },
  { code: 'SHRED-P4', description: 'Paper shredder P-4', price4: 189_0000, qty: [1, 8] },
  { code: 'HEADSET', description: 'Headset with microphone', price4: 69_9000, qty: [5, 50] },
  // A unit price with four decimals: line amounts are rounded half-up to cents.
  { code: 'LABEL-RL', description: 'Address labels, per label', price4: 1275, qty: [500, 5000] },
  { code: 'CABLE-HDMI', description: 'HDMI cable 2 m', price4: 12_9000, qty: [10, 100] },
];
const ITEM_BY_CODE = new Map(ITEMS.map((i) => [i.code, i]));

const SALESPEOPLE: readonly { name: string; region: (typeof DEMO_REGIONS)[number]; rate: number }[] = [
  { name: 'Nora Lindqvist', region: 'North', rate: 300 },
  { name: 'Olaf Berg', region: 'North', rate: 250 },
  { name: 'Sofia Marques', region: 'South', rate: 350 },
  { name: 'Diego Alvarez', region: 'South', rate: 300 },
  { name: 'Emma Kowalski', region: 'East', rate: 300 },
  { name: 'Ivan Petrov', region: 'East', rate: 400 },
  { name: 'Wendy Hughes', region: 'West', rate: 250 },
  { name: 'Will Carter', region: 'West', rate: 300 },
];

const NAME_FIRST = ['Acme', 'Blue Harbor', 'Crestline', 'Dunmore', 'Evergreen', 'Fairway', 'Granite', 'Highfield'];
const NAME_SECOND = ['Logistics', 'Insurance', 'Clinics', 'Architects', 'Foods', 'Schools', 'Legal', 'Motors'];
const SEGMENTS = ['Corporate', 'Consumer', 'Small Business', 'Public Sector'];
const RETURN_REASONS = [
  { reason: 'Damaged in transit', redeliver: 0.8 },
  { reason: 'Wrong item shipped', redeliver: 0.9 },
  { reason: 'Defective', redeliver: 0.7 },
  { reason: 'Customer changed mind', redeliver: 0 },
  { reason: 'Delivered too late', redeliver: 0 },
];
const EXPENSES: readonly { category: string; cents: readonly [number, number]; trip: boolean }[] = [
  { category: 'Travel', cents: [4_000, 60_000], trip: true },
  { category: 'Lodging', cents: [8_000, 45_000], trip: true },
  { category: 'Meals', cents: [1_500, 12_000], trip: false },
  { category: 'Mileage', cents: [2_000, 25_000], trip: false },
  { category: 'Client entertainment', cents: [5_000, 40_000], trip: false },
];

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

interface Shipment {
  date: IsoDate;
  qty: Map<string, number>;
}

/** One delivery-side event of a contract, for net-delivered-as-of arithmetic. */
interface Movement {
  date: IsoDate;
  itemCode: string;
  /** Positive for deliveries, negative for returns. */
  qty: number;
}

/** What a contract's generation left open, to decide its status and to pick contracts for on-account payments. */
interface ContractOutcome {
  contractId: string;
  fullyDelivered: boolean;
  fullyInvoiced: boolean;
  fullyPaid: boolean;
  invoicedCents: Cents;
  paidCents: Cents;
  lastDate: IsoDate;
}

/** The demo's reminder levels (terms STD): a friendly reminder, a second with a fee, a final notice with interest. */
const DEMO_REMINDER_LEVELS: WireRow[] = [
  {
    level: 1,
    graceDays: 7,
    payWithinDays: 14,
    chargeInterest: false,
    letterText:
      'Dear {customer}, our records show {currency} {total} overdue on invoices {invoices}. Please pay by {payBy}.',
  },
  {
    level: 2,
    graceDays: 7,
    payWithinDays: 10,
    feeFixed: '10.00',
    chargeInterest: true,
    letterText: 'Dear {customer}, despite our reminder {currency} {total} is still overdue. Please pay by {payBy}.',
  },
  {
    level: 3,
    graceDays: 7,
    payWithinDays: 7,
    feeFixed: '25.00',
    feePct: '1',
    feeMax: '100.00',
    chargeInterest: true,
    letterText: 'Dear {customer}, final notice (level {level}): please pay {currency} {total} by {payBy}.',
  },
];

/** Builds the demo dataset. Deterministic in its options. */
export function demoDataset(options: DemoOptions = {}): DemoDataset {
  const year = options.year ?? DEMO_DEFAULTS.year;
  const count = options.contracts ?? DEMO_DEFAULTS.contracts;
  const seed = options.seed ?? DEMO_DEFAULTS.seed;
  if (!Number.isInteger(year) || year < 1900 || year > 9998) throw new RangeError('year must be 1900-9998');
  if (!Number.isInteger(count) || count < 1 || count > MAX_DEMO_CONTRACTS)
    throw new RangeError(`contracts must be 1-${MAX_DEMO_CONTRACTS}`);
  if (!Number.isSafeInteger(seed)) throw new RangeError('seed must be an integer');

  const rng = new Rng(seed);
  const ledgers = Object.fromEntries(LEDGERS.map((l) => [l.name, [] as WireRow[]])) as DemoLedgers;
  const defects: DeliberateDefect[] = [];
  const yearStart = `${year}-01-01`;
  const yearEnd = `${year}-12-31`;
  const inYear = (d: IsoDate): boolean => d <= yearEnd;
  const dayOfYear = (from: number, to: number): IsoDate => addDays(yearStart, rng.int(from, to));
  const lastDay = toDayNumber(yearEnd) - toDayNumber(yearStart);
  const seq = { delivery: 0, ret: 0, invoice: 0, payment: 0, expense: 0, trip: 0 };
  const nextId = (prefix: string, kind: keyof typeof seq): string => `${prefix}-${year}-${pad(++seq[kind], 5)}`;

  // Salespeople and customers.
  const salespeople = SALESPEOPLE.map((s, i) => ({ ...s, id: `SP-${pad(i + 1, 2)}` }));
  for (const s of salespeople)
    ledgers.salespeople.push({
      salespersonId: s.id,
      name: s.name,
      region: s.region,
      commissionRate: formatRate(s.rate),
    });
  const customerCount = Math.max(8, Math.min(NAME_FIRST.length * NAME_SECOND.length, Math.round(count / 6)));
  const customers: { id: string; name: string; region: string }[] = [];
  for (let i = 0; i < customerCount; i++) {
    const name = `${NAME_FIRST[i % NAME_FIRST.length]} ${NAME_SECOND[Math.floor(i / NAME_FIRST.length) % NAME_SECOND.length]}`;
    const region = DEMO_REGIONS[i % DEMO_REGIONS.length] as string;
    const c = { id: `CUST-${pad(i + 1, 3)}`, name, region };
    customers.push(c);
    const row: WireRow = { customerId: c.id, name: c.name, region, segment: rng.pick(SEGMENTS) };
    if (rng.chance(0.7)) row.creditLimit = formatMoney(rng.int(2, 40) * 500_000);
    ledgers.customers.push(row);
  }

  const outcomes: ContractOutcome[] = [];

  /** Writes a contract with its order lines; returns the first-line unit price and the ordered quantity per item. */
  const addContract = (
    n: number,
    signedOn: IsoDate,
    lines: { item: Item; qty: number; price4: number }[],
    status: 'active' | 'cancelled',
    terms: number,
  ): { contractId: string; row: WireRow; items: Map<string, { price4: number; ordered: number }> } => {
    const customer = rng.pick(customers);
    const sp = rng.pick(salespeople.filter((s) => s.region === customer.region));
    const contractId = `K-${year}-${pad(n, 4)}`;
    const row: WireRow = {
      contractId,
      customerId: customer.id,
      salespersonId: sp.id,
      region: customer.region,
      signedOn,
      paymentTermsDays: terms,
      status,
    };
    ledgers.contracts.push(row);
    const items = new Map<string, { price4: number; ordered: number }>();
    lines.forEach((l, i) => {
      ledgers.orderLines.push({
        contractId,
        lineNo: i + 1,
        itemCode: l.item.code,
        description: l.item.description,
        quantity: l.qty,
        unitPrice: formatUnitPrice(l.price4),
      });
      const it = items.get(l.item.code);
      if (it === undefined) items.set(l.item.code, { price4: l.price4, ordered: l.qty });
      else it.ordered += l.qty;
    });
    return { contractId, row, items };
  };

  const addInvoice = (
    contractId: string,
    issuedOn: IsoDate,
    lines: { itemCode: string; qty: number; price4: number }[],
  ): { invoiceNo: string; amount: Cents } => {
    const invoiceNo = nextId('INV', 'invoice');
    ledgers.invoices.push({ invoiceNo, contractId, issuedOn });
    let amount = 0;
    lines.forEach((l, i) => {
      ledgers.invoiceLines.push({
        invoiceNo,
        lineNo: i + 1,
        itemCode: l.itemCode,
        quantity: l.qty,
        unitPrice: formatUnitPrice(l.price4),
      });
      amount += lineAmount(l.qty, l.price4);
    });
    return { invoiceNo, amount };
  };

  const addDelivery = (contractId: string, itemCode: string, qty: number, date: IsoDate): string => {
    const deliveryId = nextId('DL', 'delivery');
    ledgers.deliveries.push({ deliveryId, contractId, itemCode, quantity: qty, kind: 'delivery', date });
    return deliveryId;
  };

  for (let n = 1; n <= count; n++) {
    // Contracts are signed through the year; late ones stay open at the year's end.
    const signedOn = dayOfYear(0, lastDay - 10);
    const discount = rng.pick([0, 0, 5, 10]);
    const lines = rng.sample(ITEMS, rng.int(1, 4)).map((item) => ({
      item,
      qty: rng.int(item.qty[0], item.qty[1]),
      price4: roundHalfUpDiv(item.price4 * (100 - discount), 10_000) * 100,
    }));
    // Now and then a follow-up line for an item already on the order (its price is the first line's, by API.md).
    if (lines.length > 1 && rng.chance(0.05)) {
      const first = lines[0] as (typeof lines)[number];
      lines.push({ item: first.item, qty: rng.int(first.item.qty[0], first.item.qty[1]), price4: first.price4 });
    }
    const cancelled = rng.chance(0.03);
    const terms = rng.pick([14, 30, 30, 30, 45, 60]);
    const { contractId, row, items } = addContract(n, signedOn, lines, cancelled ? 'cancelled' : 'active', terms);
    if (cancelled) continue;

    // Shipments: one or two; a backordered contract never gets its second one this year.
    const first = addDays(signedOn, rng.int(2, 20));
    const split = rng.chance(0.35);
    const backordered = split && rng.chance(0.25);
    const shipments: Shipment[] = [{ date: first, qty: new Map() }];
    if (split) shipments.push({ date: addDays(first, rng.int(7, 40)), qty: new Map() });
    for (const [code, it] of items) {
      const now = split && it.ordered > 1 ? Math.max(1, Math.round((it.ordered * rng.int(40, 70)) / 100)) : it.ordered;
      (shipments[0] as Shipment).qty.set(code, now);
      if (now < it.ordered) (shipments[1] as Shipment).qty.set(code, it.ordered - now);
    }
    const movements: Movement[] = [];
    const sent = shipments.filter((s, i) => inYear(s.date) && !(backordered && i === 1));
    const redeliveryDates: IsoDate[] = [];
    for (const s of sent)
      for (const [code, qty] of s.qty) {
        addDelivery(contractId, code, qty, s.date);
        movements.push({ date: s.date, itemCode: code, qty });
        if (!rng.chance(0.08)) continue;
        const back = addDays(s.date, rng.int(1, 14));
        if (!inYear(back)) continue;
        const returned = rng.int(1, Math.min(qty, 5));
        const why = rng.pick(RETURN_REASONS);
        const redeliver = rng.chance(why.redeliver);
        ledgers.deliveries.push({
          deliveryId: nextId('RT', 'ret'),
          contractId,
          itemCode: code,
          quantity: returned,
          kind: 'return',
          date: back,
          returnReason: why.reason,
          redeliver,
        });
        movements.push({ date: back, itemCode: code, qty: -returned });
        if (!redeliver) continue;
        const again = addDays(back, rng.int(2, 10));
        if (!inYear(again)) continue;
        addDelivery(contractId, code, returned, again);
        movements.push({ date: again, itemCode: code, qty: returned });
        redeliveryDates.push(again);
      }

    // Invoices: after each shipment, and once more after redeliveries, for what is delivered net and not yet invoiced.
    const invoiceDates = [
      ...new Set([...sent.map((s) => addDays(s.date, rng.int(0, 5))), ...redeliveryDates.map((d) => addDays(d, 2))]),
    ]
      .filter(inYear)
      .sort();
    if (invoiceDates.length > 1 && rng.chance(0.05)) invoiceDates.pop(); // not invoiced yet: open at year end
    const invoiced = new Map<string, number>();
    const invoices: { invoiceNo: string; issuedOn: IsoDate; amount: Cents }[] = [];
    for (const issuedOn of invoiceDates) {
      const lines: { itemCode: string; qty: number; price4: number }[] = [];
      for (const [code, it] of items) {
        const net = movements.filter((m) => m.itemCode === code && m.date <= issuedOn).reduce((a, m) => a + m.qty, 0);
        const qty = net - (invoiced.get(code) ?? 0);
        if (qty <= 0) continue;
        lines.push({ itemCode: code, qty, price4: it.price4 });
        invoiced.set(code, (invoiced.get(code) ?? 0) + qty);
      }
      if (lines.length > 0) invoices.push({ ...addInvoice(contractId, issuedOn, lines), issuedOn });
    }

    // Payments: most in full (some late), some partial, a few overpaid, the rest unpaid (overdue by the year's end).
    let paid = 0;
    let allPaid = true;
    for (const inv of invoices) {
      const due = addDays(inv.issuedOn, terms);
      const r = rng.float();
      let amount = 0;
      let on = due;
      if (r < 0.55) [amount, on] = [inv.amount, addDays(inv.issuedOn, rng.int(3, terms))];
      else if (r < 0.67) [amount, on] = [inv.amount, addDays(due, rng.int(5, 75))];
      else if (r < 0.79) [amount, on] = [roundHalfUpDiv(inv.amount * rng.int(30, 80), 100), addDays(due, -2)];
      else if (r < 0.82) [amount, on] = [inv.amount + rng.int(1, 50) * 100, addDays(inv.issuedOn, rng.int(3, terms))];
      if (amount > 0 && inYear(on)) {
        ledgers.payments.push({
          paymentId: nextId('PAY', 'payment'),
          contractId,
          invoiceNo: inv.invoiceNo,
          receivedOn: on,
          amount: formatMoney(amount),
        });
        paid += amount;
      }
      if (amount < inv.amount || !inYear(on)) allPaid = false;
    }
    const net = new Map<string, number>();
    for (const m of movements) net.set(m.itemCode, (net.get(m.itemCode) ?? 0) + m.qty);
    const fullyDelivered = [...items].every(([code, it]) => net.get(code) === it.ordered);
    const fullyInvoiced = [...items].every(([code, it]) => invoiced.get(code) === it.ordered);
    if (fullyDelivered && fullyInvoiced && allPaid) row.status = 'completed';
    outcomes.push({
      contractId,
      fullyDelivered,
      fullyInvoiced,
      fullyPaid: allPaid,
      invoicedCents: invoices.reduce((a, i) => a + i.amount, 0),
      paidCents: paid,
      lastDate: [...movements.map((m) => m.date), ...invoiceDates].sort().at(-1) ?? signedOn,
    });
  }

  // Payments on account (no invoiceNo): the aging applies them to the contract's oldest open invoices.
  const owing = outcomes.filter((o) => o.invoicedCents - o.paidCents >= 20_000 && addDays(o.lastDate, 10) <= yearEnd);
  owing.forEach((o, i) => {
    if (i > 0 && !rng.chance(0.1)) return;
    const open = o.invoicedCents - o.paidCents;
    const cents = Math.max(10_000, Math.floor(open / 2 / 10_000) * 10_000);
    ledgers.payments.push({
      paymentId: nextId('PAY', 'payment'),
      contractId: o.contractId,
      receivedOn: addDays(o.lastDate, rng.int(1, 10)),
      amount: formatMoney(cents),
    });
  });

  // Issue #14: a credit note of 10 % on every 20th invoice (from the third), two weeks after it, within the year. Drawn
  // from no random number, so the rest of the dataset stays what it was.
  const invoiceAmounts = new Map<string, Cents>();
  for (const l of ledgers.invoiceLines) {
    const amount = lineAmount(Number(l.quantity), parseUnitPrice(String(l.unitPrice)));
    invoiceAmounts.set(String(l.invoiceNo), (invoiceAmounts.get(String(l.invoiceNo)) ?? 0) + amount);
  }
  ledgers.invoices.forEach((inv, i) => {
    const issuedOn = addDays(String(inv.issuedOn), 14);
    const amount = roundHalfUpDiv(invoiceAmounts.get(String(inv.invoiceNo)) ?? 0, 10);
    if (i % 20 !== 2 || !inYear(issuedOn) || amount <= 0) return;
    ledgers.creditNotes.push({
      creditNoteNo: `CN-${year}-${pad(ledgers.creditNotes.length + 1, 5)}`,
      contractId: String(inv.contractId),
      invoiceNo: String(inv.invoiceNo),
      issuedOn,
      amount: formatMoney(amount),
      creditReason: 'price reduction for late delivery',
    });
  });

  // Issue #14: refunds. A contract holding more than it owes once its records are in (an overpayment, or a credit
  // note on an invoice already paid) gets that money back two weeks after its last record, within the year: a payment
  // of the negative amount, which takes back the contract's unapplied money. Drawn from no random number either.
  const lastRecord = new Map<string, IsoDate>(outcomes.map((o) => [o.contractId, o.lastDate]));
  const holds = new Map<string, Cents>();
  const later = (contractId: string, date: IsoDate): void => {
    if (date > (lastRecord.get(contractId) ?? '')) lastRecord.set(contractId, date);
  };
  for (const inv of ledgers.invoices) {
    const contractId = String(inv.contractId);
    holds.set(contractId, (holds.get(contractId) ?? 0) - (invoiceAmounts.get(String(inv.invoiceNo)) ?? 0));
  }
  for (const cn of ledgers.creditNotes) {
    const contractId = String(cn.contractId);
    holds.set(contractId, (holds.get(contractId) ?? 0) + parseMoney(String(cn.amount)));
    later(contractId, String(cn.issuedOn));
  }
  for (const pay of ledgers.payments) {
    const contractId = String(pay.contractId);
    holds.set(contractId, (holds.get(contractId) ?? 0) + parseMoney(String(pay.amount)));
    later(contractId, String(pay.receivedOn));
  }
  for (const [contractId, extra] of holds) {
    const on = addDays(lastRecord.get(contractId) ?? yearEnd, 14);
    if (extra <= 0 || !inYear(on)) continue;
    ledgers.payments.push({
      paymentId: nextId('PAY', 'payment'),
      contractId,
      receivedOn: on,
      amount: formatMoney(-extra),
    });
  }

  // Deliberate defects: ordinary-looking contracts (numbered after the others) whose invoices the check must flag.
  const spring = (): IsoDate => dayOfYear(60, 120);
  const pricey = ITEM_BY_CODE.get('MON-27') as Item;
  {
    const signedOn = spring();
    const k = addContract(count + 1, signedOn, [{ item: pricey, qty: 10, price4: pricey.price4 }], 'active', 30);
    addDelivery(k.contractId, pricey.code, 10, addDays(signedOn, 5));
    const inv = addInvoice(k.contractId, addDays(signedOn, 7), [
      { itemCode: pricey.code, qty: 10, price4: pricey.price4 + 20_0000 },
    ]);
    defects.push({
      invoiceNo: inv.invoiceNo,
      lineNo: 1,
      itemCode: pricey.code,
      code: 'PRICE_MISMATCH',
      what: `${pricey.code} invoiced at ${formatUnitPrice(pricey.price4 + 20_0000)}, ordered at ${formatUnitPrice(pricey.price4)}`,
    });
  }
  const chair = ITEM_BY_CODE.get('CHAIR-ERG') as Item;
  {
    const signedOn = spring();
    const k = addContract(count + 2, signedOn, [{ item: chair, qty: 20, price4: chair.price4 }], 'active', 30);
    addDelivery(k.contractId, chair.code, 12, addDays(signedOn, 5));
    const inv = addInvoice(k.contractId, addDays(signedOn, 7), [
      { itemCode: chair.code, qty: 15, price4: chair.price4 },
    ]);
    defects.push({
      invoiceNo: inv.invoiceNo,
      lineNo: 1,
      itemCode: chair.code,
      code: 'QTY_EXCEEDS_DELIVERED',
      what: `15 × ${chair.code} invoiced, 12 delivered (20 ordered)`,
    });
  }
  const desk = ITEM_BY_CODE.get('DESK-160') as Item;
  const lamp = ITEM_BY_CODE.get('LAMP-LED') as Item;
  const dock = ITEM_BY_CODE.get('DOCK-USBC') as Item;
  {
    const signedOn = spring();
    const k = addContract(
      count + 3,
      signedOn,
      [
        { item: desk, qty: 4, price4: desk.price4 },
        { item: lamp, qty: 4, price4: lamp.price4 },
      ],
      'active',
      30,
    );
    addDelivery(k.contractId, desk.code, 4, addDays(signedOn, 6));
    addDelivery(k.contractId, lamp.code, 4, addDays(signedOn, 6));
    const inv = addInvoice(k.contractId, addDays(signedOn, 8), [
      { itemCode: desk.code, qty: 4, price4: desk.price4 },
      { itemCode: lamp.code, qty: 4, price4: lamp.price4 },
      { itemCode: dock.code, qty: 2, price4: dock.price4 },
    ]);
    defects.push({
      invoiceNo: inv.invoiceNo,
      lineNo: 3,
      itemCode: dock.code,
      code: 'ITEM_NOT_ON_ORDER',
      what: `${dock.code} invoiced, not on the order`,
    });
  }
  {
    // A contract number that was never issued (a typo on the invoice).
    const inv = addInvoice(`K-${year}-9999`, spring(), [{ itemCode: lamp.code, qty: 3, price4: lamp.price4 }]);
    defects.push({
      invoiceNo: inv.invoiceNo,
      lineNo: null,
      itemCode: null,
      code: 'UNKNOWN_CONTRACT',
      what: `invoice for contract K-${year}-9999, which does not exist`,
    });
  }

  // Expenses: each salesperson, every month, a few claims; travel with trip days and (mostly) receipts.
  const ownContracts = (spId: string): string[] =>
    ledgers.contracts.filter((c) => c.salespersonId === spId).map((c) => c.contractId as string);
  const perMonth = Math.max(1, Math.min(3, Math.round(count / 100)));
  for (const s of salespeople) {
    const theirs = ownContracts(s.id);
    for (let month = 1; month <= 12; month++) {
      const first = toDayNumber(`${year}-${pad(month, 2)}-01`);
      const days =
        (month === 12 ? toDayNumber(`${year + 1}-01-01`) : toDayNumber(`${year}-${pad(month + 1, 2)}-01`)) - first;
      for (let i = rng.int(perMonth - 1, perMonth + 1); i > 0; i--) {
        const kind = rng.pick(EXPENSES);
        const row: WireRow = {
          expenseId: nextId('EXP', 'expense'),
          salespersonId: s.id,
          category: kind.category,
          incurredOn: fromDayNumber(first + rng.int(0, days - 1)),
          amount: formatMoney(rng.int(kind.cents[0] / 100, kind.cents[1] / 100) * 100 + rng.pick([0, 0, 50, 90])),
          receipt: rng.chance(0.9),
        };
        if (kind.trip) {
          row.tripDays = rng.int(1, 4);
          // Issue #14: the trip the claim belongs to, from its day on (cut at the year's end).
          const tripId = nextId('TRP', 'trip');
          const departOn = row.incurredOn as string;
          const returnOn = addDays(departOn, row.tripDays - 1);
          ledgers.trips.push({
            tripId,
            salespersonId: s.id,
            departOn,
            returnOn: returnOn > yearEnd ? yearEnd : returnOn,
            destination: `${s.region} customers`,
          });
          row.tripId = tripId;
        }
        if (theirs.length > 0 && rng.chance(0.4)) {
          const contractId = rng.pick(theirs);
          row.contractId = contractId;
          row.description = `${kind.category} for ${contractId}`;
        }
        ledgers.expenses.push(row);
      }
    }
  }

  addSalespeopleMonth(ledgers, salespeople, year, rng);
  addPlans(ledgers, salespeople, year);
  addCustomerFiles(ledgers, customers, salespeople, year, seed);
  // Dunning (issue 13): standard reminder terms with three levels; every customer on them. No random draws, so the
  // rest of the dataset is the same as without them.
  ledgers.reminderTerms.push({
    termsCode: 'STD',
    name: 'Standard reminders',
    minAmount: '50.00',
    maxReminders: 0,
    interestRatePct: '8',
    interestBasisDays: '365',
  });
  for (const level of DEMO_REMINDER_LEVELS) ledgers.reminderLevels.push({ termsCode: 'STD', ...level });
  for (const row of ledgers.customers) row.reminderTermsCode = 'STD';
  // One level-1 reminder issued for the year's first invoice, 8 days after it fell due (in the default currency, EUR,
  // as the demo's contracts leave their currency to it).
  const first = ledgers.invoices[0];
  const firstContract = ledgers.contracts.find((c) => first !== undefined && c.contractId === first.contractId);
  if (first !== undefined && firstContract !== undefined) {
    const dueOn = addDays(String(first.issuedOn), Number(firstContract.paymentTermsDays));
    const issuedOn = addDays(dueOn, 8);
    let outstanding = 0;
    for (const l of ledgers.invoiceLines)
      if (l.invoiceNo === first.invoiceNo) outstanding += lineAmount(Number(l.quantity), parseUnitPrice(l.unitPrice));
    ledgers.reminders.push({
      reminderNo: `R-${year}-00001`,
      customerId: String(firstContract.customerId),
      currency: 'EUR',
      level: 1,
      issuedOn,
      payBy: addDays(issuedOn, 14),
      status: 'issued',
    });
    ledgers.reminderLines.push({
      reminderNo: `R-${year}-00001`,
      lineNo: 1,
      invoiceNo: String(first.invoiceNo),
      level: 1,
      outstanding: formatMoney(outstanding),
      daysOverdue: 8,
      interest: '0.00',
      fee: '0.00',
    });
  }

  return { year, seed, ledgers, defects };
}

const CONTACT_NAMES = ['Ada Moss', 'Ben Okafor', 'Chloe Martin', 'Dev Patel', 'Eva Novak', 'Finn Larsen', 'Gita Rao'];
const CONTACT_ROLES = ['Purchasing', 'Accounts payable', 'Facilities', 'Managing director'];
const TOUCH_KINDS = ['call', 'email', 'meeting', 'visit', 'letter'] as const;
const COMPLAINT_SUBJECTS = ['Late delivery', 'Damaged goods', 'Invoice disputed', 'Wrong item delivered'];

/**
 * The customer file's rows (issue 15): contacts, interactions with complaints, documents and samples per customer.
 * They come from their own seeded generator, after everything else, so the rows of the other ledgers are the same
 * as before these ledgers existed.
 */
function addCustomerFiles(
  ledgers: DemoLedgers,
  customers: readonly { id: string; name: string; region: string }[],
  salespeople: readonly { id: string; name: string; region: string }[],
  year: number,
  seed: number,
): void {
  const rng = new Rng(seed + 15);
  const yearEnd = `${year}-12-31`;
  const day = (from: number, to: number): IsoDate => addDays(`${year}-01-01`, rng.int(from, to));
  let interaction = 0;
  customers.forEach((c, i) => {
    const slug = c.name.toLowerCase().replace(/[^a-z]+/g, '');
    for (let n = 1; n <= 1 + (i % 2); n++) {
      const name = CONTACT_NAMES[(i + n) % CONTACT_NAMES.length] as string;
      ledgers.contacts.push({
        contactId: `CON-${pad(i + 1, 3)}-${n}`,
        customerId: c.id,
        name,
        role: rng.pick(CONTACT_ROLES),
        email: `${name.split(' ')[0]?.toLowerCase() ?? 'office'}@${slug}.example`,
        phone: `+44 20 7946 ${pad(rng.int(0, 9999), 4)}`,
        primary: n === 1,
      });
    }
    const theirs = ledgers.contracts.filter((k) => k.customerId === c.id);
    const owner = salespeople.find((s) => s.region === c.region)?.name ?? 'back office';
    for (let n = rng.int(2, 4); n > 0; n--) {
      const k = theirs.length > 0 && rng.chance(0.5) ? rng.pick(theirs) : undefined;
      const row: WireRow = {
        interactionId: `INT-${year}-${pad(++interaction, 5)}`,
        customerId: c.id,
        kind: rng.pick(TOUCH_KINDS),
        direction: rng.chance(0.5) ? 'in' : 'out',
        date: day(0, 360),
        subject: `Follow-up with ${c.name}`,
        owner,
      };
      if (k !== undefined) row.contractId = k.contractId as string;
      ledgers.interactions.push(row);
    }
    if (rng.chance(0.4)) {
      const k = theirs.length > 0 ? rng.pick(theirs) : undefined;
      const date = day(0, 330);
      const row: WireRow = {
        interactionId: `INT-${year}-${pad(++interaction, 5)}`,
        customerId: c.id,
        kind: 'complaint',
        direction: 'in',
        date,
        subject: rng.pick(COMPLAINT_SUBJECTS),
        owner,
        dueOn: addDays(date, 14),
      };
      if (k !== undefined) row.contractId = k.contractId as string;
      const resolvedOn = addDays(date, rng.int(1, 40));
      if (rng.chance(0.7) && resolvedOn <= yearEnd) {
        row.status = 'resolved';
        row.resolvedOn = resolvedOn;
        row.resolution = 'Resolved with the customer';
      } else row.status = rng.chance(0.5) ? 'open' : 'in progress';
      ledgers.interactions.push(row);
    }
    const validFrom = day(-300, 0);
    ledgers.customerDocuments.push({
      documentId: `DOC-${pad(i + 1, 3)}-L`,
      customerId: c.id,
      kind: 'licence',
      number: `LIC-${pad(rng.int(1, 99999), 5)}`,
      validFrom,
      validTo: addDays(validFrom, rng.int(300, 700)),
      verifiedOn: addDays(validFrom, rng.int(1, 20)),
    });
    if (rng.chance(0.25)) {
      const sentOn = day(0, 330);
      const item = rng.pick(ITEMS);
      const row: WireRow = {
        sampleId: `SMP-${pad(i + 1, 3)}`,
        customerId: c.id,
        itemCode: item.code,
        quantity: rng.int(1, 3),
        sentOn,
        dueBackOn: addDays(sentOn, 30),
        purpose: 'Trial',
        status: 'out',
      };
      const returnedOn = addDays(sentOn, rng.int(5, 40));
      if (rng.chance(0.5) && returnedOn <= yearEnd) {
        row.status = 'returned';
        row.returnedOn = returnedOn;
      }
      ledgers.samples.push(row);
    }
  });
}

/**
 * Issue #14 §4's plans, without random draws (so the rest of the dataset is the same as without them): per region a
 * contract-value target per quarter and a collected target for the year, per salesperson an invoiced target for the
 * year, and per region a budget for the year per expense category.
 */
function addPlans(ledgers: DemoLedgers, salespeople: readonly { id: string; region: string }[], year: number): void {
  for (const region of DEMO_REGIONS) {
    for (let q = 1; q <= 4; q++)
      ledgers.targets.push({
        targetId: `TGT-${region}-${year}-Q${q}`,
        groupBy: 'region',
        group: region,
        period: `${year}-Q${q}`,
        measure: 'contractValue',
        amount: '150000.00',
      });
    ledgers.targets.push({
      targetId: `TGT-${region}-${year}`,
      groupBy: 'region',
      group: region,
      period: String(year),
      measure: 'collected',
      amount: '500000.00',
    });
    for (const kind of EXPENSES)
      ledgers.budgets.push({
        budgetId: `BUD-${region}-${year}-${kind.category}`,
        region,
        period: String(year),
        category: kind.category,
        amount: '20000.00',
      });
  }
  for (const s of salespeople)
    ledgers.targets.push({
      targetId: `TGT-${s.id}-${year}`,
      groupBy: 'salesperson',
      group: s.id,
      period: String(year),
      measure: 'invoiced',
      amount: '250000.00',
    });
}

/**
 * Issue #14's ledgers: an expense policy per category (travel and lodging need a trip), a tiered commission plan for
 * every other salesperson, attendance per salesperson and month, and January's commission settled per salesperson
 * at what the shared calculation makes of the approved January payments.
 */
function addSalespeopleMonth(
  ledgers: DemoLedgers,
  salespeople: readonly { id: string }[],
  year: number,
  rng: Rng,
): void {
  for (const [i, kind] of EXPENSES.entries())
    ledgers.expensePolicies.push({
      policyId: `POL-${pad(i + 1, 2)}`,
      category: kind.category,
      effectiveFrom: `${year}-01-01`,
      limitPerClaim: formatMoney(kind.cents[1]),
      receiptRequiredAbove: '25.00',
      needsTrip: kind.trip,
      weekendAllowed: kind.trip,
    });
  ledgers.commissionPlans.push({
    planId: 'PLAN-TIERED',
    basis: 'collected',
    rate1: '0.02',
    from2: '20000.00',
    rate2: '0.03',
    from3: '50000.00',
    rate3: '0.04',
    lateAfterDays: 60,
    lateRate: '0.01',
  });
  ledgers.salespeople.forEach((row, i) => {
    if (i % 2 === 0) row.planId = 'PLAN-TIERED';
  });
  for (const s of salespeople)
    for (let month = 1; month <= 12; month++) {
      const first = toDayNumber(`${year}-${pad(month, 2)}-01`);
      const next = month === 12 ? toDayNumber(`${year + 1}-01-01`) : toDayNumber(`${year}-${pad(month + 1, 2)}-01`);
      let workingDays = 0;
      for (let d = first; d < next; d++) if (!isWeekend(d)) workingDays++;
      ledgers.attendance.push({
        salespersonId: s.id,
        month: year * 100 + month,
        workingDays,
        absentDays: rng.int(0, 1),
        leaveDays: rng.int(0, 2),
      });
    }
  const parse = <L extends LedgerName>(name: L): LedgerRecord<L>[] =>
    ledgers[name].flatMap((row) => {
      const p = parseRow(name, row);
      return p.ok ? [p.record] : [];
    });
  const data = ledgerData({
    salespeople: parse('salespeople'),
    commissionPlans: parse('commissionPlans'),
    contracts: parse('contracts'),
    invoices: parse('invoices'),
    invoiceLines: parse('invoiceLines'),
    payments: parse('payments'),
    creditNotes: parse('creditNotes'),
  });
  for (const s of salespeople)
    ledgers.commissionSettlements.push({
      salespersonId: s.id,
      month: year * 100 + 1,
      commission: formatMoney(commissionStatement(data, s.id, `${year}-01`).commission),
      settledOn: `${year}-02-05`,
    });
}
