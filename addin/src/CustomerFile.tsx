// The Sheets tab's customer file: open a customer's file as a form-over-table sheet, publish it, republish failures.
import React, { useState } from 'react';
import { Button, Input, Label, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowRepeatAllRegular, ArrowUploadRegular, PersonRegular } from '@fluentui/react-icons';
import type { WorkbookAdapter } from '../excel/workbookAdapter';
import type { LedgerApiClient } from '../flows/apiClient';
import { CUSTOMER_FILE_SHEET, openCustomerFile, publishCustomerFile } from '../flows/customerFile';
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

  const publishFile = (failedOnly: boolean): Promise<void> =>
    run('Publish customer file', async (signal) => {
      const res = await publishCustomerFile(workbook, client(), { failedOnly, onProgress: setProgress, signal });
      const c = res.tables.counts;
      const failed =
        c.conflict + c.invalid + c.error + (res.form !== null && /conflict|invalid|error/.test(res.form) ? 1 : 0);
      return {
        intent: failed > 0 || res.tables.cancelled ? 'warning' : 'success',
        title: 'Customer file published',
        text: `Customer form: ${res.form ?? 'no change'}. Rows: ${c.created} created, ${c.updated} updated, ${c.conflict} conflict, ${c.invalid} invalid, ${c.error} failed.`,
      };
    });

  return (
    <div className={s.stack}>
      <Label size="small" weight="semibold">
        Customer file
      </Label>
      <div className={s.row}>
        <Input
          className={s.fill}
          size="small"
          placeholder="Customer ID"
          aria-label="Customer ID"
          value={customerId}
          onChange={(_, d) => setCustomerId(d.value)}
          data-testid="file-customer"
        />
        <Button
          size="small"
          icon={<PersonRegular />}
          disabled={disabled || api === null}
          onClick={() => void open()}
          data-testid="cmd-file-open"
        >
          Open
        </Button>
      </div>
      <div className={s.row}>
        <Button
          size="small"
          icon={<ArrowUploadRegular />}
          disabled={disabled || api === null}
          onClick={() => void publishFile(false)}
          data-testid="cmd-file-publish"
        >
          Publish file
        </Button>
        <Button
          size="small"
          icon={<ArrowRepeatAllRegular />}
          disabled={disabled || api === null}
          onClick={() => void publishFile(true)}
          data-testid="cmd-file-publish-failed"
        >
          Republish failed
        </Button>
      </div>
    </div>
  );
}
