// Errors with a stable code in front of the message: the gateway maps the code, never the wording.

export const ERROR_CODES = ['INVALID', 'NOT_FOUND', 'FORBIDDEN', 'CONFLICT'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
  ) {
    super(`${code}: ${detail}`);
    this.name = 'DomainError';
  }
}

/** How a CodeParseError's detail reads; the chaincode's reaches clients as this text, read back by fromDetail. */
const PARSE_DETAIL = /^(?:AI \((\d{2,4})\) )?at position (\d+): (.+)$/s;

/** A malformed scan: which AI, where in the input (0-based), and why. */
export class CodeParseError extends DomainError {
  constructor(
    readonly position: number,
    readonly reason: string,
    readonly ai?: string,
  ) {
    super('INVALID', `${ai ? `AI (${ai}) ` : ''}at position ${position}: ${reason}`);
    this.name = 'CodeParseError';
  }

  /** The error whose detail this is (an INVALID detail from the chaincode), or undefined for another detail. */
  static fromDetail(detail: string): CodeParseError | undefined {
    const match = PARSE_DETAIL.exec(detail);
    return match ? new CodeParseError(Number(match[2]), match[3], match[1]) : undefined;
  }
}

const CODE_PATTERN = new RegExp(`\\b(${ERROR_CODES.join('|')}): `);

/** Finds the stable code in a message that Fabric may have wrapped in its own text. */
export function errorCodeOf(message: string): ErrorCode | undefined {
  return CODE_PATTERN.exec(message)?.[1] as ErrorCode | undefined;
}

/** The domain part of a wrapped message, from its code on. */
export function errorDetailOf(message: string): string | undefined {
  const match = CODE_PATTERN.exec(message);
  return match ? message.slice(match.index) : undefined;
}
