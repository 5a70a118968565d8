/** RFC 9457 problem details with DrugTrace's stable `code`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  instance?: string;
  requestId?: string;
  errors?: { field: string; messages: string[] }[];
  ai?: string;
  position?: number;
}

export const PROBLEM_TITLES: Record<string, string> = {
  INVALID: 'Invalid request',
  UNAUTHENTICATED: 'Authentication required',
  FORBIDDEN: 'Not allowed',
  NOT_FOUND: 'Not found',
  CONFLICT: 'Conflict with the ledger state',
  RATE_LIMITED: 'Too many requests',
  UNAVAILABLE: 'Ledger unavailable',
  INTERNAL: 'Internal error',
};
