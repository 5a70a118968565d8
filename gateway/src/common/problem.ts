/** RFC 9457 problem details with DrugTrace's stable `code`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  instance?: string;
  requestId?: string;
  /** Field-level validation errors (400). */
  errors?: FieldError[];
  /** For a malformed GS1 code (400): the application identifier and the 0-based position in the input. */
  ai?: string;
  position?: number;
  /** For a write whose commit was not confirmed in time (COMMIT_TIMEOUT): ask GET /v1/transactions/{txId}. */
  txId?: string;
}

export interface FieldError {
  field: string;
  messages: string[];
}

const TITLES: Record<string, string> = {
  INVALID: 'Invalid request',
  UNAUTHENTICATED: 'Authentication required',
  FORBIDDEN: 'Not allowed',
  NOT_FOUND: 'Not found',
  CONFLICT: 'Conflict with the ledger state',
  TOO_LARGE: 'Request too large',
  RATE_LIMITED: 'Too many requests',
  UNAVAILABLE: 'Ledger unavailable',
  TIMEOUT: 'Ledger did not answer in time',
  COMMIT_TIMEOUT: 'Commit not confirmed in time',
  INTERNAL: 'Internal error',
};

export function problem(status: number, code: string, detail: string): Problem {
  return {
    type: `https://drugtrace.example/problems/${code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[code] ?? 'Error',
    status,
    code,
    detail,
  };
}
