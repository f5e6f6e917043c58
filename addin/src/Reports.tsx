// The Reports section (Figures tab): stored report workbooks (period, version, made by, when) with Open and Download, and "Make report now".
import { plural } from '../../shared/text';
import React, { useState } from 'react';
import {
  Button,
  Caption1,
  Field,
  Input,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { ArrowClockwiseRegular, ArrowDownloadRegular, DocumentAddRegular, OpenRegular } from '@fluentui/react-icons';
import { openWorkbookInExcel } from '../excel/openWorkbook';
import { defaultReportPeriod, periodProblem, reportRows, type ReportRow, type ReportsClient } from '../flows/reports';
import type { PaneMessage } from './message';

export interface ReportsSectionProps {
  reports: ReportsClient | null;
  /** True while any command runs: the pane runs one at a time. */
  disabled: boolean;
  run: (what: string, body: (signal: AbortSignal) => Promise<PaneMessage>) => Promise<void>;
}

const useStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  row: { display: 'flex', alignItems: 'flex-end', gap: tokens.spacingHorizontalS },
  grow: { flexGrow: 1, minWidth: 0 },
  hint: { color: tokens.colorNeutralForeground3 },
  actions: { display: 'flex', gap: tokens.spacingHorizontalXS },
});

/** Saves bytes as a file through the browser (the task pane is a web page). */
export function saveFile(bytes: ArrayBuffer, filename: string): void {
  const url = URL.createObjectURL(
    new Blob([bytes], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }),
  );
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ReportsSection({ reports, disabled, run }: ReportsSectionProps): React.JSX.Element {
  const s = useStyles();
  const [period, setPeriod] = useState(() => defaultReportPeriod(new Date()));
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [rows, setRows] = useState<ReportRow[] | null>(null);
  const offline = reports === null;
  const need = (): ReportsClient => {
    if (reports === null) throw new Error('Connect to the API first.');
    return reports;
  };

  const refresh = () =>
    run('Reports', async () => {
      const list = reportRows(await need().list());
      setRows(list);
      return {
        intent: 'info',
        title: list.length === 0 ? 'No reports yet' : plural(list.length, 'report'),
        text: list.length === 0 ? 'Make one with "Make report now".' : 'Newest first.',
      };
    });

  const make = () => {
    const p = periodProblem(period);
    setProblem(p);
    if (p !== undefined) return Promise.resolve();
    return run('Make report', async () => {
      const made = await need().make(period.trim());
      setRows(reportRows(await need().list()));
      return {
        intent: 'success',
        title: 'Report made',
        text: `${made.reportId} is stored; open or download it below.`,
      };
    });
  };

  const open = (reportId: string) =>
    run('Open report', async () => {
      const file = await need().download(reportId);
      if (await openWorkbookInExcel(file.bytes))
        return { intent: 'success', title: 'Report opened', text: `${reportId} opened as a new workbook.` };
      saveFile(file.bytes, file.filename);
      return {
        intent: 'info',
        title: 'Report downloaded',
        text: `This Excel cannot open a workbook from the pane; ${file.filename} was downloaded instead.`,
      };
    });

  const download = (reportId: string) =>
    run('Download report', async () => {
      const file = await need().download(reportId);
      saveFile(file.bytes, file.filename);
      return {
        intent: 'success',
        title: 'Report downloaded',
        text: `${file.filename} (${file.bytes.byteLength} bytes).`,
      };
    });

  return (
    <div className={s.stack}>
      <div className={s.row}>
        <Field
          className={s.grow}
          label="Period"
          size="small"
          validationMessage={problem}
          hint={problem === undefined ? 'A month (2016-11), a quarter (2016-Q4) or a year (2016).' : undefined}
        >
          <Input size="small" value={period} onChange={(_, d) => setPeriod(d.value)} data-testid="report-period" />
        </Field>
        <Button
          size="small"
          appearance="primary"
          icon={<DocumentAddRegular />}
          disabled={disabled || offline}
          onClick={() => void make()}
          data-testid="cmd-make-report"
        >
          Make report now
        </Button>
      </div>
      <div className={s.row}>
        <Button
          size="small"
          icon={<ArrowClockwiseRegular />}
          disabled={disabled || offline}
          onClick={() => void refresh()}
          data-testid="cmd-list-reports"
        >
          List reports
        </Button>
        <Caption1 className={s.hint}>Stored report workbooks; timers add the last month, quarter and year.</Caption1>
      </div>
      {rows !== null && rows.length > 0 && (
        <Table size="extra-small" aria-label="Reports" data-testid="reports">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Period</TableHeaderCell>
              <TableHeaderCell>Version</TableHeaderCell>
              <TableHeaderCell>Made by</TableHeaderCell>
              <TableHeaderCell>When</TableHeaderCell>
              <TableHeaderCell />
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((r) => (
              <TableRow key={r.reportId} data-testid={`report-${r.reportId}`}>
                <TableCell>{r.period}</TableCell>
                <TableCell>{r.version}</TableCell>
                <TableCell>{r.madeBy}</TableCell>
                <TableCell>{r.when}</TableCell>
                <TableCell>
                  <div className={s.actions}>
                    <Button
                      size="small"
                      appearance="subtle"
                      icon={<OpenRegular />}
                      aria-label={`Open ${r.reportId}`}
                      title="Open in Excel"
                      disabled={disabled}
                      onClick={() => void open(r.reportId)}
                    />
                    <Button
                      size="small"
                      appearance="subtle"
                      icon={<ArrowDownloadRegular />}
                      aria-label={`Download ${r.reportId}`}
                      title="Download"
                      disabled={disabled}
                      onClick={() => void download(r.reportId)}
                    />
                  </div>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}
