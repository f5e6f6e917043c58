// Tests for local/match.ts: Azure route templates, decoding, precedence and methods.
import { compileTemplate, matchTemplate, RouteMatcher } from '../../local/match';
import type { HttpMethod } from '@azure/functions';

describe('route templates', () => {
  it('matches literals case-insensitively and decodes parameters', () => {
    const t = compileTemplate('ledgers/{ledger}/{key}/history');
    expect(matchTemplate(t, 'Ledgers/orderLines/CA-2016-152156~3/HISTORY')).toEqual({
      ledger: 'orderLines',
      key: 'CA-2016-152156~3',
    });
    expect(matchTemplate(t, 'ledgers/x/a%20b/history')).toEqual({ ledger: 'x', key: 'a b' });
    expect(matchTemplate(t, 'ledgers/x/history')).toBeUndefined();
    expect(matchTemplate(t, 'ledgers/x/y/history/more')).toBeUndefined();
    expect(matchTemplate(t, 'ledgers/x/%E0%A4%A/history')).toBeUndefined();
  });

  it('supports constraints, optional and catch-all segments', () => {
    expect(matchTemplate(compileTemplate('items/{id:int}'), 'items/42')).toEqual({ id: '42' });
    expect(matchTemplate(compileTemplate('items/{id:int}'), 'items/x')).toBeUndefined();
    expect(matchTemplate(compileTemplate('items/{id?}'), 'items')).toEqual({});
    expect(matchTemplate(compileTemplate('files/{*path}'), 'files/a/b.xlsx')).toEqual({ path: 'a/b.xlsx' });
  });

  it('rejects templates it cannot serve', () => {
    expect(() => compileTemplate('a/{x:regex}')).toThrow(/constraint/);
    expect(() => compileTemplate('a/{*rest}/b')).toThrow(/last segment/);
    expect(() => compileTemplate('a/b{c}')).toThrow(/unsupported/);
  });

  it('prefers the most specific route for the method, and reports allowed methods', () => {
    const routes: { name: string; methods: HttpMethod[]; route: string }[] = [
      { name: 'history', methods: ['GET'], route: 'ledgers/{ledger}/{key}' },
      { name: 'approve', methods: ['POST'], route: 'ledgers/{ledger}/approvals' },
      { name: 'read', methods: ['GET'], route: 'ledgers/{ledger}' },
      { name: 'write', methods: ['PUT'], route: 'ledgers/{ledger}' },
    ];
    const m = new RouteMatcher(routes);
    expect(m.find('ledgers/customers/approvals', 'POST').match?.entry.name).toBe('approve');
    expect(m.find('ledgers/customers/approvals', 'GET').match?.entry.name).toBe('history');
    expect(m.find('ledgers/customers', 'PUT').match?.entry.name).toBe('write');
    expect(m.find('ledgers/customers', 'GET').match?.params).toEqual({ ledger: 'customers' });
    const none = m.find('ledgers/customers', 'DELETE');
    expect(none.match).toBeUndefined();
    expect(none.allowed.sort()).toEqual(['GET', 'PUT']);
    expect(m.find('nothing', 'GET')).toEqual({ allowed: [] });
  });
});
