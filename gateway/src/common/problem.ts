import { DomainError, EuReturnCode, HintView, ReceiptReport, ScanHint } from '@drugtrace/chaincode/domain';

/** RFC 9457 problem details with DrugTrace's stable `code`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  instance?: string;
  requestId?: string;
  /** Field-level validation errors (400), the first few of them … */
  errors?: FieldError[];
  /** … and how many more were found. */
  errorsOmitted?: number;
  /** For a malformed GS1 code (400): the application identifier and the 0-based position in the input. */
  ai?: string;
  position?: number;
  /** For a write whose commit was not confirmed in time (COMMIT_TIMEOUT): ask GET /v1/transactions/{txId}. */
  txId?: string;
  /** For a receipt whose scan does not match the shipment (409): what was expected, scanned, missing, unexpected. */
  report?: ReceiptReport;
  /** For a refused dispense or undo: the EU FMD national system's return code (NMVS_NC_PCK_19, …). */
  returnCode?: EuReturnCode;
  /** For a code that is not a valid pack code: the scanner set-up faults that would explain it. */
  hints?: HintView[];
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
  UNPROCESSABLE: 'Content could not be processed',
  RATE_LIMITED: 'Too many requests',
  UNAVAILABLE: 'Service unavailable',
  TIMEOUT: 'Ledger did not answer in time',
  COMMIT_TIMEOUT: 'Commit not confirmed in time',
  BUSY: 'Server busy',
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

/** The gateway has no capacity for this request right now (503 BUSY with Retry-After); not the ledger's fault. */
export class ServerBusyError extends Error {}

/** A scan that is not a valid pack code, with the scanner faults that would explain it (400 with `hints`). */
export class HintedScanError extends Error {
  constructor(
    readonly error: DomainError,
    readonly hints: ScanHint[],
  ) {
    super(error.message);
    this.name = 'HintedScanError';
  }
}
