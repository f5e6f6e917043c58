// The customer file's rules (issue 15): document expiry, samples out and overdue, open cases with their age, and
// complaints as figures (opened, resolved, median days to resolve) by period and group. Pure: records in, figures out.

import { addDays, daysBetween, periodOf, type IsoDate, type PeriodKind } from '../dates';
import { CASE_KINDS, type CustomerDocument, type Interaction, type Sample } from '../ledgers';
import { compareText } from './index';

/** A document expiring within this many days of the as-of day (inclusive) is flagged `expiring`. */
export const EXPIRY_WINDOW_DAYS = 30;

export type ExpiryFlag = 'expired' | 'expiring' | 'valid' | 'noExpiry';

/**
 * `expired` when validTo is before asOf (a document is valid through its last day); `expiring` when validTo falls
 * within EXPIRY_WINDOW_DAYS of asOf (asOf itself included); `valid` after that; `noExpiry` without a validTo.
 */
export function expiryFlag(doc: Pick<CustomerDocument, 'validTo'>, asOf: IsoDate): ExpiryFlag {
  if (doc.validTo === undefined) return 'noExpiry';
  if (doc.validTo < asOf) return 'expired';
  if (doc.validTo <= addDays(asOf, EXPIRY_WINDOW_DAYS)) return 'expiring';
  return 'valid';
}

export interface DocumentWithExpiry<D> {
  document: D;
  flag: ExpiryFlag;
  /** validTo − asOf: negative once expired; null without a validTo. */
  daysLeft: number | null;
}

const FLAG_ORDER: Record<ExpiryFlag, number> = { expired: 0, expiring: 1, valid: 2, noExpiry: 3 };

/** Every document with its flag: expired first, then expiring, valid and without expiry, each soonest validTo first. */
export function documentsWithExpiry<D extends Pick<CustomerDocument, 'documentId' | 'validTo'>>(
  docs: readonly D[],
  asOf: IsoDate,
): DocumentWithExpiry<D>[] {
  return docs
    .map((document) => ({
      document,
      flag: expiryFlag(document, asOf),
      daysLeft: document.validTo === undefined ? null : daysBetween(asOf, document.validTo),
    }))
    .sort(
      (a, b) =>
        FLAG_ORDER[a.flag] - FLAG_ORDER[b.flag] ||
        compareText(a.document.validTo ?? '', b.document.validTo ?? '') ||
        compareText(a.document.documentId, b.document.documentId),
    );
}

export type SampleState = 'out' | 'overdue' | 'returned' | 'kept';

/**
 * A sample is `out` while its status is out; `overdue` when it is out and its dueBackOn is before asOf (a sample
 * without dueBackOn is not expected back by a date, so it is never overdue). Returned and kept samples keep their status.
 */
export function sampleState(sample: Pick<Sample, 'status' | 'dueBackOn'>, asOf: IsoDate): SampleState {
  if (sample.status !== 'out') return sample.status;
  return sample.dueBackOn !== undefined && sample.dueBackOn < asOf ? 'overdue' : 'out';
}

export interface SampleOut<S> {
  sample: S;
  state: 'out' | 'overdue';
  /** asOf − sentOn. */
  daysOut: number;
  /** asOf − dueBackOn when overdue, else 0. */
  daysOverdue: number;
}

/** Samples still out on asOf (sent on or before it), overdue first, then longest out first. */
export function samplesOut<S extends Pick<Sample, 'sampleId' | 'status' | 'dueBackOn' | 'sentOn'>>(
  samples: readonly S[],
  asOf: IsoDate,
): SampleOut<S>[] {
  const out: SampleOut<S>[] = [];
  for (const sample of samples) {
    const state = sampleState(sample, asOf);
    if ((state !== 'out' && state !== 'overdue') || sample.sentOn > asOf) continue;
    out.push({
      sample,
      state,
      daysOut: daysBetween(sample.sentOn, asOf),
      daysOverdue: state === 'overdue' ? daysBetween(sample.dueBackOn as IsoDate, asOf) : 0,
    });
  }
  return out.sort(
    (a, b) =>
      Number(b.state === 'overdue') - Number(a.state === 'overdue') ||
      b.daysOut - a.daysOut ||
      compareText(a.sample.sampleId, b.sample.sampleId),
  );
}

export function isCase(i: Pick<Interaction, 'kind'>): boolean {
  return CASE_KINDS.includes(i.kind);
}

export interface OpenCase<I> {
  interaction: I;
  /** asOf − date: how long the case has been open. */
  ageDays: number;
  /** asOf − dueOn when past its due date, else 0. */
  daysOverdue: number;
}

/**
 * Complaints (and, with `kinds`, feedback) open on asOf: dated on or before it and not resolved by then (a case
 * resolved after asOf was still open on it), oldest first (then by id), each with its age in days on asOf and how far
 * past its due date it is.
 */
export function openCases<
  I extends Pick<Interaction, 'interactionId' | 'kind' | 'status' | 'date' | 'dueOn' | 'resolvedOn'>,
>(interactions: readonly I[], asOf: IsoDate, kinds: readonly string[] = ['complaint']): OpenCase<I>[] {
  return interactions
    .filter(
      (i) =>
        kinds.includes(i.kind) &&
        i.status !== undefined &&
        i.date <= asOf &&
        !(i.status === 'resolved' && (i.resolvedOn === undefined || i.resolvedOn <= asOf)),
    )
    .map((interaction) => ({
      interaction,
      ageDays: daysBetween(interaction.date, asOf),
      daysOverdue:
        interaction.dueOn !== undefined && interaction.dueOn < asOf ? daysBetween(interaction.dueOn, asOf) : 0,
    }))
    .sort(
      (a, b) =>
        compareText(a.interaction.date, b.interaction.date) ||
        compareText(a.interaction.interactionId, b.interaction.interactionId),
    );
}

/** The `limit` latest interactions, newest first (then by id, descending, so the order is stable). */
export function latestInteractions<I extends Pick<Interaction, 'interactionId' | 'date'>>(
  interactions: readonly I[],
  limit: number,
): I[] {
  return [...interactions]
    .sort((a, b) => compareText(b.date, a.date) || compareText(b.interactionId, a.interactionId))
    .slice(0, limit);
}

/** The median of whole numbers: the middle value, or the mean of the two middle values (so it may end in .5). */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export interface ComplaintFigures {
  period: string;
  group: string | null;
  /** Complaints dated in the period. */
  opened: number;
  /** Complaints whose resolvedOn is in the period. */
  resolved: number;
  /** Median of resolvedOn − date over the complaints resolved in the period; null when none was. */
  medianDaysToResolve: number | null;
}

export interface ComplaintOptions {
  period: PeriodKind;
  from: IsoDate;
  to: IsoDate;
  /** The group a complaint counts under, or null to leave it out (a complaint with no contract has no salesperson). */
  groupOf: (complaint: Interaction) => string | null;
  /** groupBy none: every complaint in one group, reported as `group: null`. */
  none?: boolean;
}

/**
 * Complaints opened and resolved and the median days to resolve, per period × group, ordered by period then group.
 * A complaint counts as opened in the period of its date and as resolved in the period of its resolvedOn (both
 * within [from, to]); rows with nothing opened and nothing resolved are omitted. Medians are not additive, so this
 * works from the complaints themselves, never from rollups.
 */
export function complaintFigures(interactions: readonly Interaction[], options: ComplaintOptions): ComplaintFigures[] {
  const cells = new Map<string, { period: string; group: string | null; opened: number; days: number[] }>();
  const cell = (period: string, group: string | null) => {
    const key = `${period}\u0000${group ?? ''}`;
    let c = cells.get(key);
    if (c === undefined) cells.set(key, (c = { period, group, opened: 0, days: [] }));
    return c;
  };
  const inRange = (d: IsoDate) => d >= options.from && d <= options.to;
  for (const i of interactions) {
    if (i.kind !== 'complaint') continue;
    const group = options.none === true ? null : options.groupOf(i);
    if (options.none !== true && group === null) continue;
    if (inRange(i.date)) cell(periodOf(i.date, options.period), group).opened += 1;
    if (i.status === 'resolved' && i.resolvedOn !== undefined && inRange(i.resolvedOn))
      cell(periodOf(i.resolvedOn, options.period), group).days.push(daysBetween(i.date, i.resolvedOn));
  }
  return [...cells.values()]
    .sort((a, b) => compareText(a.period, b.period) || compareText(a.group ?? '', b.group ?? ''))
    .map((c) => ({
      period: c.period,
      group: c.group,
      opened: c.opened,
      resolved: c.days.length,
      medianDaysToResolve: median(c.days),
    }));
}
