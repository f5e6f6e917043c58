// Words for counts in messages: "1 row", "2 rows", "0 conflicts", never "row(s)".

const IRREGULAR: Record<string, string> = { entry: 'entries', was: 'were', is: 'are', has: 'have' };

/** The plural of an English noun as the pane and the API use them: rows, entries, invoices, matches. */
export function pluralOf(word: string): string {
  const known = IRREGULAR[word];
  if (known !== undefined) return known;
  if (/(s|x|ch|sh)$/.test(word)) return `${word}es`;
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  return `${word}s`;
}

/** A count with its noun: plural(1, 'row') → "1 row", plural(3, 'entry') → "3 entries"; `many` overrides the plural. */
export function plural(n: number, one: string, many: string = pluralOf(one)): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
