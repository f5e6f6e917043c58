// The task pane's Fluent UI shell; receives its workbook adapter so it can run against Office.js or a double.
import React, { useState } from 'react';
import {
  Body1,
  Button,
  Caption1,
  Card,
  CardHeader,
  Spinner,
  Subtitle1,
  Title3,
  tokens,
} from '@fluentui/react-components';
import type { WorkbookAdapter } from '../excel/workbookAdapter';

export interface AppProps {
  host: string;
  workbook: WorkbookAdapter;
}

type Status =
  | { kind: 'idle' }
  | { kind: 'busy'; what: string }
  | { kind: 'done'; message: string }
  | { kind: 'error'; message: string };

export function App({ host, workbook }: AppProps): React.JSX.Element {
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const [sheets, setSheets] = useState<string[]>([]);

  async function inspect(): Promise<void> {
    setStatus({ kind: 'busy', what: 'Reading the workbook…' });
    try {
      const names = await workbook.listSheets();
      setSheets(names);
      setStatus({ kind: 'done', message: `${names.length} worksheet(s) found.` });
    } catch (e) {
      setStatus({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  }

  return (
    <main
      style={{
        padding: tokens.spacingHorizontalL,
        display: 'flex',
        flexDirection: 'column',
        gap: tokens.spacingVerticalM,
      }}
    >
      <header style={{ display: 'flex', flexDirection: 'column' }}>
        <Title3 as="h1">Ledgerdesk</Title3>
        <Caption1 data-testid="host">Connected to {host}</Caption1>
      </header>
      <Card>
        <CardHeader
          header={<Subtitle1>Workbook</Subtitle1>}
          description={<Body1>Ledger sheets in this workbook.</Body1>}
        />
        <Button
          appearance="primary"
          onClick={() => void inspect()}
          disabled={status.kind === 'busy'}
          data-testid="inspect"
        >
          Inspect workbook
        </Button>
        {status.kind === 'busy' && <Spinner size="tiny" label={status.what} />}
        {status.kind === 'done' && <Body1 data-testid="status">{status.message}</Body1>}
        {status.kind === 'error' && (
          <Body1 data-testid="status" style={{ color: tokens.colorPaletteRedForeground1 }}>
            {status.message}
          </Body1>
        )}
        {sheets.length > 0 && (
          <ul data-testid="sheets">
            {sheets.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
        )}
      </Card>
    </main>
  );
}
