import { ArgumentsHost, BadRequestException, HttpException } from '@nestjs/common';
import express, { NextFunction, Request, Response } from 'express';
import request from 'supertest';
import { INVALID_JSON_DETAIL, jsonBodyCheck, jsonDepthExceeds, translateBodyParseError } from './json-body';
import { ProblemFilter } from './problem.filter';

/** The error Express's own JSON parser passes to `next` for this body: the real shape, not a copy of it. */
async function parserErrorFor(body: string, type = 'application/json'): Promise<unknown> {
  let captured: unknown;
  const app = express();
  app.use(express.json({ limit: '1kb' }));
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    captured = err;
    res.status(599).end();
  });
  await request(app).post('/').set('Content-Type', type).send(body);
  return captured;
}

/** What `translateBodyParseError` hands on for `err`. */
function translated(err: unknown): unknown {
  const next = jest.fn();
  translateBodyParseError(err, {} as Request, {} as Response, next);
  expect(next).toHaveBeenCalledTimes(1);
  return next.mock.calls[0][0];
}

/** A response that records what the filter sets and sends. */
function mockResponse() {
  const headers = new Map<string, string>();
  const res = {
    headersSent: false,
    setHeader: jest.fn((name: string, value: string) => headers.set(name.toLowerCase(), value)),
    hasHeader: jest.fn((name: string) => headers.has(name.toLowerCase())),
    status: jest.fn().mockReturnThis(),
    type: jest.fn().mockReturnThis(),
    send: jest.fn().mockReturnThis(),
  };
  return { res, headers };
}

const hostFor = (req: object, res: object): ArgumentsHost =>
  ({ switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }) }) as unknown as ArgumentsHost;

describe(translateBodyParseError.name, () => {
  it("turns the parser's SyntaxError for a truncated body into a 400 in DrugTrace's words", async () => {
    const err = await parserErrorFor('{"code":');
    // What Nest would otherwise map to `new BadRequestException(err.message)`, dropping `type`.
    expect(err).toBeInstanceOf(SyntaxError);
    expect(err).toMatchObject({ status: 400, type: 'entity.parse.failed', expose: true });

    const out = translated(err);
    expect(out).toBeInstanceOf(BadRequestException);
    expect((out as BadRequestException).message).toBe(INVALID_JSON_DETAIL);
    expect((out as BadRequestException).cause).toBe(err);
  });

  it('passes other errors on unchanged: a body over the limit, and errors that are not the parser’s', async () => {
    const tooLarge = await parserErrorFor(JSON.stringify({ code: 'x'.repeat(2000) }));
    expect(tooLarge).toMatchObject({ status: 413, type: 'entity.too.large' });
    expect(translated(tooLarge)).toBe(tooLarge);
    const other = new TypeError('something else');
    expect(translated(other)).toBe(other);
    expect(translated(undefined)).toBeUndefined();
  });
});

describe(ProblemFilter.name, () => {
  const sut = new ProblemFilter();

  it('answers an invalid JSON body with "the body is not valid JSON" and a request ID, without parser words', async () => {
    const exception = translated(await parserErrorFor('{"code":'));
    // The parser fails before the request logger runs, so the request has no ID yet.
    const req = { originalUrl: '/v1/verify', headers: {} };
    const { res, headers } = mockResponse();

    sut.catch(exception, hostFor(req, res));

    expect(res.status).toHaveBeenCalledWith(400);
    expect(res.type).toHaveBeenCalledWith('application/problem+json');
    const body = JSON.parse(res.send.mock.calls[0][0] as string);
    expect(body).toMatchObject({
      status: 400,
      code: 'INVALID',
      detail: INVALID_JSON_DETAIL,
      instance: '/v1/verify',
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(headers.get('x-request-id')).toBe(body.requestId);
    expect(JSON.stringify(body)).not.toMatch(/Unexpected|JSON input|SyntaxError|entity\.parse/);
  });

  it("keeps the caller's X-Request-Id, and the logger's ID when it ran", () => {
    const exception = new BadRequestException(INVALID_JSON_DETAIL);
    const given = { originalUrl: '/v1/verify', headers: { 'x-request-id': 'req-42' } };
    const first = mockResponse();
    sut.catch(exception, hostFor(given, first.res));
    expect(JSON.parse(first.res.send.mock.calls[0][0] as string).requestId).toBe('req-42');
    expect(first.headers.get('x-request-id')).toBe('req-42');

    const logged = { originalUrl: '/v1/verify', headers: {}, id: 'from-the-logger' };
    const second = mockResponse();
    sut.catch(exception, hostFor(logged, second.res));
    expect(JSON.parse(second.res.send.mock.calls[0][0] as string).requestId).toBe('from-the-logger');
    expect(second.res.setHeader).not.toHaveBeenCalled();
  });

  it('a caller-chosen X-Request-Id that is not a plain token is replaced', () => {
    const req = { originalUrl: '/v1/verify', headers: { 'x-request-id': '<script>' } };
    const { res } = mockResponse();
    sut.catch(new BadRequestException('x'), hostFor(req, res));
    expect(JSON.parse(res.send.mock.calls[0][0] as string).requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("keeps the rate limiter's own Retry-After on a 429, and sets one when there is none", () => {
    const limited = mockResponse();
    limited.res.setHeader('Retry-After', '42');
    sut.catch(
      new HttpException('ThrottlerException: Too Many Requests', 429),
      hostFor({ headers: {}, id: 'r' }, limited.res),
    );
    expect(limited.headers.get('retry-after')).toBe('42');

    const bare = mockResponse();
    sut.catch(new HttpException('Too Many Requests', 429), hostFor({ headers: {}, id: 'r' }, bare.res));
    expect(bare.headers.get('retry-after')).toBe('5');
  });
});

describe(jsonDepthExceeds.name, () => {
  const deep = (levels: number, open = '{"a":', close = '}') =>
    open.repeat(levels) + '1' + close.repeat(levels);
  const exceeds = (text: string, max: number) => jsonDepthExceeds(Buffer.from(text), max);

  it('counts objects and arrays, mixed', () => {
    expect(exceeds(deep(3), 3)).toBe(false);
    expect(exceeds(deep(4), 3)).toBe(true);
    expect(exceeds('[[[1]],{"a":[1]}]', 3)).toBe(false);
    expect(exceeds('[[[1]],{"a":[{"b":1}]}]', 3)).toBe(true);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(exceeds(JSON.stringify({ a: '[[[[{{{{', b: 'say \\"[[[[\\"' }), 1)).toBe(false);
    expect(exceeds(JSON.stringify({ a: 'x"[[[[' }), 1)).toBe(false);
    expect(exceeds(JSON.stringify({ a: 'ünïcødé [[[[' }), 1)).toBe(false);
  });

  it('stops at the first level past the limit: of 100,000 levels it reads 33 bytes', () => {
    const body = Buffer.from('['.repeat(100_000));
    let furthest = -1;
    // The body as the function sees it, noting the furthest byte it reads.
    const watched = new Proxy(body, {
      get(target, key) {
        if (typeof key === 'string' && /^\d+$/.test(key)) furthest = Math.max(furthest, Number(key));
        return Reflect.get(target, key) as unknown;
      },
    });
    expect(jsonDepthExceeds(watched, 32)).toBe(true);
    expect(furthest).toBe(32);
  });
});

describe(jsonBodyCheck.name, () => {
  const check = jsonBodyCheck(32);

  it('refuses a body nested too deep with a 400 body-parser keeps, and a non-UTF-8 charset with a 415', () => {
    expect(() => check({}, {}, Buffer.from('['.repeat(33)), 'utf-8')).toThrow(
      expect.objectContaining({
        status: 400,
        message: 'the body nests arrays and objects deeper than 32 levels',
      }),
    );
    expect(() => check({}, {}, Buffer.from('{}', 'utf16le'), 'utf-16le')).toThrow(
      expect.objectContaining({ status: 415, message: 'JSON bodies must be UTF-8' }),
    );
    expect(() => check({}, {}, Buffer.from('{"a":[1]}'), 'utf-8')).not.toThrow();
  });
});
