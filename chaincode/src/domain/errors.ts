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
