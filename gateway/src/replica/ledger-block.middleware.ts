import { BadRequestException, Injectable, NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import onHeaders from 'on-headers';
import { LedgerPosition, withLedgerPosition } from './ledger-position';

export const LEDGER_BLOCK_HEADER = 'X-Ledger-Block';
export const MIN_BLOCK_HEADER = 'X-Min-Block';

/**
 * A request's ledger position: the block it asks for at least (X-Min-Block; a 400 when that is no block
 * number), and the answer's X-Ledger-Block, set as its headers go out (whatever writes them, refusals
 * included) to the block the request read or wrote at.
 */
export function trackLedgerPosition(request: IncomingMessage, response: ServerResponse): LedgerPosition {
  const position: LedgerPosition = {};
  const raw = request.headers[MIN_BLOCK_HEADER.toLowerCase()];
  if (raw !== undefined) {
    if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw))
      throw new BadRequestException(`${MIN_BLOCK_HEADER} must be a block number (a non-negative integer)`);
    position.minBlock = Number(raw);
  }
  onHeaders(response, function mark() {
    if (position.block !== undefined && position.block >= 0)
      this.setHeader(LEDGER_BLOCK_HEADER, String(position.block));
  });
  return position;
}

/**
 * Gives each request its ledger position (`trackLedgerPosition`). A middleware, not an interceptor: with no
 * interceptor Nest calls a handler without wrapping it in RxJS observables (docs/SCALE.md, the HTTP floor).
 */
@Injectable()
export class LedgerBlockMiddleware implements NestMiddleware {
  use(request: IncomingMessage, response: ServerResponse, next: () => void): void {
    withLedgerPosition(trackLedgerPosition(request, response), next);
  }
}
