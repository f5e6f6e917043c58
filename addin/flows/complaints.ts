// Complaints as figures in the workbook (issue 15): GET /api/complaints written as a result table on its own sheet.
import {
  GENERAL_FORMAT,
  INTEGER_FORMAT,
  TEXT_FORMAT,
  type Matrix,
  type TableSpec,
  type WorkbookAdapter,
} from '../excel/workbookAdapter';
import type { ComplaintsParams, LedgerApiClient } from './apiClient';

export const COMPLAINTS_SPEC: TableSpec = {
  sheet: 'Complaints',
  table: 'Complaints',
  columns: [
    { name: 'Period', numberFormat: TEXT_FORMAT },
    { name: 'Group', numberFormat: TEXT_FORMAT },
    { name: 'Opened', numberFormat: INTEGER_FORMAT },
    { name: 'Resolved', numberFormat: INTEGER_FORMAT },
    { name: 'Median days to resolve', numberFormat: GENERAL_FORMAT },
  ],
};

/** Writes the complaint figures (approved complaints) to the Complaints sheet; returns the number of rows. */
export async function writeComplaints(
  wb: WorkbookAdapter,
  api: LedgerApiClient,
  params: ComplaintsParams,
): Promise<number> {
  if (api.complaints === undefined) throw new Error('This API client cannot read complaint figures.');
  const rows = await api.complaints(params);
  const matrix: Matrix = rows.map((r) => [
    r.period,
    r.group ?? '(all)',
    r.opened,
    r.resolved,
    r.medianDaysToResolve ?? '',
  ]);
  await wb.writeResultsTable(COMPLAINTS_SPEC, matrix);
  return rows.length;
}
