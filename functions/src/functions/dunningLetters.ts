// GET /api/dunning/letters?reminderNo=R1,R2 | ?issuedOn=YYYY-MM-DD: the reminder letters workbook (reports/letters.ts)
// of approved reminders with status issued; 404 naming what is not there.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { dunningLettersQuery } from '../../../shared/api';
import { requireRead } from '../auth/roles';
import { authenticate } from '../auth/verify';
import { readFigureQuery } from '../figures/params';
import { ApiError } from '../http/errors';
import type { Route } from '../http/route';
import { letterData, lettersWorkbook } from '../reports/letters';
import { CONTENT_TYPE } from '../reports/workbook';
import { readApprovedRecords } from '../store/ledgerStore';

export async function getDunningLetters(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  requireRead(await authenticate(req));
  const query = readFigureQuery(req, dunningLettersQuery);
  const [reminders, reminderLines, customers, levels, invoices] = await Promise.all([
    readApprovedRecords('reminders'),
    readApprovedRecords('reminderLines'),
    readApprovedRecords('customers'),
    readApprovedRecords('reminderLevels'),
    readApprovedRecords('invoices'),
  ]);
  // Approved and still issued: a pending reminder is not reviewed yet, a cancelled or resolved one is not sent.
  const sendable = reminders.filter((r) => r.status === 'issued');
  let chosen;
  if (query.reminderNo !== undefined) {
    const wanted = query.reminderNo;
    const missing = wanted.filter((no) => !sendable.some((r) => r.reminderNo === no));
    if (missing.length > 0)
      throw new ApiError(
        404,
        'not_found',
        `No approved, issued reminder ${missing.map((m) => JSON.stringify(m)).join(', ')}.`,
      );
    chosen = wanted.map((no) => sendable.find((r) => r.reminderNo === no)!);
  } else {
    chosen = sendable
      .filter((r) => r.issuedOn === query.issuedOn)
      .sort((a, b) => (a.reminderNo < b.reminderNo ? -1 : a.reminderNo > b.reminderNo ? 1 : 0));
    if (chosen.length === 0)
      throw new ApiError(404, 'not_found', `No approved, issued reminder was issued on ${query.issuedOn}.`);
  }
  const letters = letterData({
    reminders: chosen,
    reminderLines,
    customers,
    levels,
    dueOn: new Map(invoices.map((i) => [i.invoiceNo, i.dueOn])),
  });
  const body = Buffer.from(await lettersWorkbook(letters).xlsx.writeBuffer());
  const name = query.issuedOn === undefined ? 'reminder-letters' : `reminder-letters-${query.issuedOn}`;
  return {
    status: 200,
    body,
    headers: {
      'Content-Type': CONTENT_TYPE,
      'Content-Disposition': `attachment; filename="${name}.xlsx"`,
      'Content-Length': String(body.length),
    },
  };
}

export const dunningLettersRoute: Route = {
  name: 'getDunningLetters',
  methods: ['GET'],
  route: 'dunning/letters',
  handler: getDunningLetters,
};
