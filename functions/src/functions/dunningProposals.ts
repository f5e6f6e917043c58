// POST /api/dunning/proposals?asOf=YYYY-MM-DD: the reminders a dunning run on asOf would issue (shared/calc/dunning),
// from the approved ledgers, approved reminders and their lines being the history. Nothing is stored.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { dunningProposalQuery, type DunningProposalResponse } from '../../../shared/api';
import { issuedReminders, proposeReminders, type DunningProposal } from '../../../shared/calc/dunning';
import { formatMoney } from '../../../shared/money';
import { requireRead } from '../auth/roles';
import { authenticate } from '../auth/verify';
import { readAllApproved } from '../figures/ledgerView';
import { readFigureQuery } from '../figures/params';
import type { Route } from '../http/route';
import { readApprovedRecords } from '../store/ledgerStore';
import { RECEIVABLES_LEDGERS } from './receivables';

export function proposalToWire(p: DunningProposal): DunningProposalResponse {
  const m = formatMoney;
  return {
    asOf: p.asOf,
    resolved: p.resolved,
    reminders: p.reminders.map((r) => ({
      ...r,
      lines: r.lines.map((l) => ({ ...l, outstanding: m(l.outstanding), interest: m(l.interest), fee: m(l.fee) })),
      outstanding: m(r.outstanding),
      interest: m(r.interest),
      fees: m(r.fees),
      unapplied: m(r.unapplied),
      total: m(r.total),
    })),
    held: p.held.map((h) => ({ ...h, outstanding: m(h.outstanding) })),
    skipped: p.skipped.map((s) => ({ ...s, outstanding: m(s.outstanding) })),
  };
}

/** The proposal of a run on asOf over the approved ledgers (also for the pane's Dunning sheet). */
export async function dunningProposal(asOf: string): Promise<DunningProposal> {
  const [data, customers, terms, levels, reminders, reminderLines] = await Promise.all([
    readAllApproved(RECEIVABLES_LEDGERS),
    readApprovedRecords('customers'),
    readApprovedRecords('reminderTerms'),
    readApprovedRecords('reminderLevels'),
    readApprovedRecords('reminders'),
    readApprovedRecords('reminderLines'),
  ]);
  return proposeReminders({
    data,
    customers,
    terms: terms.map((t) => ({ ...t, interestBasisDays: Number(t.interestBasisDays) })),
    levels,
    // Approved reminders only: one still pending review has not been sent.
    reminders: issuedReminders(reminders, reminderLines),
    asOf,
  });
}

export async function postDunningProposals(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  requireRead(await authenticate(req));
  const { asOf } = readFigureQuery(req, dunningProposalQuery);
  return { status: 200, jsonBody: proposalToWire(await dunningProposal(asOf)) };
}

export const dunningProposalsRoute: Route = {
  name: 'postDunningProposals',
  methods: ['POST'],
  route: 'dunning/proposals',
  handler: postDunningProposals,
};
