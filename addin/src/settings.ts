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

/** The `<meta>` a local pane server adds to taskpane.html to name the API it runs beside (npm start may move ports). */
export const API_META_NAME = 'ledgerdesk-api-base-url';

/** The API address the page was served with, if any and if it is a URL. */
export function pageApiBaseUrl(page: Pick<Document, 'querySelector'> | undefined): string | undefined {
  const content = page?.querySelector(`meta[name="${API_META_NAME}"]`)?.getAttribute('content') ?? undefined;
  return content !== undefined && z.url().safeParse(content).success ? content : undefined;
}

/**
 * Saved settings, else defaults; the default API address is the one the page names (a local pane server beside the
 * API), else DEFAULT_API_BASE_URL. An address the user saved wins over both.
 */
export function loadSettings(
  storage: Pick<Storage, 'getItem'> | undefined,
  page: Pick<Document, 'querySelector'> | undefined = typeof document === 'undefined' ? undefined : document,
): Settings {
  const defaults = { apiBaseUrl: pageApiBaseUrl(page) };
  try {
    const raw = storage?.getItem(STORAGE_KEY);
    const saved: unknown = raw ? JSON.parse(raw) : {};
    if (typeof saved === 'object' && saved !== null && !Array.isArray(saved)) {
      const parsed = settingsSchema.safeParse({ ...defaults, ...saved });
      if (parsed.success) return parsed.data;
    }
  } catch {
    // A damaged entry falls back to the defaults below.
  }
  return settingsSchema.parse(defaults);
}

export function saveSettings(storage: Pick<Storage, 'setItem'> | undefined, settings: Settings): void {
  // The dev token is only valid against a local API for hours; keeping it saves pasting it on every reload.
  storage?.setItem(STORAGE_KEY, JSON.stringify(settings));
}
