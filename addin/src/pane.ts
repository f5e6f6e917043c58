// What every tab of the pane is handed: the workbook, the signed-in API, and the pane's run/progress/message plumbing.
import type { WorkbookAdapter } from '../excel/workbookAdapter';
import type { LedgerApiClient } from '../flows/apiClient';
import type { Conflict } from '../flows/conflicts';
import type { DunningClient } from '../flows/dunning';
import type { ProgressFn } from '../flows/progress';
import type { ReportsClient } from '../flows/reports';
import type { PaneMessage } from './message';

/** A place in the workbook a message points at; clicking it selects the cell. */
export interface Place {
  table: string;
  row: number;
  column: string;
  address: string;
  message: string;
}

/** The API clients of the signed-in user. */
export interface ApiSession {
  client: LedgerApiClient;
  user: string;
  reports?: ReportsClient;
  dunning?: DunningClient;
}

/** Runs a command with the progress bar, the cancel button and one message at the end. */
export type RunCommand = (what: string, body: (signal: AbortSignal) => Promise<PaneMessage>) => Promise<void>;

export interface PaneContext {
  workbook: WorkbookAdapter;
  api: ApiSession | null;
  /** A command is running: every other command waits. */
  disabled: boolean;
  /** Nobody is signed in: commands that need the API wait. */
  offline: boolean;
  run: RunCommand;
  setProgress: ProgressFn;
  setPlaces: (list: Place[], label?: string) => void;
  setConflicts: (list: Conflict[]) => void;
  setMsg: (msg: PaneMessage | null) => void;
  /** The signed-in API client, or an error that says to sign in. */
  needApi: () => LedgerApiClient;
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
