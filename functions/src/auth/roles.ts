// Roles and the authorisation rules of API.md, as small functions that throw 403 `forbidden`.
import { z } from 'zod';
import { ApiError } from '../http/errors';

export const roleSchema = z.enum(['clerk', 'reviewer', 'finance', 'manager', 'admin']);
export type Role = z.infer<typeof roleSchema>;
export const ROLES: readonly Role[] = roleSchema.options;

/** Who is calling, after the token was verified. */
export interface Principal {
  /** The readable name (preferred_username, upn), for display and history. */
  userId: string;
  /**
   * The stable identity the four-eyes rule compares: Entra's object id (`oid`), else the token's subject (`sub`),
   * else the readable name. `oid` and `sub` survive a rename and are never given to another person; a readable name
   * may be (tokens with neither claim get only that).
   */
  oid: string;
  roles: Role[];
}

function has(principal: Principal, ...roles: Role[]): boolean {
  return principal.roles.some((r) => roles.includes(r));
}

/** Every role may read rows and figures; a token with none of our roles may not. */
export function requireRead(principal: Principal): void {
  if (principal.roles.length === 0) {
    throw new ApiError(
      403,
      'forbidden',
      `Reading needs one of the roles ${ROLES.join(', ')}; ${principal.userId} has none.`,
    );
  }
}

/** Writing rows: clerk or admin for any ledger, finance for payments only. */
export function requireWrite(principal: Principal, ledger: string): void {
  if (has(principal, 'clerk', 'admin')) return;
  if (ledger === 'payments' && has(principal, 'finance')) return;
  const allowed = ledger === 'payments' ? 'clerk, finance or admin' : 'clerk or admin';
  throw new ApiError(403, 'forbidden', `Writing ${ledger} needs the ${allowed} role.`);
}

/** Approving changes: reviewer or admin. (The four-eyes rule, approver ≠ maker, is the ledger service's job.) */
export function requireApprove(principal: Principal): void {
  if (!has(principal, 'reviewer', 'admin')) {
    throw new ApiError(403, 'forbidden', 'Approving needs the reviewer or admin role.');
  }
}

/** Parses `clerk,reviewer`; throws a plain Error naming unknown roles (used by the token CLI). */
export function parseRoles(list: string): Role[] {
  const names = list
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');
  const unknown = names.filter((n) => !roleSchema.safeParse(n).success);
  if (unknown.length > 0) {
    throw new Error(
      `Unknown role${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `'${u}'`).join(', ')}. Roles are: ${ROLES.join(', ')}.`,
    );
  }
  return [...new Set(names as Role[])];
}
