// Tests for addin/src/settings.ts: the default API address comes from the page a local pane server served, if any.
import { DEFAULT_API_BASE_URL } from '../../addin/flows/apiClient';
import { API_META_NAME, loadSettings, pageApiBaseUrl } from '../../addin/src/settings';

/** A page whose only element is the API meta with `content` (none when undefined). */
function page(content: string | undefined): Pick<Document, 'querySelector'> {
  return {
    querySelector: (selector: string) =>
      selector === `meta[name="${API_META_NAME}"]` && content !== undefined
        ? { getAttribute: (name: string) => (name === 'content' ? content : null) }
        : null,
  };
}

const storage = (saved: unknown): Pick<Storage, 'getItem'> => ({
  getItem: () => (saved === undefined ? null : JSON.stringify(saved)),
});

describe('the default API address', () => {
  it('is the one the page names', () => {
    expect(pageApiBaseUrl(page('http://127.0.0.1:7072/api'))).toBe('http://127.0.0.1:7072/api');
    expect(loadSettings(storage(undefined), page('http://127.0.0.1:7072/api')).apiBaseUrl).toBe(
      'http://127.0.0.1:7072/api',
    );
  });

  it('is DEFAULT_API_BASE_URL without the meta, with a meta that is no URL, and outside a browser', () => {
    expect(loadSettings(storage(undefined), page(undefined)).apiBaseUrl).toBe(DEFAULT_API_BASE_URL);
    expect(pageApiBaseUrl(page('not a url'))).toBeUndefined();
    expect(loadSettings(storage(undefined), page('not a url')).apiBaseUrl).toBe(DEFAULT_API_BASE_URL);
    expect(loadSettings(storage(undefined), undefined).apiBaseUrl).toBe(DEFAULT_API_BASE_URL);
  });

  it('gives way to an address the user saved, and keeps the rest of what was saved', () => {
    const saved = { apiBaseUrl: 'https://api.example.com/api', devToken: 'abc' };
    const settings = loadSettings(storage(saved), page('http://127.0.0.1:7072/api'));
    expect(settings.apiBaseUrl).toBe('https://api.example.com/api');
    expect(settings.devToken).toBe('abc');
    expect(loadSettings(storage({ devToken: 'abc' }), page('http://127.0.0.1:7072/api'))).toMatchObject({
      apiBaseUrl: 'http://127.0.0.1:7072/api',
      devToken: 'abc',
    });
  });

  it('falls back to the page default when what was saved is damaged', () => {
    const damaged: Pick<Storage, 'getItem'> = { getItem: () => '{not json' };
    expect(loadSettings(damaged, page('http://127.0.0.1:7072/api')).apiBaseUrl).toBe('http://127.0.0.1:7072/api');
    expect(loadSettings(storage(['a']), page(undefined)).apiBaseUrl).toBe(DEFAULT_API_BASE_URL);
  });
});
