import { CodeParseError } from '../domain/errors';
import { parseCode } from '../domain/gs1/parse';

/** The parse error `raw` raises (fails the test when it parses). */
export function parseError(raw: string): CodeParseError {
  try {
    parseCode(raw);
  } catch (e) {
    if (e instanceof CodeParseError) return e;
    throw e;
  }
  throw new Error(`"${raw}" parsed although it should not`);
}
