// The one route table: every HTTP function, registered with app.http for Azure and served by the local host.
import { approveLedgerRowsRoute } from './functions/approveLedgerRows';
import { rejectLedgerRowsRoute } from './functions/rejectLedgerRows';
import { pendingApprovalsRoute } from './functions/pendingApprovals';
import { getLedgerRowRoute } from './functions/getLedgerRow';
import { getLedgerRowHistoryRoute } from './functions/getLedgerRowHistory';
import { getLedgerRowsRoute } from './functions/getLedgerRows';
import { healthRoute } from './functions/health';
import { putLedgerRowsRoute } from './functions/putLedgerRows';
import type { Route } from './http/route';
import { createReportRoute } from './functions/reportsCreate';
import { getReportRoute } from './functions/reportsGet';
import { listReportsRoute } from './functions/reportsList';
import { statsRoute } from './functions/stats';
import { receivablesRoute } from './functions/receivables';
import { contractPerformanceRoute } from './functions/contractPerformance';
import { invoiceCheckRoute } from './functions/invoiceCheck';
import { figuresBatchRoute } from './functions/figuresBatch';
import { figuresStampRoute } from './functions/figuresStamp';
import { customerFileRoute } from './functions/customerFile';
import { contractFileRoute } from './functions/contractFile';
import { complaintsRoute } from './functions/complaints';
import { expenseCheckRoute } from './functions/expenseCheck';
import { commissionStatementRoute } from './functions/commissionStatement';
import { assessmentRoute } from './functions/assessment';
import { customerStatementRoute } from './functions/customerStatement';
import { dunningProposalsRoute } from './functions/dunningProposals';
import { dunningLettersRoute } from './functions/dunningLetters';
import { statementsWorkbookRoute } from './functions/statementsWorkbook';
import { createLettersRoute, getLettersRoute, listLettersRoute } from './functions/letters';
import { meRoute } from './functions/me';
import { budgetsVsExpensesRoute } from './functions/budgetsVsExpenses';

/** Append new routes here (one file per function under functions/, exporting its Route). */
export const routes: Route[] = [
  healthRoute,
  putLedgerRowsRoute,
  getLedgerRowsRoute,
  getLedgerRowRoute,
  getLedgerRowHistoryRoute,
  approveLedgerRowsRoute,
  rejectLedgerRowsRoute,
  pendingApprovalsRoute,
  createReportRoute,
  listReportsRoute,
  getReportRoute,
  statsRoute,
  receivablesRoute,
  contractPerformanceRoute,
  invoiceCheckRoute,
  figuresBatchRoute,
  figuresStampRoute,
  customerFileRoute,
  contractFileRoute,
  complaintsRoute,
  expenseCheckRoute,
  commissionStatementRoute,
  assessmentRoute,
  customerStatementRoute,
  dunningProposalsRoute,
  dunningLettersRoute,
  statementsWorkbookRoute,
  createLettersRoute,
  listLettersRoute,
  getLettersRoute,
  meRoute,
  budgetsVsExpensesRoute,
];
