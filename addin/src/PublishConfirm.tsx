// The confirm step before publishing invoices with findings: the findings per invoice, a reason, and the choice to
// publish them anyway (the reason goes into each row's history) or to hold them back (nothing of them is sent).
import { useState } from 'react';
import { Button, Caption1, Field, Label, Textarea } from '@fluentui/react-components';
import type { GateCheck } from '../flows/invoiceGate';
import { MAX_REASON_LENGTH } from '../../shared/api';
import { plural } from '../../shared/text';
import { useStyles } from './styles';

export interface PublishConfirmProps {
  check: GateCheck;
  disabled: boolean;
  onPublishAnyway: (reason: string) => void;
  onHoldBack: () => void;
  onCancel: () => void;
}

export function PublishConfirm({
  check,
  disabled,
  onPublishAnyway,
  onHoldBack,
  onCancel,
}: PublishConfirmProps): React.JSX.Element {
  const s = useStyles();
  const [reason, setReason] = useState('');
  const n = check.invoices.length;
  const trimmed = reason.trim();
  return (
    <section aria-label="Confirm publish" data-testid="publish-confirm" className={s.card}>
      <Label size="small" weight="semibold">
        {n === 1 ? '1 invoice has findings' : `${n} invoices have findings`}: publish anyway?
      </Label>
      <Caption1 className={s.hint}>
        {check.invoices[0]?.findings[0]?.source === 'server'
          ? 'Checked by the server: these rows as in the sheet, with their contracts’ stored invoices and deliveries.'
          : 'Checked on this workbook’s rows only.'}
      </Caption1>
      {check.invoices.map((inv) => (
        <div key={inv.invoiceNo} data-testid={`confirm-invoice-${inv.invoiceNo}`}>
          <Caption1 className={s.address}>{inv.invoiceNo}</Caption1>
          <ul className={s.list}>
            {inv.findings.map((f) => (
              <li key={`${String(f.lineNo)}|${f.code}`} className={s.item}>
                {f.lineNo === null ? '' : `Line ${f.lineNo}: `}
                {f.text}
              </li>
            ))}
          </ul>
        </div>
      ))}
      <Field
        label="Reason (kept in each row’s history)"
        validationMessage={trimmed.length > MAX_REASON_LENGTH ? `At most ${MAX_REASON_LENGTH} characters.` : undefined}
      >
        <Textarea
          value={reason}
          onChange={(_, d) => setReason(d.value)}
          data-testid="publish-reason"
          resize="vertical"
        />
      </Field>
      <div className={s.actions}>
        <Button size="small" disabled={disabled} onClick={onCancel} data-testid="publish-cancel">
          Cancel
        </Button>
        <Button size="small" disabled={disabled} onClick={onHoldBack} data-testid="publish-hold-back">
          Publish without {n === 1 ? 'it' : 'them'}
        </Button>
        <Button
          size="small"
          appearance="primary"
          disabled={disabled || trimmed === '' || trimmed.length > MAX_REASON_LENGTH}
          onClick={() => onPublishAnyway(trimmed)}
          data-testid="publish-anyway"
        >
          Publish anyway
        </Button>
      </div>
      <Caption1 className={s.hint}>
        Without them: the other rows are published; {plural(n, 'invoice')} and {n === 1 ? 'its' : 'their'} lines stay
        unpublished, so the next Publish asks again.
      </Caption1>
    </section>
  );
}
