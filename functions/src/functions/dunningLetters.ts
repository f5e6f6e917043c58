// GET /api/dunning/letters?reminderNo=R1,R2 | ?issuedOn=YYYY-MM-DD: the reminder letters workbook (reports/letters.ts)
// of approved reminders with status issued; 404 naming what is not there.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { dunningLettersQuery } from '../../../shared/api';
import { requireRead } from '../auth/roles';
import { authenticate } from '../auth/verify';
import { readFigureQuery } from '../figures/params';
import type { Route } from '../http/route';
import { lettersWorkbook } from '../reports/letters';
import { CONTENT_TYPE } from '../reports/workbook';
import { chooseLetters } from '../services/letters';

export async function getDunningLetters(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  requireRead(await authenticate(req));
  const query = readFigureQuery(req, dunningLettersQuery);
  const letters = await chooseLetters(
    query.reminderNo !== undefined ? { reminderNo: query.reminderNo } : { issuedOn: query.issuedOn as string },
  );
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
