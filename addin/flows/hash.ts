// Small deterministic string hashes (no crypto needed in the task pane): row fingerprints and idempotency keys.

/** cyrb53: a fast 53-bit string hash with good spread; two seeds give 106 bits where collisions must be unlikely. */
function cyrb53(text: string, seed: number): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** A 106-bit fingerprint as 22 base-36 characters. */
export function fingerprint(text: string): string {
  return cyrb53(text, 1).toString(36).padStart(11, '0') + cyrb53(text, 2).toString(36).padStart(11, '0');
}

/** Fingerprint of a wire row: fields in schema order (rowToWire builds them so), so equal values hash equal. */
export function rowHash(wire: Record<string, unknown>): string {
  return fingerprint(JSON.stringify(wire));
}
