// Local development signing key: an ES256 key pair created on first use in a git-ignored file, and tokens signed with it.
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK, type KeyLike } from 'jose';
import { z } from 'zod';
import type { Role } from './roles';

/** Fixed claims of local tokens; azure mode refuses this issuer by name. */
export const LOCAL_ISSUER = 'ledgerdesk-local';
export const LOCAL_AUDIENCE = 'ledgerdesk-api';
export const LOCAL_ALG = 'ES256';

const keyFileSchema = z.object({
  alg: z.literal(LOCAL_ALG),
  kid: z.string().min(1),
  privateJwk: z.object({ kty: z.literal('EC'), crv: z.literal('P-256'), x: z.string(), y: z.string(), d: z.string() }),
});

export interface DevSigningKey {
  kid: string;
  privateKey: KeyLike;
  publicKey: KeyLike;
}

async function readKeyFile(file: string): Promise<DevSigningKey> {
  const raw = await fs.readFile(file, 'utf8');
  let data: z.infer<typeof keyFileSchema>;
  try {
    data = keyFileSchema.parse(JSON.parse(raw));
  } catch {
    throw new Error(`The development signing key file ${file} is not a valid key; delete it to generate a new one.`);
  }
  const { d: _d, ...publicJwk } = data.privateJwk;
  return {
    kid: data.kid,
    privateKey: (await importJWK(data.privateJwk, LOCAL_ALG)) as KeyLike,
    publicKey: (await importJWK(publicJwk, LOCAL_ALG)) as KeyLike,
  };
}

async function createKeyFile(file: string): Promise<void> {
  const { privateKey } = await generateKeyPair(LOCAL_ALG, { extractable: true });
  const privateJwk: JWK = await exportJWK(privateKey);
  const content = JSON.stringify({ alg: LOCAL_ALG, kid: randomUUID(), privateJwk }, null, 2) + '\n';
  await fs.mkdir(path.dirname(file), { recursive: true });
  // Write aside, then link into place: link fails if the file exists, so two processes starting at once
  // (jest workers, CLI + API) agree on one key and nobody reads a half-written file.
  const temp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  await fs.writeFile(temp, content, { mode: 0o600 });
  try {
    await fs.link(temp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    await fs.unlink(temp);
  }
}

const cache = new Map<string, Promise<DevSigningKey>>();

/** The key in `file`, generating it on first use. Cached per file for the life of the process. */
export function loadDevSigningKey(file: string): Promise<DevSigningKey> {
  let key = cache.get(file);
  if (key === undefined) {
    key = (async () => {
      try {
        return await readKeyFile(file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        await createKeyFile(file);
        return readKeyFile(file);
      }
    })();
    // A failure is not cached: the next call tries again.
    key.catch(() => cache.delete(file));
    cache.set(file, key);
  }
  return key;
}

export interface DevTokenOptions {
  user: string;
  roles: readonly Role[];
  /** jose time span such as `8h`, `30m`, `2d`. Default `8h`. */
  expiresIn?: string;
}

/** Signs a local development token for `user` with `roles`. */
export async function signDevToken(keyFile: string, opts: DevTokenOptions): Promise<string> {
  const key = await loadDevSigningKey(keyFile);
  return new SignJWT({ preferred_username: opts.user, roles: [...opts.roles] })
    .setProtectedHeader({ alg: LOCAL_ALG, kid: key.kid, typ: 'JWT' })
    .setSubject(opts.user)
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(opts.expiresIn ?? '8h')
    .sign(key.privateKey);
}
