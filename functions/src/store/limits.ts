// Azure Table Storage limits enforced in our code, because Azurite accepts what Azure rejects.
//
// Sources: "Understanding the Table service data model" and "Performing entity group transactions" (Azure docs).

/** An entity may hold at most 1 MiB (Azure's own size formula, see entitySize). */
export const MAX_ENTITY_BYTES = 1024 * 1024;
/** A string property holds at most 64 KiB, i.e. 32 Ki UTF-16 code units; we stay at 32,000 like shared/fields. */
export const MAX_STRING_CHARS = 32_000;
/** 255 properties per entity including PartitionKey, RowKey and Timestamp. */
export const MAX_CUSTOM_PROPERTIES = 252;
/** An entity-group transaction: at most 100 operations, one partition, a payload of at most 4 MiB. */
export const MAX_BATCH_OPERATIONS = 100;
export const MAX_BATCH_BYTES = 4 * 1024 * 1024;
/** A query returns at most 1,000 entities per page. */
export const MAX_QUERY_PAGE = 1_000;
/** A $filter may hold at most 15 discrete comparisons. */
export const MAX_FILTER_COMPARISONS = 15;

// eslint-disable-next-line no-control-regex
const FORBIDDEN_KEY_CHARS = /[/\\#?\u0000-\u001f\u007f-\u009f]/;

/** Throws when a PartitionKey or RowKey would be refused by Azure (1 KiB, no / \ # ? or control characters). */
export function assertStorageKey(value: string, what: string): void {
  if (value.length === 0 || value.length > 512) throw new Error(`${what} must be 1-512 characters (${value.length})`);
  if (FORBIDDEN_KEY_CHARS.test(value)) throw new Error(`${what} contains a character Azure forbids in keys`);
}

/** Size of one property value as Azure counts it. */
function valueSize(value: unknown): number {
  if (typeof value === 'string') return value.length * 2 + 4;
  if (typeof value === 'boolean') return 1;
  if (typeof value === 'number') return 8; // Int32 counts 4; 8 is the safe upper bound (Double)
  if (typeof value === 'bigint') return 8;
  if (value instanceof Uint8Array) return value.byteLength + 4;
  if (value instanceof Date) return 8;
  if (value === null || value === undefined) return 0;
  throw new Error(`unsupported property value type ${typeof value}`);
}

/**
 * Azure's entity size: 4 bytes + 2 × (len(PartitionKey) + len(RowKey)) + Σ over properties of
 * (8 + 2 × len(name) + size of the value).
 */
export function entitySize(entity: Record<string, unknown>): number {
  let size = 4;
  for (const [name, value] of Object.entries(entity)) {
    if (name === 'partitionKey' || name === 'rowKey') size += String(value).length * 2;
    else if (name === 'etag' || name === 'timestamp' || name === 'odata.metadata') continue;
    else if (value !== undefined) size += 8 + name.length * 2 + valueSize(value);
  }
  return size;
}

/** Why an entity would be refused by Azure, or null when it fits. */
export function entityProblem(entity: Record<string, unknown>): string | null {
  const size = entitySize(entity);
  if (size > MAX_ENTITY_BYTES)
    return `is ${size} bytes when stored, over Azure's limit of ${MAX_ENTITY_BYTES} bytes (1 MiB) per entity`;
  const properties = Object.keys(entity).filter(
    (k) => k !== 'partitionKey' && k !== 'rowKey' && entity[k] !== undefined,
  );
  if (properties.length > MAX_CUSTOM_PROPERTIES)
    return `needs ${properties.length} properties, over Azure's limit of ${MAX_CUSTOM_PROPERTIES}`;
  for (const [name, value] of Object.entries(entity)) {
    if (typeof value === 'string' && value.length > MAX_STRING_CHARS && name !== 'partitionKey' && name !== 'rowKey')
      return `property ${name} holds ${value.length} characters, over the limit of ${MAX_STRING_CHARS}`;
  }
  return null;
}

/**
 * Splits a long string into pieces of at most MAX_STRING_CHARS code units, never between the halves of a
 * surrogate pair (Azure would store each half as an invalid character).
 */
export function chunkString(text: string, size = MAX_STRING_CHARS): string[] {
  const chunks: string[] = [];
  let at = 0;
  while (at < text.length) {
    let end = Math.min(at + size, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    chunks.push(text.slice(at, end));
    at = end;
  }
  return chunks.length === 0 ? [''] : chunks;
}

/** Writes `text` as properties `name0`, `name1`, … (each within the string limit) and `nameN` = chunk count. */
export function putChunked(entity: Record<string, unknown>, name: string, text: string): void {
  const chunks = chunkString(text);
  entity[`${name}N`] = chunks.length;
  chunks.forEach((c, i) => (entity[`${name}${i}`] = c));
}

/** Reads what putChunked wrote; undefined when absent. */
export function getChunked(entity: Record<string, unknown>, name: string): string | undefined {
  const count = entity[`${name}N`];
  if (typeof count !== 'number') return undefined;
  let text = '';
  for (let i = 0; i < count; i++) {
    const piece = entity[`${name}${i}`];
    if (typeof piece !== 'string') throw new Error(`stored entity is missing ${name}${i}`);
    text += piece;
  }
  return text;
}

/**
 * Bytes an operation adds to a transaction's payload: the entity's JSON plus the multipart headers around it.
 * An estimate on the safe side (JSON escapes count as written).
 */
export function operationPayloadBytes(entity: Record<string, unknown>): number {
  const json = JSON.stringify(entity, (_k, v: unknown) =>
    typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v,
  );
  return Buffer.byteLength(json, 'utf8') + 1024;
}

/** Payload headroom kept below MAX_BATCH_BYTES for the transaction's own multipart envelope. */
const BATCH_HEADROOM_BYTES = 64 * 1024;

/**
 * Splits one partition's items into entity-group transactions within Azure's limits: at most MAX_BATCH_OPERATIONS
 * operations (`operationsPerItem` per item, e.g. 2 for a row and its history entry) and a payload of at most
 * MAX_BATCH_BYTES less headroom (`bytesOf` per item, see operationPayloadBytes). Order is kept.
 */
export function transactionBatches<T>(items: readonly T[], bytesOf: (item: T) => number, operationsPerItem = 1): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = bytesOf(item);
    if (
      current.length > 0 &&
      ((current.length + 1) * operationsPerItem > MAX_BATCH_OPERATIONS ||
        bytes + size > MAX_BATCH_BYTES - BATCH_HEADROOM_BYTES)
    ) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
