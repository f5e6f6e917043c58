// Test support: JWTs signed the way a test needs them: a token valid for an hour that each test bends with `edit`.
import { SignJWT, type KeyLike } from 'jose';
import { LOCAL_ALG, LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../functions/src/auth/devKey';

export type EditJwt = (jwt: SignJWT) => SignJWT;

export interface TokenSigner {
  alg: string;
  kid: string;
  privateKey: KeyLike;
  issuer: string;
  audience: string;
}

/** The local development key's signer (ES256, the local issuer and audience). */
export function localSigner(key: { kid: string; privateKey: KeyLike }): TokenSigner {
  return { alg: LOCAL_ALG, kid: key.kid, privateKey: key.privateKey, issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE };
}

/** `claims` signed by `signer`, issued now and expiring in an hour, after `edit` changed whatever the test needs. */
export function signToken(
  signer: TokenSigner,
  claims: Record<string, unknown>,
  edit: EditJwt = (j) => j,
): Promise<string> {
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: signer.alg, kid: signer.kid })
    .setIssuer(signer.issuer)
    .setAudience(signer.audience)
    .setIssuedAt()
    .setExpirationTime('1h');
  return edit(jwt).sign(signer.privateKey);
}
