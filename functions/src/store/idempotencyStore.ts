// Idempotency records: the first response to a request with an Idempotency-Key, kept at least 24 hours for replay.
//
// Table `idempotency`. RowKey = sha256(userId, key) in hex (client keys may hold characters Azure forbids in keys,
// and one user's key never collides with another's); PartitionKey = its first two hex digits (256 partitions, so
// unrelated requests never contend). A request first *claims* the key with an insert: Azure lets exactly one
// insert of a RowKey succeed, so two identical requests arriving together cannot both run; the loser sees the claim
// and answers "in progress" (or replays once the winner has finished). The response is stored gzip-compressed in
// Binary properties of ≤ 64 KiB, spilling into part entities (`<id>|p<n>`) when it outgrows one entity.

import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { RestError, type TableClient } from '@azure/data-tables';
import { tableClient } from './client';
import type { Entity } from './ledgerEntities';

/** Records are kept at least this long. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * A pending claim not renewed for this long is abandoned and may be taken over. Short, because the client retrying
 * after an outage is told "retry shortly"; safe, because a live request renews every CLAIM_RENEW_MS and putRows
 * itself never stores a row twice should a slow holder and a taker ever overlap.
 */
export const STALE_CLAIM_MS = 15 * 1000;
/** How often a running request renews its claim. */
export const CLAIM_RENEW_MS = 3 * 1000;
const PIECE_BYTES = 64 * 1024;
// 10 × 64 KiB: within 1 MiB also when counted as base64 on the wire (Azurite counts the request body).
const PIECES_PER_ENTITY = 10;

export type Claim =
  | { kind: 'claimed'; etag: string }
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'mismatch' }
  | { kind: 'inProgress' };

function idOf(userId: string, key: string): { partitionKey: string; rowKey: string } {
  const id = createHash('sha256').update(userId).update('\n').update(key).digest('hex');
  return { partitionKey: id.slice(0, 2), rowKey: id };
}

/** The hash that tells a replay from a different request under the same key. */
export function requestHash(...parts: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(String(p.length)).update(':').update(p);
  return h.digest('hex');
}

function is(err: unknown, status: number): boolean {
  return err instanceof RestError && err.statusCode === status;
}

async function readResponse(client: TableClient, record: Entity): Promise<Buffer> {
  const pieces: Uint8Array[] = [];
  const collect = (e: Record<string, unknown>): void => {
    const n = Number(e.pieceCount ?? 0);
    for (let i = 0; i < n; i++) pieces.push(e[`piece${i}`] as Uint8Array);
  };
  collect(record);
  const parts = Number(record.partCount ?? 0);
  for (let p = 1; p <= parts; p++) collect(await client.getEntity(record.partitionKey, `${record.rowKey}|p${p}`));
  return Buffer.concat(pieces);
}

/**
 * Claims `key` for a request with `hash`, or says what to do instead: replay the stored response, refuse a
 * different request (mismatch), or wait for the request still running.
 */
export async function claimIdempotencyKey(userId: string, key: string, hash: string, now = new Date()): Promise<Claim> {
  const client = await tableClient('idempotency');
  const { partitionKey, rowKey } = idOf(userId, key);
  const fresh = {
    partitionKey,
    rowKey,
    state: 'pending',
    requestHash: hash,
    startedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS).toISOString(),
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const created = await client.createEntity(fresh);
      return { kind: 'claimed', etag: created.etag as string };
    } catch (err) {
      if (!is(err, 409)) throw err;
    }
    let existing: Entity;
    try {
      existing = (await client.getEntity<Record<string, unknown>>(partitionKey, rowKey)) as Entity;
    } catch (err) {
      if (is(err, 404)) continue; // removed meanwhile (a failed request released it): claim again
      throw err;
    }
    const expired = String(existing.expiresAt) <= now.toISOString();
    const lastSign = String(existing.renewedAt ?? existing.startedAt);
    const stale = existing.state === 'pending' && new Date(lastSign).getTime() + STALE_CLAIM_MS <= now.getTime();
    if (expired || stale) {
      try {
        const taken = await client.updateEntity(fresh, 'Replace', { etag: existing.etag as string });
        return { kind: 'claimed', etag: taken.etag as string };
      } catch (err) {
        if (is(err, 412) || is(err, 404)) continue;
        throw err;
      }
    }
    if (existing.requestHash !== hash) return { kind: 'mismatch' };
    if (existing.state !== 'done') return { kind: 'inProgress' };
    const body: unknown = JSON.parse(gunzipSync(await readResponse(client, existing)).toString('utf8'));
    return { kind: 'replay', status: Number(existing.status), body };
  }
  return { kind: 'inProgress' };
}

/** Marks a claim as still running; returns its new etag. Throws when the claim was lost or storage failed. */
export async function renewIdempotencyClaim(
  userId: string,
  key: string,
  claimEtag: string,
  now = new Date(),
): Promise<string> {
  const client = await tableClient('idempotency');
  const { partitionKey, rowKey } = idOf(userId, key);
  const renewed = await client.updateEntity({ partitionKey, rowKey, renewedAt: now.toISOString() }, 'Merge', {
    etag: claimEtag,
    abortSignal: AbortSignal.timeout(CLAIM_RENEW_MS),
  });
  return renewed.etag as string;
}

export interface HeldClaim {
  /** Stops renewing (waiting for a renewal under way) and returns the claim's current etag. */
  stop(): Promise<string>;
}

/** Renews a claim every CLAIM_RENEW_MS until stopped, so other requests see it as running, not abandoned. */
export function holdIdempotencyClaim(userId: string, key: string, claimEtag: string): HeldClaim {
  let etag = claimEtag;
  let renewing = Promise.resolve();
  const timer = setInterval(() => {
    renewing = renewing.then(async () => {
      try {
        etag = await renewIdempotencyClaim(userId, key, etag);
      } catch {
        // Storage hiccup: the next tick tries again. A claim lost meanwhile shows when the response is stored.
      }
    });
  }, CLAIM_RENEW_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await renewing;
      return etag;
    },
  };
}

/** Stores the response of a claimed request; later requests with the same key and body replay it. */
export async function completeIdempotencyKey(
  userId: string,
  key: string,
  claimEtag: string,
  hash: string,
  status: number,
  body: unknown,
  now = new Date(),
): Promise<void> {
  const client = await tableClient('idempotency');
  const { partitionKey, rowKey } = idOf(userId, key);
  const zipped = gzipSync(Buffer.from(JSON.stringify(body), 'utf8'));
  const pieces: Uint8Array[] = [];
  for (let at = 0; at < zipped.length; at += PIECE_BYTES) pieces.push(zipped.subarray(at, at + PIECE_BYTES));
  const groups: Uint8Array[][] = [];
  for (let i = 0; i < pieces.length; i += PIECES_PER_ENTITY) groups.push(pieces.slice(i, i + PIECES_PER_ENTITY));
  const withPieces = (entity: Entity, group: Uint8Array[] = []): Entity => {
    entity.pieceCount = group.length;
    group.forEach((p, i) => (entity[`piece${i}`] = p));
    return entity;
  };
  // Parts first: the record only says `done` once everything it points to exists.
  for (let p = 1; p < groups.length; p++) {
    await client.upsertEntity(withPieces({ partitionKey, rowKey: `${rowKey}|p${p}` }, groups[p]), 'Replace');
  }
  const record = withPieces(
    {
      partitionKey,
      rowKey,
      state: 'done',
      requestHash: hash,
      startedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS).toISOString(),
      status,
      partCount: Math.max(0, groups.length - 1),
    },
    groups[0],
  );
  await client.updateEntity(record, 'Replace', { etag: claimEtag });
}

/** Gives a claim up after the request failed, so the client can retry with the same key. */
export async function releaseIdempotencyKey(userId: string, key: string, claimEtag: string): Promise<void> {
  const client = await tableClient('idempotency');
  const { partitionKey, rowKey } = idOf(userId, key);
  try {
    await client.deleteEntity(partitionKey, rowKey, { etag: claimEtag });
  } catch (err) {
    if (!is(err, 404) && !is(err, 412)) throw err;
  }
}
