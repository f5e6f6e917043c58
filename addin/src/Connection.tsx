// The sign-in card: development token or Microsoft 365, the API address, and who is signed in. Signing in asks the
// API (health and an authenticated call) and signs in only when both answer.
import { useState } from 'react';
import { Body1, Button, Field, Input, Select, Textarea } from '@fluentui/react-components';
import { PersonRegular, SignOutRegular } from '@fluentui/react-icons';
import { createHttpApiClient, devTokenProvider, type TokenProvider } from '../flows/apiClient';
import { checkConnection, type ConnectionState } from '../flows/connection';
import { createDunningClient } from '../flows/dunning';
import { createReportsClient } from '../flows/reports';
import { figureEngine } from './functions/functions';
import { httpFiguresTransport } from './functions/transport';
import type { PaneMessage } from './message';
import { errorText, type ApiSession } from './pane';
import { loadSettings, saveSettings, type AzureSettings, type Settings } from './settings';
import { useStyles } from './styles';

/** The Azure sign-in settings the pane asks for (the authority keeps its default). */
const AZURE_FIELDS = [
  ['clientId', 'Add-in client ID'],
  ['apiScope', 'API scope'],
] as const satisfies readonly (readonly [keyof AzureSettings, string])[];

export interface ConnectionProps {
  api: ApiSession | null;
  /** Azure sign-in (MSAL nested app auth); injected by the entry file so nothing else loads MSAL. */
  signInAzure?: (settings: AzureSettings) => Promise<TokenProvider>;
  storage?: Storage;
  onSignedIn: (session: ApiSession) => void;
  onSignedOut: () => void;
  /** The header badge's state and, when not online, the reason. */
  onStatus?: (status: ConnectionStatus) => void;
  setMsg: (m: PaneMessage) => void;
}

export interface ConnectionStatus {
  state: ConnectionState;
  reason?: string;
}

const STATE_TITLE: Record<ConnectionState, string> = {
  online: 'Online',
  offline: 'Offline',
  'signed-out': 'Not signed in',
};
/** The badge's words for a state. */
export const stateTitle = (state: ConnectionState): string => STATE_TITLE[state];

export function Connection({
  api,
  signInAzure,
  storage,
  onSignedIn,
  onSignedOut,
  onStatus,
  setMsg,
}: ConnectionProps): React.JSX.Element {
  const s = useStyles();
  const [settings, setSettings] = useState<Settings>(() => loadSettings(storage));

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
      const check = await checkConnection(settings.apiBaseUrl, tokens);
      if (check.state !== 'online') {
        onStatus?.({ state: check.state, reason: check.reason });
        setMsg({ intent: 'error', title: stateTitle(check.state), text: check.reason });
        return;
      }
      const user = check.me.userId;
      const client = createHttpApiClient({ baseUrl: settings.apiBaseUrl, tokens });
      const reports = createReportsClient({ baseUrl: settings.apiBaseUrl, tokens });
      const dunning = createDunningClient({ baseUrl: settings.apiBaseUrl, tokens });
      onSignedIn({ client, user, reports, dunning });
      onStatus?.({ state: 'online' });
      // One sign-in serves the LEDGERDESK formulas too (shared runtime).
      figureEngine().connect(httpFiguresTransport({ baseUrl: settings.apiBaseUrl, tokens }));
      setMsg({
        intent: 'success',
        title: 'Connected',
        text: `Signed in as ${user} (${check.me.roles.join(', ')}); the API at ${settings.apiBaseUrl} answers.`,
      });
    } catch (e) {
      onStatus?.({ state: 'signed-out', reason: errorText(e) });
      setMsg({ intent: 'error', title: 'Sign-in failed', text: errorText(e) });
    }
  }

  return (
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
              onSignedOut();
              onStatus?.({ state: 'signed-out' });
              figureEngine().connect(undefined);
            }}
            data-testid="sign-out"
          >
            Sign out
          </Button>
        </div>
      )}
    </section>
  );
}
