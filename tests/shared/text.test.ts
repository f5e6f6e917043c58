import { plural, pluralOf } from '../../shared/text';

describe('plural', () => {
  it('uses the singular for exactly one and the plural otherwise, zero included', () => {
    expect(plural(1, 'row')).toBe('1 row');
    expect(plural(0, 'conflict')).toBe('0 conflicts');
    expect(plural(2, 'invoice')).toBe('2 invoices');
  });
  it('spells the plurals the pane needs', () => {
    expect(pluralOf('entry')).toBe('entries');
    expect(pluralOf('match')).toBe('matches');
    expect(pluralOf('day')).toBe('days');
    expect(pluralOf('box')).toBe('boxes');
    expect(plural(2, 'person', 'people')).toBe('2 people');
  });
  it('groups thousands', () => {
    expect(plural(12345, 'row')).toBe('12,345 rows');
  });
});
