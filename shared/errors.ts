// Domain errors: a small typed error with a code, thrown by the pure parsers in shared/.

export type DomainErrorCode =
  | 'invalid_money'
  | 'invalid_decimal'
  | 'invalid_date'
  | 'invalid_period'
  | 'invalid_serial'
  // Issue #13 §4: a figure asked for over several currencies, which would add one currency to another.
  | 'mixed_currencies';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
