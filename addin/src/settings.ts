// Connection settings of the task pane (API base URL, sign-in mode), validated once and kept in localStorage.
import { z } from 'zod';
import { DEFAULT_API_BASE_URL } from '../flows/apiClient';

export const settingsSchema = z.object({
  mode: z.enum(['development', 'azure']).default('development'),
  apiBaseUrl: z.url().default(DEFAULT_API_BASE_URL),
  /** Development: a token from `npm run --silent token -- --user <id> --roles <roles>`. */
  devToken: z.string().default(''),
  /** Azure: the Entra app registration of the add-in and the API scope it asks for. */
  azure: z
    .object({
      clientId: z.string().default(''),
      authority: z.string().default('https://login.microsoftonline.com/common'),
      apiScope: z.string().default(''),
    })
    .default({ clientId: '', authority: 'https://login.microsoftonline.com/common', apiScope: '' }),
});
export type Settings = z.infer<typeof settingsSchema>;
export type AzureSettings = Settings['azure'];

const STORAGE_KEY = 'ledgerdesk.settings';

export function loadSettings(storage: Pick<Storage, 'getItem'> | undefined): Settings {
  try {
    const raw = storage?.getItem(STORAGE_KEY);
    const parsed = settingsSchema.safeParse(raw ? JSON.parse(raw) : {});
    if (parsed.success) return parsed.data;
  } catch {
    // A damaged entry falls back to the defaults below.
  }
  return settingsSchema.parse({});
}

export function saveSettings(storage: Pick<Storage, 'setItem'> | undefined, settings: Settings): void {
  // The dev token is only valid against a local API for hours; keeping it saves pasting it on every reload.
  storage?.setItem(STORAGE_KEY, JSON.stringify(settings));
}
