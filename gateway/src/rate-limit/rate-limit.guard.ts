import { ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import { Request, Response } from 'express';
import { Caller } from '../auth/caller';

/** Throttler names: the account-less routes per client address, the /v1 routes per API key. */
export const PUBLIC_LIMIT = 'public';
export const MEMBER_LIMIT = 'member';

type Req = Request & { caller?: Caller };
const callerOf = (context: ExecutionContext): Caller | undefined =>
  context.switchToHttp().getRequest<Req>().caller;

/**
 * A member is tracked by its API key's person (never by address: a whole company may share one proxy), so one
 * pharmacist's burst does not stop their colleagues.
 */
export const memberTracker = (req: { caller?: Caller }): string =>
  req.caller ? `${req.caller.org}/${req.caller.user}` : '';
/** Each throttler applies to its own kind of caller: a request with a key is a member's, others public. */
export const isMember = (context: ExecutionContext): boolean => callerOf(context) !== undefined;
export const isPublic = (context: ExecutionContext): boolean => !isMember(context);

/**
 * The rate limits, behind the API-key guard (which sets the caller). Past a limit: 429 with the seconds until
 * the window ends as `Retry-After` (the throttler itself names it `Retry-After-<throttler>`).
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(detail.timeToBlockExpire));
    const from = isMember(context) ? 'this API key' : 'this address';
    throw new HttpException(
      `too many requests from ${from}: at most ${detail.limit} in ${detail.ttl / 1000} s; try again in ${detail.timeToBlockExpire} s`,
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
