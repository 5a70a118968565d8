import { BadRequestException } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { NextFunction, Request, Response } from 'express';

/** The shape of body-parser's errors; `type` names the failure (`entity.parse.failed`, `entity.too.large` …). */
interface BodyParserError {
  type?: unknown;
}

export const INVALID_JSON_DETAIL = 'the body is not valid JSON';

/** A refusal raised while the body is checked, before parsing; body-parser keeps `status` and `type`. */
class BodyCheckError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * How deep arrays and objects nest in a UTF-8 JSON text, counted over the raw bytes without parsing (and
 * stopping as soon as `max` is passed). Bracket and quote bytes never occur inside a UTF-8 multi-byte
 * sequence, so brackets inside strings are skipped by tracking quotes and backslash escapes.
 */
export function jsonDepthExceeds(body: Buffer, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (inString) {
      if (byte === 0x5c)
        i++; // backslash: the next byte is escaped
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x7b || byte === 0x5b) {
      if (++depth > max) return true;
    } else if (byte === 0x7d || byte === 0x5d) depth--;
  }
  return false;
}

/**
 * body-parser's `verify` hook: refuses, before JSON.parse, a body nested deeper than `maxDepth` (the DTOs'
 * transformation and validation recurse per level and would overflow the stack on thousands of levels) and
 * a charset other than UTF-8 (RFC 8259 §8.1; the depth count reads UTF-8 bytes).
 */
export function jsonBodyCheck(maxDepth: number) {
  return (_req: unknown, _res: unknown, body: Buffer, encoding: string | null): void => {
    if (encoding !== null && encoding.toLowerCase() !== 'utf-8')
      throw new BodyCheckError(415, 'charset.unsupported', 'JSON bodies must be UTF-8');
    if (jsonDepthExceeds(body, maxDepth))
      throw new BodyCheckError(
        400,
        'entity.too.deep',
        `the body nests arrays and objects deeper than ${maxDepth} levels`,
      );
  };
}

/**
 * Express error middleware for the JSON body parser. A body that does not parse reaches Nest as the parser's
 * SyntaxError, which Nest turns into `new BadRequestException(err.message)` before any filter sees it: the
 * parser's `type` is gone and the detail is JSON.parse's own words ("Unexpected end of JSON input").
 * Translated here, where the type is still known, the filter answers in DrugTrace's words.
 */
export function translateBodyParseError(
  err: unknown,
  _req: Request,
  _res: Response,
  next: NextFunction,
): void {
  if (typeof err === 'object' && err !== null && (err as BodyParserError).type === 'entity.parse.failed') {
    next(new BadRequestException(INVALID_JSON_DETAIL, { cause: err }));
    return;
  }
  next(err);
}

/** The JSON body parser (up to `limit` bytes and `maxDepth` levels) and, right behind it, the translation of its errors. */
export function useJsonBody(app: NestExpressApplication, limit: string, maxDepth: number): void {
  app.useBodyParser('json', { limit, verify: jsonBodyCheck(maxDepth) });
  app.use(translateBodyParseError);
}
