// GET /api/statements?from&to&customerId=C1,C2: the customer statements workbook (functions/src/reports/statements),
// one sheet per customer with the figures of GET /api/customers/{id}/statement. Without customerId: every customer
// with a contract that has a line in the period or a non-zero opening balance, sorted by id.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { statementsWorkbookQuery, type StatementResponse } from '../../../shared/api';
import type { LedgerData } from '../../../shared/calc';
import { customerCurrencies, customerStatement, type CustomerStatement } from '../../../shared/calc/statement';
import { requireRead } from '../auth/roles';
import { authenticate } from '../auth/verify';
import { approvedFigure } from '../figures/ledgerView';
import { readFigureQuery } from '../figures/params';
import { ApiError } from '../http/errors';
import type { Route } from '../http/route';
import { getConfig } from '../config';
import { CONTENT_TYPE } from '../reports/workbook';
import { writeStatementsWorkbook } from '../reports/statements';
import type { StoredRow } from '../store/ledgerEntities';
import { readRow } from '../store/ledgerStore';
import { statementToWire } from './customerStatement';
import { RECEIVABLES_LEDGERS } from './receivables';

/** Customers of the contracts with a statement line in from..to or a non-zero opening balance (in any currency). */
export function customersWithActivity(data: LedgerData, from: string, to: string): string[] {
  const ids = [...new Set(data.contracts.map((c) => c.customerId))].sort();
  const house = getConfig().defaultCurrency;
  return ids.filter((id) =>
    customerCurrencies(data, id, house).some((currency) => {
      const s = customerStatement(data, id, from, to, currency, house);
      return s.lines.length > 0 || s.openingBalance !== 0;
    }),
  );
}

/**
 * Issue #13 §4: a customer's statements, one per currency of their contracts (house currency for contracts without
 * one), in currency order; a customer with no contract gets one empty statement.
 */
export function statementsOf(data: LedgerData, customerId: string, from: string, to: string): CustomerStatement[] {
  const house = getConfig().defaultCurrency;
  const currencies = customerCurrencies(data, customerId, house);
  if (currencies.length === 0) return [customerStatement(data, customerId, from, to, undefined, house)];
  return currencies.map((currency) => customerStatement(data, customerId, from, to, currency, house));
}

/** The approved name, else the latest one (a customer written but not yet approved). */
function customerName(row: StoredRow<'customers'> | undefined): string | null {
  if (row === undefined) return null;
  return (row.approved ?? row.latest).name ?? null;
}

export async function getStatementsWorkbook(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  requireRead(await authenticate(req));
  const q = readFigureQuery(req, statementsWorkbookQuery);
  const names = new Map<string, string | null>();
  for (const id of q.customerId ?? []) {
    const row = await readRow('customers', id);
    if (row === undefined) throw new ApiError(404, 'not_found', `Customer ${id} does not exist.`);
    names.set(id, customerName(row));
  }
  const key = `statements|${(q.customerId ?? ['*']).join(',')}|${q.from}|${q.to}`;
  const statements = await approvedFigure(RECEIVABLES_LEDGERS, key, (data): StatementResponse[] =>
    (q.customerId ?? customersWithActivity(data, q.from, q.to)).flatMap((id) =>
      statementsOf(data, id, q.from, q.to).map(statementToWire),
    ),
  );
  for (const s of statements)
    if (!names.has(s.customerId)) names.set(s.customerId, customerName(await readRow('customers', s.customerId)));
  const body = await writeStatementsWorkbook(
    statements.map((statement) => ({ statement, name: names.get(statement.customerId) ?? null })),
  );
  return {
    status: 200,
    body,
    headers: {
      'Content-Type': CONTENT_TYPE,
      'Content-Disposition': `attachment; filename="statements-${q.from}-${q.to}.xlsx"`,
    },
  };
}

export const statementsWorkbookRoute: Route = {
  name: 'getStatementsWorkbook',
  methods: ['GET'],
  route: 'statements',
  handler: getStatementsWorkbook,
};
