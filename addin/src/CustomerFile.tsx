// The Sheets tab's customer and contract files (open one as a form-over-table sheet, publish it, republish failures)
// and complaint figures.
import { plural } from '../../shared/text';
import React, { useState } from 'react';
import { Button, Input, Label, Select, makeStyles, tokens } from '@fluentui/react-components';
import {
  ArrowRepeatAllRegular,
  ArrowUploadRegular,
  ChatWarningRegular,
  DocumentRegular,
  PersonRegular,
} from '@fluentui/react-icons';
import type { WorkbookAdapter } from '../excel/workbookAdapter';
import type { LedgerApiClient } from '../flows/apiClient';
import { CONTRACT_FILE_SHEET, openContractFile, publishContractFile } from '../flows/contractFile';
import {
  CUSTOMER_FILE_SHEET,
  openCustomerFile,
  publishCustomerFile,
  type FilePublishResult,
} from '../flows/customerFile';
import { COMPLAINTS_SPEC, writeComplaints } from '../flows/complaints';
import type { Progress } from '../flows/progress';
import type { PaneMessage } from './message';

export interface CustomerFileProps {
  workbook: WorkbookAdapter;
  api: { client: LedgerApiClient; user: string } | null;
  /** True while any command runs: the pane runs one at a time. */
  disabled: boolean;
  run: (what: string, body: (signal: AbortSignal) => Promise<PaneMessage>) => Promise<void>;
  setProgress: (p: Progress) => void;
}

const useStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  row: { display: 'flex', gap: tokens.spacingHorizontalS },
  fill: { flexGrow: 1, minWidth: 0 },
});

export function CustomerFile({ workbook, api, disabled, run, setProgress }: CustomerFileProps): React.JSX.Element {
  const s = useStyles();
  const [customerId, setCustomerId] = useState('');
  const [contractId, setContractId] = useState('');
  const [complaints, setComplaints] = useState({
    period: 'month',
    groupBy: 'region',
    from: '2016-01-01',
    to: '2016-12-31',
  });
  const client = (): LedgerApiClient => {
    if (api === null) throw new Error('Connect to the API first.');
    return api.client;
  };

  const open = (): Promise<void> =>
    run('Customer file', async () => {
      const id = customerId.trim();
      if (id === '') throw new Error('Type a customer ID first.');
      const res = await openCustomerFile(workbook, client(), id);
      const n = (t: string): number => res.counts[t] ?? 0;
      return {
        intent: 'success',
        title: `Customer file of ${id}`,
        text: `On the ${CUSTOMER_FILE_SHEET} sheet as of ${res.asOf}: ${n('FileContacts')} contacts, ${n('FileInteractions')} interactions, ${n('FileComplaints')} open complaints, ${n('FileSamples')} samples out.`,
      };
    });

  const published = (res: FilePublishResult, form: string): PaneMessage => {
    const c = res.tables.counts;
    const formFailed = res.form !== null && /conflict|invalid|error/.test(res.form) ? 1 : 0;
    return {
      intent: c.conflict + c.invalid + c.error + formFailed > 0 || res.tables.cancelled ? 'warning' : 'success',
      title: 'Published',
      text: `${form}: ${res.form ?? 'no change'}. Rows: ${c.created} created, ${c.updated} updated, ${c.conflict} conflict, ${c.invalid} invalid, ${c.error} failed.`,
    };
  };

  const publishFile = (failedOnly: boolean): Promise<void> =>
    run('Publish customer file', async (signal) =>
      published(
        await publishCustomerFile(workbook, client(), { failedOnly, onProgress: setProgress, signal }),
        'Customer form',
      ),
    );

  const openContract = (): Promise<void> =>
    run('Contract file', async () => {
      const id = contractId.trim();
      if (id === '') throw new Error('Type a contract ID first.');
      const res = await openContractFile(workbook, client(), id);
      return {
        intent: 'success',
        title: `Contract file of ${id}`,
        text: `On the ${CONTRACT_FILE_SHEET} sheet, set to print landscape on one page wide: ${res.counts['ContractOrderLines'] ?? 0} order lines, ${res.counts['ContractInvoiceLines'] ?? 0} invoice lines (${res.linesWithFindings} with findings).`,
      };
    });

  const publishContract = (failedOnly: boolean): Promise<void> =>
    run('Publish contract file', async (signal) =>
      published(
        await publishContractFile(workbook, client(), { failedOnly, onProgress: setProgress, signal }),
        'Contract form',
      ),
    );

  const figures = (): Promise<void> =>
    run('Complaints', async () => {
      const n = await writeComplaints(workbook, client(), complaints);
      return {
        intent: n === 0 ? 'info' : 'success',
        title: n === 0 ? 'No complaints in this range' : 'Complaints',
        text: `${plural(n, 'row')} on the ${COMPLAINTS_SPEC.sheet} sheet.`,
      };
    });

  return (
    <div className={s.stack}>
      <FileControls
        title="Customer file"
        idLabel="Customer ID"
        id={customerId}
        setId={setCustomerId}
        icon={<PersonRegular />}
        disabled={disabled || api === null}
        open={open}
        publish={publishFile}
        inputTestId="file-customer"
        openTestId="cmd-file-open"
        publishTestId="cmd-file-publish"
      />
      <FileControls
        title="Contract file"
        idLabel="Contract ID"
        id={contractId}
        setId={setContractId}
        icon={<DocumentRegular />}
        disabled={disabled || api === null}
        open={openContract}
        publish={publishContract}
        inputTestId="file-contract"
        openTestId="cmd-contract-open"
        publishTestId="cmd-contract-publish"
      />
      <Label size="small" weight="semibold">
        Complaints
      </Label>
      <div className={s.row}>
        <Select
          size="small"
          aria-label="Complaints period"
          value={complaints.period}
          onChange={(_, d) => setComplaints({ ...complaints, period: d.value })}
        >
          <option value="month">month</option>
          <option value="quarter">quarter</option>
          <option value="year">year</option>
        </Select>
        <Select
          size="small"
          aria-label="Complaints grouped by"
          value={complaints.groupBy}
          onChange={(_, d) => setComplaints({ ...complaints, groupBy: d.value })}
        >
          <option value="region">region</option>
          <option value="salesperson">salesperson</option>
          <option value="customer">customer</option>
          <option value="none">none</option>
        </Select>
      </div>
      <div className={s.row}>
        <Input
          className={s.fill}
          size="small"
          aria-label="Complaints from"
          value={complaints.from}
          onChange={(_, d) => setComplaints({ ...complaints, from: d.value })}
        />
        <Input
          className={s.fill}
          size="small"
          aria-label="Complaints to"
          value={complaints.to}
          onChange={(_, d) => setComplaints({ ...complaints, to: d.value })}
        />
        <Button
          size="small"
          icon={<ChatWarningRegular />}
          disabled={disabled || api === null}
          onClick={() => void figures()}
          data-testid="cmd-complaints"
        >
          Write
        </Button>
      </div>
    </div>
  );
}

interface FileControlsProps {
  title: string;
  idLabel: string;
  id: string;
  setId: (id: string) => void;
  icon: React.JSX.Element;
  disabled: boolean;
  open: () => Promise<void>;
  publish: (failedOnly: boolean) => Promise<void>;
  /** Test ids of the id field, the Open button and Publish file (Republish failed adds `-failed`). */
  inputTestId: string;
  openTestId: string;
  publishTestId: string;
}

/** A file's controls: its id, Open, Publish file and Republish failed. */
function FileControls(p: FileControlsProps): React.JSX.Element {
  const s = useStyles();
  return (
    <>
      <Label size="small" weight="semibold">
        {p.title}
      </Label>
      <div className={s.row}>
        <Input
          className={s.fill}
          size="small"
          placeholder={p.idLabel}
          aria-label={p.idLabel}
          value={p.id}
          onChange={(_, d) => p.setId(d.value)}
          data-testid={p.inputTestId}
        />
        <Button
          size="small"
          icon={p.icon}
          disabled={p.disabled}
          onClick={() => void p.open()}
          data-testid={p.openTestId}
        >
          Open
        </Button>
      </div>
      <div className={s.row}>
        <Button
          size="small"
          icon={<ArrowUploadRegular />}
          disabled={p.disabled}
          onClick={() => void p.publish(false)}
          data-testid={p.publishTestId}
        >
          Publish file
        </Button>
        <Button
          size="small"
          icon={<ArrowRepeatAllRegular />}
          disabled={p.disabled}
          onClick={() => void p.publish(true)}
          data-testid={`${p.publishTestId}-failed`}
        >
          Republish failed
        </Button>
      </div>
    </>
  );
}
