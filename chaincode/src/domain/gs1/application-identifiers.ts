// The GS1 Application Identifiers a medicine pack or logistic unit carries. Other AIs found on packs
// (national reimbursement numbers, production dates) are read and ignored, so a scan still answers.

export interface AiSpec {
  ai: string;
  /** Fixed length of the data, or undefined for variable-length data. */
  fixed?: number;
  max: number;
  kind: 'gtin' | 'sscc' | 'date' | 'cset82' | 'numeric';
  /** Carried into the parsed code; other AIs are validated and dropped. */
  field?: 'gtin' | 'sscc' | 'expiry' | 'lot' | 'serial';
}

const SPECS: AiSpec[] = [
  { ai: '00', fixed: 18, max: 18, kind: 'sscc', field: 'sscc' },
  { ai: '01', fixed: 14, max: 14, kind: 'gtin', field: 'gtin' },
  { ai: '10', max: 20, kind: 'cset82', field: 'lot' },
  { ai: '11', fixed: 6, max: 6, kind: 'date' },
  { ai: '15', fixed: 6, max: 6, kind: 'date' },
  { ai: '17', fixed: 6, max: 6, kind: 'date', field: 'expiry' },
  { ai: '21', max: 20, kind: 'cset82', field: 'serial' },
  { ai: '240', max: 30, kind: 'cset82' },
  { ai: '710', max: 20, kind: 'cset82' },
  { ai: '711', max: 20, kind: 'cset82' },
  { ai: '712', max: 20, kind: 'cset82' },
  { ai: '713', max: 20, kind: 'cset82' },
  { ai: '714', max: 20, kind: 'cset82' },
  { ai: '715', max: 20, kind: 'cset82' },
];

export const AI_SPECS: ReadonlyMap<string, AiSpec> = new Map(SPECS.map((s) => [s.ai, s]));

/** The AI at the start of `text` (2, 3 or 4 digits, as the AI table defines it). */
export function matchAi(text: string): AiSpec | undefined {
  for (const length of [2, 3, 4]) {
    const spec = AI_SPECS.get(text.slice(0, length));
    if (spec) return spec;
  }
  return undefined;
}
