// The task pane: header with connection state, sign-in, the four tabs, progress with cancel, one message bar, the
// cells a command points at, and conflict cards. Each tab is its own component in tabs/.
import React, { useRef, useState } from 'react';
import {
  Badge,
  Button,
  Caption1,
  Field,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  ProgressBar,
  Subtitle1,
  Tab,
  TabList,
} from '@fluentui/react-components';
// Installed with @fluentui/react-components (it depends on it); imported by name so the bundle keeps only these.
import {
  ArrowSyncRegular,
  CheckmarkStarburstRegular,
  DataBarVerticalRegular,
  DismissRegular,
  PlugConnectedRegular,
  PlugDisconnectedRegular,
  TableSettingsRegular,
} from '@fluentui/react-icons';
import type { WorkbookAdapter } from '../excel/workbookAdapter';
import type { LedgerApiClient, TokenProvider } from '../flows/apiClient';
import type { Conflict } from '../flows/conflicts';
import type { Progress } from '../flows/progress';
import { Conflicts } from './Conflicts';
import { connectionAfterFailure } from '../flows/connection';
import { Connection, stateTitle, type ConnectionStatus } from './Connection';
import { FiguresStatusLine } from './FiguresStatus';
import type { PaneMessage } from './message';
import { errorText, type ApiSession, type PaneContext, type Place } from './pane';
import { Places } from './Places';
import type { AzureSettings } from './settings';
import { useStyles } from './styles';
import { FiguresTab } from './tabs/FiguresTab';
import { ReviewTab } from './tabs/ReviewTab';
import { SheetsTab } from './tabs/SheetsTab';
import { SyncTab } from './tabs/SyncTab';

export interface AppProps {
  host: string;
  workbook: WorkbookAdapter;
  /** Azure sign-in (MSAL nested app auth); injected by the entry file so nothing else loads MSAL. */
  signInAzure?: (settings: AzureSettings) => Promise<TokenProvider>;
  storage?: Storage;
}

type TabId = 'sheets' | 'sync' | 'review' | 'figures';

export function App({ host, workbook, signInAzure, storage }: AppProps): React.JSX.Element {
  const s = useStyles();
  const [api, setApi] = useState<ApiSession | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [msg, setMsg] = useState<PaneMessage | null>(null);
  // The list under the message and its heading change together, so they are one state.
  const [places, setPlacesState] = useState<{ list: Place[]; label: string }>({ list: [], label: 'Errors' });
  const [conflicts, setConflicts] = useState<Conflict[]>([]);
  const [tab, setTab] = useState<TabId>('sheets');
  const [status, setStatus] = useState<ConnectionStatus>({ state: 'signed-out' });
  const abort = useRef<AbortController | null>(null);

  async function run(what: string, body: (signal: AbortSignal) => Promise<PaneMessage>): Promise<void> {
    const controller = new AbortController();
    abort.current = controller;
    setBusy(what);
    setProgress(null);
    setMsg(null);
    try {
      setMsg(await body(controller.signal));
    } catch (e) {
      setMsg({ intent: 'error', title: `${what} failed`, text: errorText(e) });
      // An API that stopped answering (or a sign-in it no longer accepts) shows in the badge, not only in the message.
      const after = connectionAfterFailure(e);
      if (after !== null) setStatus(after);
    } finally {
      setBusy(null);
      setProgress(null);
      abort.current = null;
    }
  }

  function go(p: Place): void {
    workbook
      .selectCell(p.table, p.row, p.column)
      .catch((e: unknown) => setMsg({ intent: 'error', title: 'Cannot select the cell', text: errorText(e) }));
  }

  const offline = api === null;
  const pane: PaneContext = {
    workbook,
    api,
    disabled: busy !== null,
    offline,
    run,
    setProgress,
    setPlaces: (list, label = 'Errors') => setPlacesState({ list, label }),
    setConflicts,
    setMsg,
    needApi: (): LedgerApiClient => {
      if (api === null) throw new Error('Connect to the API first.');
      return api.client;
    },
  };

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
          color={status.state === 'online' ? 'success' : status.state === 'offline' ? 'danger' : 'informative'}
          icon={status.state === 'online' ? <PlugConnectedRegular /> : <PlugDisconnectedRegular />}
          title={status.reason}
        >
          {stateTitle(status.state)}
        </Badge>
      </header>
      <FiguresStatusLine />

      <Connection
        api={api}
        signInAzure={signInAzure}
        storage={storage}
        onSignedIn={setApi}
        onSignedOut={() => setApi(null)}
        onStatus={setStatus}
        setMsg={setMsg}
      />

      <TabList
        size="small"
        selectedValue={tab}
        onTabSelect={(_, d) => setTab(d.value as TabId)}
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

      {tab === 'sheets' && <SheetsTab {...pane} />}
      {tab === 'sync' && <SyncTab {...pane} />}
      {tab === 'review' && <ReviewTab {...pane} />}
      {tab === 'figures' && <FiguresTab {...pane} />}

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

      <Places list={places.list} label={places.label} go={go} />

      <Conflicts
        workbook={workbook}
        conflicts={conflicts}
        onResolved={(c) => setConflicts((all) => all.filter((x) => x !== c))}
        setMsg={setMsg}
        go={go}
      />
    </main>
  );
}
