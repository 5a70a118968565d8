import { BadRequestException } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { NextFunction, Request, Response } from 'express';

/** The shape of body-parser's errors; `type` names the failure (`entity.parse.failed`, `entity.too.large` …). */
interface BodyParserError {
  type?: unknown;
}

export const INVALID_JSON_DETAIL = 'the body is not valid JSON';

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

/** The JSON body parser (up to `limit`) and, right behind it, the translation of its parse errors. */
export function useJsonBody(app: NestExpressApplication, limit: string): void {
  app.useBodyParser('json', { limit });
  app.use(translateBodyParseError);
}
