// The task pane: connection, the command list, progress with cancel, message bars, clickable errors and conflicts.
import React, { useRef, useState } from 'react';
import {
  Button,
  Caption1,
  Divider,
  Field,
  Input,
  Link,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  ProgressBar,
  Select,
  Subtitle2,
  Textarea,
  Title3,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { WorkbookAdapter } from '../excel/workbookAdapter';
import { createHttpApiClient, devTokenProvider, type LedgerApiClient, type TokenProvider } from '../flows/apiClient';
import { approveRows, selectedLedgerRows } from '../flows/approve';
import { resolveConflict, type Conflict } from '../flows/conflicts';
import { writeReceivables, writeStatistics } from '../flows/figures';
import { checkWorkbookInvoices } from '../flows/invoiceCheck';
import type { Progress } from '../flows/progress';
import { publish } from '../flows/publish';
import { pull } from '../flows/pull';
import { setupLedgerSheets } from '../flows/setup';
import { validateWorkbook } from '../flows/validate';
import { loadSettings, saveSettings, type AzureSettings, type Settings } from './settings';

export interface AppProps {
  host: string;
  workbook: WorkbookAdapter;
  /** Azure sign-in (MSAL nested app auth); injected by the entry file so nothing else loads MSAL. */
  signInAzure?: (settings: AzureSettings) => Promise<TokenProvider>;
  storage?: Storage;
}

/** A place in the workbook a message points at; clicking it selects the cell. */
interface Place {
  table: string;
  row: number;
  column: string;
  address: string;
  message: string;
}

type Message = { intent: 'success' | 'warning' | 'error' | 'info'; title: string; text: string };

const useStyles = makeStyles({
  root: { padding: '12px', display: 'flex', flexDirection: 'column', gap: '8px', fontSize: tokens.fontSizeBase200 },
  row: { display: 'flex', gap: '6px', flexWrap: 'wrap', alignItems: 'end' },
  commands: { display: 'flex', flexDirection: 'column', gap: '4px' },
  command: { justifyContent: 'flex-start' },
  list: { margin: 0, paddingLeft: '0', listStyle: 'none', maxHeight: '220px', overflowY: 'auto' },
  small: { minWidth: '90px', flex: '1 1 90px' },
  conflict: {
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    padding: '6px',
    borderRadius: tokens.borderRadiusMedium,
  },
  table: { width: '100%', borderCollapse: 'collapse', fontSize: tokens.fontSizeBase200 },
});

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function App({ host, workbook, signInAzure, storage }: AppProps): React.JSX.Element {
  const s = useStyles();
  const [settings, setSettings] = useState<Settings>(() => loadSettings(storage));
  const [api, setApi] = useState<{ client: LedgerApiClient; user: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [msg, setMsg] = useState<Message | null>(null);
  const [places, setPlaces] = useState<Place[]>([]);
  const [conflicts, setConflicts] = useState<Conflict[]>([]);
  const [filters, setFilters] = useState({ region: '', salespersonId: '', period: '' });
  const [stats, setStats] = useState({ period: 'month', groupBy: 'region', from: '2016-01-01', to: '2016-12-31' });
  const [aging, setAging] = useState({ asOf: '2016-12-31', groupBy: 'customer' });
  const abort = useRef<AbortController | null>(null);

  async function connect(): Promise<void> {
    try {
      saveSettings(storage, settings);
      const tokens =
        settings.mode === 'azure'
          ? await (signInAzure ?? (() => Promise.reject(new Error('Azure sign-in is not available here.'))))(
              settings.azure,
            )
          : devTokenProvider(settings.devToken);
      if (settings.mode === 'development' && settings.devToken.trim() === '')
        throw new Error('Paste a development token (npm run --silent token -- --user <id> --roles clerk).');
      const client = createHttpApiClient({ baseUrl: settings.apiBaseUrl, tokens });
      setApi({ client, user: tokens.user() ?? 'unknown user' });
      setMsg({ intent: 'success', title: 'Connected', text: `Signed in as ${tokens.user() ?? 'unknown user'}.` });
    } catch (e) {
      setMsg({ intent: 'error', title: 'Sign-in failed', text: message(e) });
    }
  }

  /** Runs a command with the progress bar, the cancel button and one message at the end. */
  async function run(what: string, body: (signal: AbortSignal) => Promise<Message>): Promise<void> {
    const controller = new AbortController();
    abort.current = controller;
    setBusy(what);
    setProgress(null);
    setMsg(null);
    try {
      setMsg(await body(controller.signal));
    } catch (e) {
      setMsg({ intent: 'error', title: `${what} failed`, text: message(e) });
    } finally {
      setBusy(null);
      setProgress(null);
      abort.current = null;
    }
  }

  const needApi = (): LedgerApiClient => {
    if (api === null) throw new Error('Connect to the API first.');
    return api.client;
  };

  const commands: { id: string; label: string; act: () => Promise<void>; api?: boolean }[] = [
    {
      id: 'setup',
      label: 'Set up ledger sheets',
      act: () =>
        run('Set up', async (signal) => {
          const res = await setupLedgerSheets(workbook, { onProgress: setProgress, signal });
          const created = res.filter((r) => r.created).map((r) => r.table);
          const repaired = res.filter((r) => r.repairs.length > 0);
          setPlaces([]);
          return {
            intent: 'success',
            title: 'Ledger sheets ready',
            text: [
              created.length > 0 ? `Created ${created.join(', ')}.` : 'All ledger tables were there.',
              ...repaired.map((r) => `${r.table}: ${r.repairs.join('; ')} (${r.rows} rows kept).`),
            ].join(' '),
          };
        }),
    },
    {
      id: 'validate',
      label: 'Validate',
      act: () =>
        run('Validate', async (signal) => {
          const res = await validateWorkbook(workbook, { onProgress: setProgress, signal });
          setPlaces(res.errors);
          return res.errors.length === 0
            ? { intent: 'success', title: 'No errors', text: `${res.rowsChecked} rows checked.` }
            : {
                intent: 'warning',
                title: `${res.errors.length} error(s) in ${res.invalidRows} row(s)`,
                text: `${res.rowsChecked} rows checked. Click an error to go to its cell.`,
              };
        }),
    },
    {
      id: 'check',
      label: 'Check invoices',
      act: () =>
        run('Invoice check', async (signal) => {
          const res = await checkWorkbookInvoices(workbook, { onProgress: setProgress, signal });
          setPlaces(res.findings);
          return {
            intent: res.findings.length === 0 ? 'success' : 'warning',
            title: `${res.findings.length} finding(s)`,
            text: `${res.invoicesChecked} invoices checked; see the Invoice check sheet.${res.skippedRows > 0 ? ` ${res.skippedRows} invalid rows left out (Validate).` : ''}`,
          };
        }),
    },
    { id: 'publish', label: 'Publish', api: true, act: () => doPublish(false) },
    { id: 'publish-failed', label: 'Publish failed rows only', api: true, act: () => doPublish(true) },
    {
      id: 'approve',
      label: 'Approve selected rows',
      api: true,
      act: () =>
        run('Approve', async () => {
          const client = needApi();
          const target = await selectedLedgerRows(workbook);
          if (target === null) throw new Error('Select rows of a ledger table first.');
          const res = await approveRows(workbook, client, target, api?.user ?? '');
          setPlaces([]);
          const c = res.counts;
          return {
            intent: c.self + c.notFound > 0 ? 'warning' : 'success',
            title: `${c.approved} approved`,
            text: `${c.alreadyApproved} already approved, ${c.self} refused (your own change), ${c.notFound} not on the server.`,
          };
        }),
    },
  ];

  function doPublish(failedOnly: boolean): Promise<void> {
    return run('Publish', async (signal) => {
      const res = await publish(workbook, needApi(), { failedOnly, onProgress: setProgress, signal });
      setPlaces(res.failures);
      setConflicts(res.conflicts);
      const c = res.counts;
      const failed = c.conflict + c.invalid + c.error;
      return {
        intent: failed > 0 || res.cancelled ? 'warning' : 'success',
        title: res.cancelled ? `Cancelled after ${res.sent} rows` : `Published ${res.sent} rows`,
        text: `${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ${c.conflict} conflict, ${c.invalid} invalid, ${c.error} failed.`,
      };
    });
  }

  function doPull(): Promise<void> {
    return run('Pull', async (signal) => {
      const f = Object.fromEntries(Object.entries(filters).filter(([, v]) => v.trim() !== ''));
      const res = await pull(workbook, needApi(), { filters: f, onProgress: setProgress, signal });
      setConflicts(res.conflicts);
      setPlaces([]);
      const sum = (k: 'added' | 'updated' | 'keptLocal') => res.ledgers.reduce((n, l) => n + l[k], 0);
      return {
        intent: res.conflicts.length > 0 || res.cancelled ? 'warning' : 'success',
        title: res.cancelled ? 'Pull cancelled' : 'Pulled',
        text: `${sum('added')} added, ${sum('updated')} updated, ${sum('keptLocal')} local edits kept, ${res.conflicts.length} conflict(s).`,
      };
    });
  }

  async function resolve(c: Conflict, choice: 'mine' | 'theirs'): Promise<void> {
    try {
      await resolveConflict(workbook, c, choice);
      setConflicts((all) => all.filter((x) => x !== c));
      setMsg({
        intent: 'success',
        title: choice === 'mine' ? 'Kept mine' : 'Took theirs',
        text:
          choice === 'mine'
            ? `${c.key} will overwrite the server on the next publish.`
            : `${c.key} now shows the server's version.`,
      });
    } catch (e) {
      setMsg({ intent: 'error', title: 'Could not resolve', text: message(e) });
    }
  }

  function go(p: Place): void {
    workbook
      .selectCell(p.table, p.row, p.column)
      .catch((e: unknown) => setMsg({ intent: 'error', title: 'Cannot select the cell', text: message(e) }));
  }

  const disabled = busy !== null;
  return (
    <main className={s.root}>
      <header>
        <Title3 as="h1">Ledgerdesk</Title3>
        <Caption1 data-testid="host" block>
          Connected to {host}
        </Caption1>
      </header>

      <section aria-label="Connection">
        <Subtitle2 as="h2">Connection</Subtitle2>
        {api === null ? (
          <div className={s.commands}>
            <Field label="Sign-in">
              <Select
                value={settings.mode}
                onChange={(_, d) => setSettings({ ...settings, mode: d.value as Settings['mode'] })}
                data-testid="mode"
              >
                <option value="development">Development token</option>
                <option value="azure">Microsoft 365 (Azure)</option>
              </Select>
            </Field>
            <Field label="API base URL">
              <Input
                size="small"
                value={settings.apiBaseUrl}
                onChange={(_, d) => setSettings({ ...settings, apiBaseUrl: d.value })}
                data-testid="api-url"
              />
            </Field>
            {settings.mode === 'development' ? (
              <Field label="Development token" hint="npm run --silent token -- --user <id> --roles clerk">
                <Textarea
                  size="small"
                  value={settings.devToken}
                  onChange={(_, d) => setSettings({ ...settings, devToken: d.value })}
                  data-testid="dev-token"
                />
              </Field>
            ) : (
              <>
                <Field label="Add-in client ID">
                  <Input
                    size="small"
                    value={settings.azure.clientId}
                    onChange={(_, d) => setSettings({ ...settings, azure: { ...settings.azure, clientId: d.value } })}
                  />
                </Field>
                <Field label="API scope">
                  <Input
                    size="small"
                    value={settings.azure.apiScope}
                    onChange={(_, d) => setSettings({ ...settings, azure: { ...settings.azure, apiScope: d.value } })}
                  />
                </Field>
              </>
            )}
            <Button appearance="primary" size="small" onClick={() => void connect()} data-testid="connect">
              Sign in
            </Button>
          </div>
        ) : (
          <div className={s.row}>
            <Caption1 data-testid="user">Signed in as {api.user}</Caption1>
            <Link as="button" onClick={() => setApi(null)}>
              Sign out
            </Link>
          </div>
        )}
      </section>
      <Divider />

      <section aria-label="Commands" className={s.commands}>
        <Subtitle2 as="h2">Commands</Subtitle2>
        {commands.map((c) => (
          <Button
            key={c.id}
            className={s.command}
            size="small"
            appearance="subtle"
            disabled={disabled || (c.api === true && api === null)}
            onClick={() => void c.act()}
            data-testid={`cmd-${c.id}`}
          >
            {c.label}
          </Button>
        ))}
        <div className={s.row}>
          <Input
            className={s.small}
            size="small"
            placeholder="Region"
            value={filters.region}
            onChange={(_, d) => setFilters({ ...filters, region: d.value })}
            data-testid="pull-region"
          />
          <Input
            className={s.small}
            size="small"
            placeholder="Salesperson"
            value={filters.salespersonId}
            onChange={(_, d) => setFilters({ ...filters, salespersonId: d.value })}
          />
          <Input
            className={s.small}
            size="small"
            placeholder="Period (2016-Q4)"
            value={filters.period}
            onChange={(_, d) => setFilters({ ...filters, period: d.value })}
          />
          <Button size="small" disabled={disabled || api === null} onClick={() => void doPull()} data-testid="cmd-pull">
            Pull
          </Button>
        </div>
      </section>

      {busy !== null && (
        <section aria-label="Progress" data-testid="progress">
          <Field
            validationState="none"
            validationMessage={
              progress === null ? `${busy}…` : `${progress.phase}: ${progress.done} of ${progress.total}`
            }
          >
            <ProgressBar
              value={progress === null || progress.total === 0 ? undefined : progress.done / progress.total}
            />
          </Field>
          <Button size="small" onClick={() => abort.current?.abort()} data-testid="cancel">
            Cancel
          </Button>
        </section>
      )}

      {msg !== null && (
        <MessageBar intent={msg.intent} data-testid="message">
          <MessageBarBody>
            <MessageBarTitle>{msg.title}</MessageBarTitle>
            {msg.text}
          </MessageBarBody>
        </MessageBar>
      )}

      {places.length > 0 && (
        <ul className={s.list} data-testid="errors" aria-label="Errors">
          {places.slice(0, 500).map((p, i) => (
            <li key={i}>
              <Link as="button" onClick={() => go(p)}>
                {p.address}
              </Link>{' '}
              <Caption1>{p.message}</Caption1>
            </li>
          ))}
        </ul>
      )}

      {conflicts.length > 0 && (
        <section aria-label="Conflicts" data-testid="conflicts" className={s.commands}>
          <Subtitle2 as="h2">Conflicts</Subtitle2>
          {conflicts.map((c) => (
            <div key={`${c.table}|${c.key}`} className={s.conflict} data-testid={`conflict-${c.key}`}>
              <Link
                as="button"
                onClick={() =>
                  go({ table: c.table, row: c.row, column: c.cells[0]?.column ?? '', address: c.address, message: '' })
                }
              >
                {c.table} {c.key} ({c.address})
              </Link>
              <table className={s.table}>
                <thead>
                  <tr>
                    <th align="left">Column</th>
                    <th align="left">Mine</th>
                    <th align="left">Theirs</th>
                  </tr>
                </thead>
                <tbody>
                  {c.cells.map((cell) => (
                    <tr key={cell.field}>
                      <td>{cell.column}</td>
                      <td>{String(cell.mine)}</td>
                      <td>{String(cell.theirs)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <div className={s.row}>
                <Button size="small" onClick={() => void resolve(c, 'mine')} data-testid={`keep-mine-${c.key}`}>
                  Keep mine
                </Button>
                <Button size="small" onClick={() => void resolve(c, 'theirs')} data-testid={`take-theirs-${c.key}`}>
                  Take theirs
                </Button>
              </div>
            </div>
          ))}
        </section>
      )}
      <Divider />

      <section aria-label="Figures" className={s.commands}>
        <Subtitle2 as="h2">Figures</Subtitle2>
        <div className={s.row}>
          <Select
            className={s.small}
            size="small"
            value={stats.period}
            onChange={(_, d) => setStats({ ...stats, period: d.value })}
          >
            <option value="month">Month</option>
            <option value="quarter">Quarter</option>
            <option value="year">Year</option>
          </Select>
          <Select
            className={s.small}
            size="small"
            value={stats.groupBy}
            onChange={(_, d) => setStats({ ...stats, groupBy: d.value })}
          >
            <option value="region">By region</option>
            <option value="salesperson">By salesperson</option>
            <option value="customer">By customer</option>
            <option value="none">No grouping</option>
          </Select>
          <Input
            className={s.small}
            size="small"
            value={stats.from}
            onChange={(_, d) => setStats({ ...stats, from: d.value })}
          />
          <Input
            className={s.small}
            size="small"
            value={stats.to}
            onChange={(_, d) => setStats({ ...stats, to: d.value })}
          />
          <Button
            size="small"
            disabled={disabled || api === null}
            data-testid="cmd-stats"
            onClick={() =>
              void run('Statistics', async () => {
                const n = await writeStatistics(workbook, needApi(), stats as Parameters<typeof writeStatistics>[2]);
                return {
                  intent: 'success',
                  title: 'Statistics written',
                  text: `${n} rows on the Statistics sheet, with a chart.`,
                };
              })
            }
          >
            Statistics
          </Button>
        </div>
        <div className={s.row}>
          <Input
            className={s.small}
            size="small"
            value={aging.asOf}
            onChange={(_, d) => setAging({ ...aging, asOf: d.value })}
          />
          <Select
            className={s.small}
            size="small"
            value={aging.groupBy}
            onChange={(_, d) => setAging({ ...aging, groupBy: d.value })}
          >
            <option value="customer">By customer</option>
            <option value="contract">By contract</option>
            <option value="region">By region</option>
            <option value="salesperson">By salesperson</option>
          </Select>
          <Button
            size="small"
            disabled={disabled || api === null}
            data-testid="cmd-aging"
            onClick={() =>
              void run('Receivables', async () => {
                const n = await writeReceivables(workbook, needApi(), aging as Parameters<typeof writeReceivables>[2]);
                return {
                  intent: 'success',
                  title: 'Receivables written',
                  text: `${n} rows on the Receivables sheet, with a chart.`,
                };
              })
            }
          >
            Receivables aging
          </Button>
        </div>
      </section>
    </main>
  );
}
