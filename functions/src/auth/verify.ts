// Bearer-token authentication: verifies the JWT for the configured mode and returns the caller as a Principal.
import type { HttpRequest } from '@azure/functions';
import {
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { getConfig, type AuthConfig } from '../config';
import { ApiError } from '../http/errors';
import { LOCAL_ALG, LOCAL_AUDIENCE, LOCAL_ISSUER, loadDevSigningKey } from './devKey';
import { roleSchema, type Principal, type Role } from './roles';

/** Entra ID signs access tokens with RS256. */
const AZURE_ALGS = ['RS256'];
/** Tolerated clock skew between the token issuer and this host. */
const CLOCK_TOLERANCE_S = 30;
const CLOCK_TOLERANCE = `${CLOCK_TOLERANCE_S}s`;

function unauthorized(message: string): ApiError {
  return new ApiError(401, 'unauthorized', message);
}

const remoteKeySets = new Map<string, JWTVerifyGetKey>();

function remoteKeySet(url: string): JWTVerifyGetKey {
  let set = remoteKeySets.get(url);
  if (set === undefined) {
    // jose caches the keys and refetches on an unknown kid (key rotation), at most every cooldown.
    set = createRemoteJWKSet(new URL(url), {
      timeoutDuration: 5000,
      cooldownDuration: 30_000,
      cacheMaxAge: 10 * 60_000,
    });
    remoteKeySets.set(url, set);
  }
  return set;
}

/** The token from `Authorization: Bearer <token>`, or 401 saying what is wrong with the header. */
export function bearerToken(req: HttpRequest): string {
  const header = req.headers.get('authorization');
  if (header === null || header.trim() === '') {
    throw unauthorized('Missing Authorization header; send "Authorization: Bearer <token>".');
  }
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header.trim());
  if (match?.[1] === undefined) throw unauthorized('The Authorization header must be "Bearer <token>".');
  return match[1];
}

/** Translates jose's verification failures into sentences a user can act on. */
function explain(err: unknown): ApiError | undefined {
  if (err instanceof errors.JWTExpired) return unauthorized('The token has expired; get a new one.');
  if (err instanceof errors.JWTClaimValidationFailed) {
    switch (err.claim) {
      case 'nbf':
        return unauthorized('The token is not valid yet (nbf is in the future).');
      case 'iat':
        return unauthorized('The token was issued in the future (iat).');
      case 'iss':
        return unauthorized('The token was issued by an issuer this API does not trust.');
      case 'aud':
        return unauthorized('The token is meant for another audience.');
      case 'exp':
        return unauthorized('The token has no expiry (exp); such tokens are not accepted.');
      default:
        return unauthorized(`The token's ${err.claim} claim is invalid.`);
    }
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) return unauthorized('The token signature is invalid.');
  if (err instanceof errors.JOSEAlgNotAllowed || err instanceof errors.JOSENotSupported) {
    return unauthorized('The token is signed with an algorithm this API does not accept.');
  }
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) {
    return unauthorized('The token is signed with a key this API does not know.');
  }
  if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid) {
    return new ApiError(
      503,
      'auth_unavailable',
      'The signing keys of the identity provider could not be fetched; try again.',
    );
  }
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid || err instanceof errors.JOSEError) {
    return unauthorized('The token is malformed.');
  }
  return undefined;
}

/** Cheap structural check first, so alg:none and garbage get a precise message before any key lookup. */
function inspect(token: string): { alg: unknown; payload: JWTPayload } {
  try {
    return { alg: decodeProtectedHeader(token).alg, payload: decodeJwt(token) };
  } catch {
    throw unauthorized('The token is malformed.');
  }
}

function principalFrom(payload: JWTPayload): Principal {
  const pick = (claim: string): string | undefined => {
    const v = payload[claim];
    return typeof v === 'string' && v.trim() !== '' ? v : undefined;
  };
  const userId = pick('preferred_username') ?? pick('upn') ?? pick('oid') ?? pick('sub');
  if (userId === undefined) throw unauthorized('The token names no user (preferred_username, upn, oid or sub).');
  const oid = pick('oid') ?? pick('sub') ?? userId;
  const raw = payload.roles ?? [];
  if (!Array.isArray(raw) || !raw.every((r) => typeof r === 'string'))
    throw unauthorized('The token roles claim must be a list of strings.');
  // Tokens may carry roles of other applications; only ours count.
  const roles = [...new Set(raw.filter((r): r is Role => roleSchema.safeParse(r).success))];
  return { userId, oid, roles };
}

/** Signature checks done by this process (tests check that a verified token is not checked again). */
export const signatureChecks = { count: 0 };

/** Tokens verified in this process, kept at most this long (a removed signing key stops them within it) ... */
const VERIFIED_TTL_MS = 5 * 60_000;
/** ... and at most this many per configuration (oldest dropped first). */
const VERIFIED_LIMIT = 2_000;

interface Verified {
  principal: Principal;
  /** Epoch ms when this entry goes: the token's expiry (exp + tolerance) or VERIFIED_TTL_MS after it was verified. */
  dropAt: number;
}

/**
 * Verified tokens per auth configuration. A signature check (ES256/RS256) costs more than most requests' own work and
 * a client sends the same token for an hour, so a token verified once is trusted again, by its exact text, until
 * it expires (then it goes through jwtVerify again, which gives the proper error) or VERIFIED_TTL_MS passes.
 */
const verifiedTokens = new WeakMap<AuthConfig, Map<string, Verified>>();

function rememberVerified(auth: AuthConfig, token: string, principal: Principal, exp: number): void {
  let map = verifiedTokens.get(auth);
  if (map === undefined) verifiedTokens.set(auth, (map = new Map<string, Verified>()));
  const expiresAt = (exp + CLOCK_TOLERANCE_S) * 1000;
  const kept = { userId: principal.userId, oid: principal.oid, roles: [...principal.roles] };
  map.set(token, { principal: kept, dropAt: Math.min(expiresAt, Date.now() + VERIFIED_TTL_MS) });
  while (map.size > VERIFIED_LIMIT) map.delete(map.keys().next().value as string);
}

function recallVerified(auth: AuthConfig, token: string): Principal | undefined {
  const map = verifiedTokens.get(auth);
  const hit = map?.get(token);
  if (hit === undefined) return undefined;
  if (Date.now() < hit.dropAt)
    return { userId: hit.principal.userId, oid: hit.principal.oid, roles: [...hit.principal.roles] };
  map!.delete(token);
  return undefined;
}

/** Verifies a bearer token under `auth` (default: the app's configuration). */
export async function verifyToken(token: string, auth: AuthConfig = getConfig().auth): Promise<Principal> {
  const known = recallVerified(auth, token);
  if (known !== undefined) return known;
  const { alg, payload } = inspect(token);
  if (alg === 'none') throw unauthorized('Unsigned tokens (alg "none") are not accepted.');
  if (auth.mode === 'azure' && payload.iss === LOCAL_ISSUER) {
    throw unauthorized('Local development tokens are not accepted: this API runs in azure mode.');
  }
  signatureChecks.count++;
  try {
    const verified =
      auth.mode === 'azure'
        ? await jwtVerify(token, remoteKeySet(auth.jwksUrl), {
            issuer: auth.issuers,
            audience: auth.audiences,
            algorithms: AZURE_ALGS,
            clockTolerance: CLOCK_TOLERANCE,
            requiredClaims: ['exp'],
          })
        : await jwtVerify(token, (await loadDevSigningKey(auth.signingKeyFile)).publicKey, {
            issuer: LOCAL_ISSUER,
            audience: LOCAL_AUDIENCE,
            algorithms: [LOCAL_ALG],
            clockTolerance: CLOCK_TOLERANCE,
            requiredClaims: ['exp'],
          });
    // jose checks iat only together with maxTokenAge; a token "issued" later than now is forged or from a bad clock.
    const { iat } = verified.payload;
    if (iat !== undefined && iat > Date.now() / 1000 + CLOCK_TOLERANCE_S)
      throw unauthorized('The token was issued in the future (iat); check the issuer clock.');
    const principal = principalFrom(verified.payload);
    // requiredClaims makes exp present; it is a number once jwtVerify accepted it.
    rememberVerified(auth, token, principal, verified.payload.exp as number);
    return principal;
  } catch (err) {
    throw explain(err) ?? err;
  }
}

/** The caller of `req`, or 401 `unauthorized` with a sentence saying why not. */
export async function authenticate(req: HttpRequest): Promise<Principal> {
  return verifyToken(bearerToken(req));
}
