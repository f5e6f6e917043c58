// Tests for functions/src/auth/roles.ts: the API.md role rules and role parsing.
import {
  parseRoles,
  requireApprove,
  requireRead,
  requireWrite,
  type Principal,
  type Role,
} from '../../../functions/src/auth/roles';
import { ApiError } from '../../../functions/src/http/errors';

const who = (...roles: Role[]): Principal => ({ userId: 'u', oid: 'u', roles });

function status(fn: () => void): number {
  try {
    fn();
    return 200;
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('forbidden');
    return (err as ApiError).status;
  }
}

describe('role rules', () => {
  it('lets every role read, but not a caller without roles', () => {
    for (const r of ['clerk', 'reviewer', 'finance', 'manager', 'admin'] as Role[])
      expect(status(() => requireRead(who(r)))).toBe(200);
    expect(status(() => requireRead(who()))).toBe(403);
  });

  it.each<[Role[], string, number]>([
    [['clerk'], 'contracts', 200],
    [['admin'], 'expenses', 200],
    [['finance'], 'payments', 200],
    [['finance'], 'invoices', 403],
    [['reviewer'], 'contracts', 403],
    [['manager'], 'payments', 403],
    [['manager', 'finance'], 'payments', 200],
  ])('write %p on %s → %i', (roles, ledger, expected) => {
    expect(status(() => requireWrite(who(...roles), ledger))).toBe(expected);
  });

  it.each<[Role[], number]>([
    [['reviewer'], 200],
    [['admin'], 200],
    [['clerk'], 403],
    [['finance', 'manager'], 403],
  ])('approve %p → %i', (roles, expected) => {
    expect(status(() => requireApprove(who(...roles)))).toBe(expected);
  });
});

describe('parseRoles', () => {
  it('parses, trims and de-duplicates', () => {
    expect(parseRoles('clerk, reviewer,clerk')).toEqual(['clerk', 'reviewer']);
  });
  it('names unknown roles and lists the valid ones', () => {
    expect(() => parseRoles('clerk,boss,Admin')).toThrow(
      "Unknown roles 'boss', 'Admin'. Roles are: clerk, reviewer, finance, manager, admin.",
    );
  });
});
