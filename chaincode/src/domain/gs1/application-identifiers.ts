// Every GS1 Application Identifier, from the table generated at build time out of GS1's Barcode Syntax
// Dictionary (ai-table.generated.ts). The verdict uses five of them; every other AI a pack carries is validated
// just as strictly and reported beside the verdict (`otherAis`).
import { AiEntry } from './ai-entry';
import { AI_ENTRIES } from './ai-table.generated';

export type { AiComponent, AiEntry, CharacterSet } from './ai-entry';
export { SYNTAX_DICTIONARY_RELEASE } from './ai-table.generated';

export type VerdictField = 'gtin' | 'sscc' | 'expiry' | 'lot' | 'serial';

/** The AIs whose data the verdict uses, and the field of the parsed code each fills. */
export const VERDICT_FIELDS: Readonly<Record<string, VerdictField>> = {
  '00': 'sscc',
  '01': 'gtin',
  '10': 'lot',
  '17': 'expiry',
  '21': 'serial',
};

export const AI_TABLE: ReadonlyMap<string, AiEntry> = new Map(AI_ENTRIES.map((e) => [e.ai, e]));

/** The AI at the start of `text`: AIs are 2 to 4 digits and no AI is the prefix of another. */
export function matchAi(text: string): AiEntry | undefined {
  for (const length of [2, 3, 4]) {
    const entry = AI_TABLE.get(text.slice(0, length));
    if (entry) return entry;
  }
  return undefined;
}

/** The data length of an AI of predefined length (no FNC1 after it), or undefined. */
export function predefinedLength(entry: AiEntry): number | undefined {
  return entry.fnc1 ? undefined : entry.components.reduce((sum, c) => sum + c.max, 0);
}
