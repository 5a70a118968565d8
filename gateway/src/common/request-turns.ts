import { NextFunction, Request, Response } from 'express';

/**
 * Serves requests one per event-loop turn, in the order they arrived. Since libuv 1.45 (Node 20) a server accepts
 * at most one new connection per event-loop turn (libuv pull request 3696), and a turn lasts as long as the
 * callbacks it runs: a gateway serving every request that is ready in one turn takes hundreds of milliseconds a
 * turn at 200 requests in flight, so a burst of new connections was accepted one such turn apart and their first
 * requests waited seconds (the read bench's p95 of 5.9 s, p50 0.14 s). Deferring each request to a turn of its
 * own keeps every turn to one request's work: new connections are accepted between requests, block application
 * and timers get their turns, and requests are served first come, first served. The cost is one extra turn per
 * request (a few microseconds).
 */
export function requestTurns(): (req: Request, res: Response, next: NextFunction) => void {
  const waiting: NextFunction[] = [];
  let scheduled = false;
  const serveOne = (): void => {
    const next = waiting.shift();
    // An immediate queued while immediates run waits for the next turn: one request a turn.
    if (waiting.length > 0) setImmediate(serveOne);
    else scheduled = false;
    next?.();
  };
  return (_req, _res, next) => {
    waiting.push(next);
    if (!scheduled) {
      scheduled = true;
      setImmediate(serveOne);
    }
  };
}
