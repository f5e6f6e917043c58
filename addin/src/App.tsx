// The task pane: header with connection state, commands in tabs, progress with cancel, message bars, clickable errors and conflicts.
import React, { useRef, useState } from 'react';
import {
  Badge,
  Body1,
  Button,
  Caption1,
  Divider,
  Field,
  Input,
  Label,
  Link,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  ProgressBar,
  Select,
  Subtitle1,
  Tab,
  TabList,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
// Installed with @fluentui/react-components (it depends on it); imported by name so the bundle keeps only these.
import {
  ArrowDownloadRegular,
  ArrowRepeatAllRegular,
  ArrowSyncRegular,
  ArrowUploadRegular,
  CheckmarkCircleRegular,
  CheckmarkStarburstRegular,
  DataBarVerticalRegular,
  DismissRegular,
  MoneyRegular,
  PersonRegular,
  PlugConnectedRegular,
  PlugDisconnectedRegular,
  ReceiptSearchRegular,
  SignOutRegular,
  TableSettingsRegular,
} from '@fluentui/react-icons';
import type { WorkbookAdapter } from '../excel/workbookAdapter';
import { createHttpApiClient, devTokenProvider, type LedgerApiClient, type TokenProvider } from '../flows/apiClient';
import { approveRows, decisionSummary, selectedLedgerRows, tookEffect } from '../flows/approve';
import { resolveConflict, type Conflict } from '../flows/conflicts';
import { writeReceivables, writeStatistics } from '../flows/figures';
import { checkWorkbookInvoices } from '../flows/invoiceCheck';
import type { Progress } from '../flows/progress';
import { publish } from '../flows/publish';
import { pull } from '../flows/pull';
import { setupLedgerSheets } from '../flows/setup';
import { validateWorkbook } from '../flows/validate';
import { tableName } from '../flows/layout';
import { ledger as ledgerOf } from '../../shared/ledgers';
import type { PaneMessage } from './message';
import { ReviewQueue } from './Review';
import { FiguresStatusLine } from './FiguresStatus';
import { figureEngine } from './functions/functions';
import { httpFiguresTransport } from './functions/transport';
import { ReportsSection } from './Reports';
import { CollectionsSection } from './Collections';
import { createDunningClient, type DunningClient } from '../flows/dunning';
import { createReportsClient, type ReportsClient } from '../flows/reports';
import { CustomerFile } from './CustomerFile';
import { EXPENSE_CHECK_HINT, expenseCheckCommand } from './expenseCommands';
import { SalespeopleMonth } from './SalespeopleMonth';
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

type Tab = 'sheets' | 'sync' | 'review' | 'figures';

const ICONS: Record<string, React.JSX.Element> = {
  setup: <TableSettingsRegular />,
  validate: <CheckmarkCircleRegular />,
  check: <ReceiptSearchRegular />,
  publish: <ArrowUploadRegular />,
  'publish-failed': <ArrowRepeatAllRegular />,
  approve: <CheckmarkStarburstRegular />,
};

/** The Azure sign-in settings the pane asks for (the authority keeps its default). */
const AZURE_FIELDS = [
  ['clientId', 'Add-in client ID'],
  ['apiScope', 'API scope'],
] as const satisfies readonly (readonly [keyof AzureSettings, string])[];

// Spacing and colours from Fluent tokens, so the pane follows Office's theme and density.
const useStyles = makeStyles({
  root: {
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalM}`,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    backgroundColor: tokens.colorNeutralBackground2,
    minHeight: '100vh',
    boxSizing: 'border-box',
  },
  header: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalS,
    paddingBottom: tokens.spacingVerticalS,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  brand: { display: 'flex', flexDirection: 'column' },
  title: { margin: 0, color: tokens.colorBrandForeground1 },
  hint: { color: tokens.colorNeutralForeground3 },
  card: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalM,
    backgroundColor: tokens.colorNeutralBackground1,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  signedIn: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  grow: { flexGrow: 1 },
  tabs: { marginLeft: `calc(-1 * ${tokens.spacingHorizontalS})` },
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  command: { justifyContent: 'flex-start', width: '100%' },
  divider: { marginTop: tokens.spacingVerticalXS, marginBottom: tokens.spacingVerticalXS },
  grid2: { display: 'grid', gridTemplateColumns: 'repeat(2, minmax(0, 1fr))', gap: tokens.spacingHorizontalS },
  grid3: { display: 'grid', gridTemplateColumns: 'repeat(3, minmax(0, 1fr))', gap: tokens.spacingHorizontalS },
  // Fluent inputs keep a minimum width of their own; in a narrow pane they must shrink with their grid cell.
  fill: { minWidth: 0, width: '100%' },
  progress: { display: 'flex', alignItems: 'flex-start', gap: tokens.spacingHorizontalS },
  list: {
    margin: 0,
    padding: 0,
    listStyle: 'none',
    maxHeight: '260px',
    overflowY: 'auto',
    backgroundColor: tokens.colorNeutralBackground1,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  item: {
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    borderBottom: `1px solid ${tokens.colorNeutralStroke3}`,
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover },
  },
  address: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  table: { tableLayout: 'auto' },
  mine: { color: tokens.colorPaletteDarkOrangeForeground2 },
  theirs: { color: tokens.colorPaletteBlueForeground2 },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, justifyContent: 'flex-end' },
});

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function App({ host, workbook, signInAzure, storage }: AppProps): React.JSX.Element {
  const s = useStyles();
  const [settings, setSettings] = useState<Settings>(() => loadSettings(storage));
  const [api, setApi] = useState<{
    client: LedgerApiClient;
    user: string;
    reports?: ReportsClient;
    dunning?: DunningClient;
  } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [msg, setMsg] = useState<PaneMessage | null>(null);
  // The list under the message and its heading change together, so they are one state.
  const [places, setPlacesState] = useState<{ list: Place[]; label: string }>({ list: [], label: 'Errors' });
  const setPlaces = (list: Place[], label = 'Errors'): void => setPlacesState({ list, label });
  const [conflicts, setConflicts] = useState<Conflict[]>([]);
  const [filters, setFilters] = useState({ region: '', salespersonId: '', period: '' });
  const [stats, setStats] = useState({ period: 'month', groupBy: 'region', from: '2016-01-01', to: '2016-12-31' });
  const [aging, setAging] = useState({ asOf: '2016-12-31', groupBy: 'customer' });
  const [tab, setTab] = useState<Tab>('sheets');
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
      const reports = createReportsClient({ baseUrl: settings.apiBaseUrl, tokens });
      const dunning = createDunningClient({ baseUrl: settings.apiBaseUrl, tokens });
      setApi({ client, user: tokens.user() ?? 'unknown user', reports, dunning });
      // One sign-in serves the LEDGERDESK formulas too (shared runtime).
      figureEngine().connect(httpFiguresTransport({ baseUrl: settings.apiBaseUrl, tokens }));
      setMsg({ intent: 'success', title: 'Connected', text: `Signed in as ${tokens.user() ?? 'unknown user'}.` });
    } catch (e) {
      setMsg({ intent: 'error', title: 'Sign-in failed', text: message(e) });
    }
  }

  /** Runs a command with the progress bar, the cancel button and one message at the end. */
  async function run(what: string, body: (signal: AbortSignal) => Promise<PaneMessage>): Promise<void> {
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
          setPlaces(res.findings, 'Findings');
          return {
            intent: res.findings.length === 0 ? 'success' : 'warning',
            title: `${res.findings.length} finding(s)`,
            text: `${res.invoicesChecked} invoices checked; see the Invoice check sheet.${res.skippedRows > 0 ? ` ${res.skippedRows} invalid rows left out (Validate).` : ''}`,
          };
        }),
    },
    expenseCheckCommand({ workbook, run, setProgress, setPlaces }),
    { id: 'publish', label: 'Publish', api: true, act: () => doPublish(false) },
    { id: 'publish-failed', label: 'Publish failed rows only', api: true, act: () => doPublish(true) },
    {
      id: 'approve',
      label: 'Approve selected rows',
      api: true,
      act: () =>
        run('Approve', async (signal) => {
          const client = needApi();
          const target = await selectedLedgerRows(workbook);
          if (target === null) throw new Error('Select rows of a ledger table first.');
          const res = await approveRows(workbook, client, target, api?.user ?? '', {
            onProgress: setProgress,
            signal,
          });
          // Every row not approved is listed with its reason; each also says it in its Sync status cell.
          const table = tableName(ledgerOf(target.ledger));
          setPlaces(
            res.outcomes.flatMap((o) =>
              tookEffect('approve', o.status) || o.row === null || o.address === null
                ? []
                : [{ table, row: o.row, column: o.column, address: o.address, message: o.message }],
            ),
            'Rows not approved',
          );
          const sent = res.outcomes.length;
          return {
            intent: res.counts.approved + res.counts.alreadyApproved === sent && !res.cancelled ? 'success' : 'warning',
            title: `${res.cancelled ? 'Cancelled: ' : ''}${res.counts.approved} of ${sent} approved`,
            text: decisionSummary(res, 'approve'),
          };
        }),
    },
  ];

  function doPublish(failedOnly: boolean): Promise<void> {
    return run('Publish', async (signal) => {
      const res = await publish(workbook, needApi(), { failedOnly, onProgress: setProgress, signal });
      setPlaces(res.failures, 'Rows not published');
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
  const offline = api === null;
  const commandButton = (id: string, primary = false) => {
    const c = commands.find((x) => x.id === id);
    if (c === undefined) return null;
    return (
      <Button
        className={s.command}
        appearance={primary ? 'primary' : 'secondary'}
        icon={ICONS[id]}
        disabled={disabled || (c.api === true && offline)}
        onClick={() => void c.act()}
        data-testid={`cmd-${c.id}`}
      >
        {c.label}
      </Button>
    );
  };
  const hint = (text: string) => <Caption1 className={s.hint}>{text}</Caption1>;

  return (
    <main className={s.root}>
      <header className={s.header}>
        <div className={s.brand}>
          <Subtitle1 as="h1" className={s.title}>
            Ledgerdesk
          </Subtitle1>
          <Caption1 data-testid="host" className={s.hint}>
            Connected to {host}
          </Caption1>
        </div>
        <Badge
          data-testid="connection-state"
          appearance="tint"
          color={offline ? 'informative' : 'success'}
          icon={offline ? <PlugDisconnectedRegular /> : <PlugConnectedRegular />}
        >
          {offline ? 'Not signed in' : 'Online'}
        </Badge>
      </header>
      <FiguresStatusLine />

      <section aria-label="Connection" className={s.card}>
        {api === null ? (
          <div className={s.stack}>
            <Field label="Sign-in" size="small">
              <Select
                size="small"
                value={settings.mode}
                onChange={(_, d) => setSettings({ ...settings, mode: d.value as Settings['mode'] })}
                data-testid="mode"
              >
                <option value="development">Development token</option>
                <option value="azure">Microsoft 365 (Azure)</option>
              </Select>
            </Field>
            <Field label="API base URL" size="small">
              <Input
                size="small"
                value={settings.apiBaseUrl}
                onChange={(_, d) => setSettings({ ...settings, apiBaseUrl: d.value })}
                data-testid="api-url"
              />
            </Field>
            {settings.mode === 'development' ? (
              <Field label="Development token" size="small" hint="npm run --silent token -- --user <id> --roles clerk">
                <Textarea
                  size="small"
                  resize="vertical"
                  value={settings.devToken}
                  onChange={(_, d) => setSettings({ ...settings, devToken: d.value })}
                  data-testid="dev-token"
                />
              </Field>
            ) : (
              AZURE_FIELDS.map(([key, label]) => (
                <Field key={key} label={label} size="small">
                  <Input
                    size="small"
                    value={settings.azure[key]}
                    onChange={(_, d) => setSettings({ ...settings, azure: { ...settings.azure, [key]: d.value } })}
                  />
                </Field>
              ))
            )}
            <Button appearance="primary" onClick={() => void connect()} data-testid="connect">
              Sign in
            </Button>
          </div>
        ) : (
          <div className={s.signedIn}>
            <PersonRegular aria-hidden />
            <Body1 data-testid="user" className={s.grow}>
              Signed in as {api.user}
            </Body1>
            <Button
              size="small"
              appearance="subtle"
              icon={<SignOutRegular />}
              onClick={() => {
                setApi(null);
                figureEngine().connect(undefined);
              }}
              data-testid="sign-out"
            >
              Sign out
            </Button>
          </div>
        )}
      </section>

      <TabList
        size="small"
        selectedValue={tab}
        onTabSelect={(_, d) => setTab(d.value as Tab)}
        className={s.tabs}
        aria-label="Commands"
      >
        <Tab value="sheets" icon={<TableSettingsRegular />} data-testid="tab-sheets">
          Sheets
        </Tab>
        <Tab value="sync" icon={<ArrowSyncRegular />} data-testid="tab-sync">
          Sync
        </Tab>
        <Tab value="review" icon={<CheckmarkStarburstRegular />} data-testid="tab-review">
          Review
        </Tab>
        <Tab value="figures" icon={<DataBarVerticalRegular />} data-testid="tab-figures">
          Figures
        </Tab>
      </TabList>

      {tab === 'sheets' && (
        <section aria-label="Sheets" className={s.stack}>
          {commandButton('validate', true)}
          {hint('Checks every row against the ledger rules and marks the cells that are wrong.')}
          {commandButton('check')}
          {hint('Compares invoice lines with the orders and deliveries; writes the Invoice check sheet.')}
          {commandButton('check-expenses')}
          {hint(EXPENSE_CHECK_HINT)}
          <Divider className={s.divider} />
          {commandButton('setup')}
          {hint('Creates the ledger tables, or repairs them without losing rows.')}
          <Divider className={s.divider} />
          <CustomerFile workbook={workbook} api={api} disabled={disabled} run={run} setProgress={setProgress} />
        </section>
      )}

      {tab === 'sync' && (
        <section aria-label="Sync" className={s.stack}>
          {commandButton('publish', true)}
          {hint('Sends new and changed rows; each row’s outcome lands in its Sync status cell.')}
          {commandButton('publish-failed')}
          <Divider className={s.divider} />
          <Label size="small" weight="semibold">
            Pull from the server
          </Label>
          <div className={s.grid3}>
            <Input
              className={s.fill}
              size="small"
              placeholder="Region"
              aria-label="Region"
              value={filters.region}
              onChange={(_, d) => setFilters({ ...filters, region: d.value })}
              data-testid="pull-region"
            />
            <Input
              className={s.fill}
              size="small"
              placeholder="Salesperson"
              aria-label="Salesperson"
              value={filters.salespersonId}
              onChange={(_, d) => setFilters({ ...filters, salespersonId: d.value })}
            />
            <Input
              className={s.fill}
              size="small"
              placeholder="2016-Q4"
              aria-label="Period"
              value={filters.period}
              onChange={(_, d) => setFilters({ ...filters, period: d.value })}
              data-testid="pull-period"
            />
          </div>
          <Button
            className={s.command}
            icon={<ArrowDownloadRegular />}
            disabled={disabled || offline}
            onClick={() => void doPull()}
            data-testid="cmd-pull"
          >
            Pull
          </Button>
          {hint('Keeps your unpublished edits; where the server changed the same row you choose.')}
        </section>
      )}

      {tab === 'review' && (
        <section aria-label="Review" className={s.stack}>
          {commandButton('approve', true)}
          {hint(
            'Select rows of a ledger table in Excel first: each is approved as the sheet shows it (its etag). A change must be approved by someone other than its author.',
          )}
          <Divider className={s.divider} />
          {/* Keyed by the user: signing in as someone else starts from an empty queue, never another user's page. */}
          <ReviewQueue
            key={api?.user ?? ''}
            workbook={workbook}
            api={api}
            disabled={disabled}
            run={run}
            setProgress={setProgress}
          />
        </section>
      )}

      {tab === 'figures' && (
        <section aria-label="Figures" className={s.stack}>
          <Label size="small" weight="semibold">
            Statistics
          </Label>
          <div className={s.grid2}>
            <Field label="Period" size="small">
              <Select size="small" value={stats.period} onChange={(_, d) => setStats({ ...stats, period: d.value })}>
                <option value="month">Month</option>
                <option value="quarter">Quarter</option>
                <option value="year">Year</option>
              </Select>
            </Field>
            <Field label="Group by" size="small">
              <Select size="small" value={stats.groupBy} onChange={(_, d) => setStats({ ...stats, groupBy: d.value })}>
                <option value="region">Region</option>
                <option value="salesperson">Salesperson</option>
                <option value="customer">Customer</option>
                <option value="none">No grouping</option>
              </Select>
            </Field>
            <Field label="From" size="small">
              <Input size="small" value={stats.from} onChange={(_, d) => setStats({ ...stats, from: d.value })} />
            </Field>
            <Field label="To" size="small">
              <Input size="small" value={stats.to} onChange={(_, d) => setStats({ ...stats, to: d.value })} />
            </Field>
          </div>
          <Button
            className={s.command}
            appearance="primary"
            icon={<DataBarVerticalRegular />}
            disabled={disabled || offline}
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
            Write statistics
          </Button>
          <Divider className={s.divider} />
          <Label size="small" weight="semibold">
            Receivables aging
          </Label>
          <div className={s.grid2}>
            <Field label="As of" size="small">
              <Input size="small" value={aging.asOf} onChange={(_, d) => setAging({ ...aging, asOf: d.value })} />
            </Field>
            <Field label="Group by" size="small">
              <Select size="small" value={aging.groupBy} onChange={(_, d) => setAging({ ...aging, groupBy: d.value })}>
                <option value="customer">Customer</option>
                <option value="contract">Contract</option>
                <option value="region">Region</option>
                <option value="salesperson">Salesperson</option>
              </Select>
            </Field>
          </div>
          <Button
            className={s.command}
            icon={<MoneyRegular />}
            disabled={disabled || offline}
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
            Write receivables aging
          </Button>
          <Divider className={s.divider} />
          <section aria-label="Reports" className={s.stack}>
            <Label size="small" weight="semibold">
              Reports
            </Label>
            <ReportsSection reports={api?.reports ?? null} disabled={disabled} run={run} />
          </section>
          <SalespeopleMonth workbook={workbook} disabled={disabled || offline} needApi={needApi} run={run} />
          <Divider className={s.divider} />
          <Label size="small" weight="semibold">
            Collections
          </Label>
          <CollectionsSection
            workbook={workbook}
            dunning={api?.dunning ?? null}
            ledgers={api?.client ?? null}
            disabled={disabled}
            run={run}
          />
        </section>
      )}

      {busy !== null && (
        <section aria-label="Progress" data-testid="progress" className={s.progress}>
          <Field
            className={s.grow}
            size="small"
            validationState="none"
            validationMessage={
              progress === null ? `${busy}…` : `${progress.phase}: ${progress.done} of ${progress.total}`
            }
          >
            <ProgressBar
              thickness="large"
              value={progress === null || progress.total === 0 ? undefined : progress.done / progress.total}
            />
          </Field>
          <Button size="small" icon={<DismissRegular />} onClick={() => abort.current?.abort()} data-testid="cancel">
            Cancel
          </Button>
        </section>
      )}

      {msg !== null && (
        <MessageBar intent={msg.intent} layout="multiline" data-testid="message">
          <MessageBarBody>
            <MessageBarTitle>{msg.title}</MessageBarTitle>
            {msg.text}
          </MessageBarBody>
        </MessageBar>
      )}

      {places.list.length > 0 && (
        <section aria-label="Cells to look at" className={s.stack}>
          <Label size="small" weight="semibold">
            {places.label} ({places.list.length > 500 ? `first 500 of ${places.list.length}` : places.list.length}) ·
            click to go to the cell
          </Label>
          <ul className={s.list} data-testid="errors" aria-label="Errors">
            {places.list.slice(0, 500).map((p, i) => (
              <li key={i} className={s.item}>
                <Link as="button" className={s.address} onClick={() => go(p)}>
                  {p.address}
                </Link>{' '}
                <Caption1>{p.message}</Caption1>
              </li>
            ))}
          </ul>
        </section>
      )}

      {conflicts.length > 0 && (
        <section aria-label="Conflicts" data-testid="conflicts" className={s.stack}>
          <Label size="small" weight="semibold">
            {conflicts.length} conflict(s): choose which version to keep
          </Label>
          {conflicts.map((c) => (
            <div key={`${c.table}|${c.key}`} className={s.card} data-testid={`conflict-${c.key}`}>
              <Link
                as="button"
                className={s.address}
                onClick={() =>
                  go({ table: c.table, row: c.row, column: c.cells[0]?.column ?? '', address: c.address, message: '' })
                }
              >
                {c.table} {c.key} · {c.address}
              </Link>
              <Table size="extra-small" aria-label={`Conflict on ${c.key}`} className={s.table}>
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>Column</TableHeaderCell>
                    <TableHeaderCell>Mine</TableHeaderCell>
                    <TableHeaderCell>Theirs</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {c.cells.map((cell) => (
                    <TableRow key={cell.field}>
                      <TableCell>{cell.column}</TableCell>
                      <TableCell className={s.mine}>{String(cell.mine)}</TableCell>
                      <TableCell className={s.theirs}>{String(cell.theirs)}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
              <div className={s.actions}>
                <Button size="small" onClick={() => void resolve(c, 'mine')} data-testid={`keep-mine-${c.key}`}>
                  Keep mine
                </Button>
                <Button
                  size="small"
                  appearance="primary"
                  onClick={() => void resolve(c, 'theirs')}
                  data-testid={`take-theirs-${c.key}`}
                >
                  Take theirs
                </Button>
              </div>
            </div>
          ))}
        </section>
      )}
    </main>
  );
}
