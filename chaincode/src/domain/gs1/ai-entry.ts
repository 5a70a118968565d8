// The shape of one row of the generated AI table (ai-table.generated.ts, from GS1's Barcode Syntax Dictionary).

/** N: digits; X: GS1 character set 82; Y: character set 39; Z: base64url (character set 64). */
export type CharacterSet = 'N' | 'X' | 'Y' | 'Z';

/** One component of an AI's data: its characters, length and the content checks ("linters") it must pass. */
export interface AiComponent {
  cset: CharacterSet;
  min: number;
  max: number;
  /** Optional components come last; they may be left out when the data ends. */
  optional: boolean;
  linters: string[];
}

export interface AiEntry {
  ai: string;
  title: string;
  /** Not of a predefined length: in a raw payload a group separator (FNC1) must end it unless it comes last. */
  fnc1: boolean;
  /** May appear as a Digital Link query attribute. */
  dlAttribute: boolean;
  components: AiComponent[];
  /** A Digital Link primary key, with its alternative sequences of qualifiers. */
  dlpkey?: string[][];
}
