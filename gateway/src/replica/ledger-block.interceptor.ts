import {
  BadRequestException,
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { Observable, tap } from 'rxjs';
import { LedgerPosition, withLedgerPosition } from './ledger-position';

export const LEDGER_BLOCK_HEADER = 'X-Ledger-Block';
export const MIN_BLOCK_HEADER = 'X-Min-Block';

/**
 * Gives each request its ledger position: the block it asks for at least (X-Min-Block), and on the answer the
 * block it reflects or committed in (X-Ledger-Block), refusals included.
 */
@Injectable()
export class LedgerBlockInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const position: LedgerPosition = {};
    const raw = request.headers[MIN_BLOCK_HEADER.toLowerCase()];
    if (raw !== undefined) {
      if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw))
        throw new BadRequestException(`${MIN_BLOCK_HEADER} must be a block number (a non-negative integer)`);
      position.minBlock = Number(raw);
    }
    const mark = (): void => {
      if (position.block !== undefined && position.block >= 0 && !response.headersSent)
        response.setHeader(LEDGER_BLOCK_HEADER, String(position.block));
    };
    return new Observable((subscriber) =>
      withLedgerPosition(position, () =>
        next
          .handle()
          .pipe(tap({ next: mark, error: mark }))
          .subscribe(subscriber),
      ),
    );
  }
}
