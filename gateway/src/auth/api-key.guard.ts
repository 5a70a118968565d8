import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  HttpException,
  HttpStatus,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Request, Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { refuse, roleRefusal, RoleGatedAction } from '@drugtrace/chaincode/domain';
import { AccountsService } from '../accounts/accounts.service';
import { AppConfig } from '../config/app-config';
import { AuthFailures } from './auth-failures';
import { Caller } from './caller';
import { ACTION_KEY, ADMIN_KEY, KEY_OPTIONAL, PUBLIC_KEY } from './decorators';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** The token of an `Authorization: Bearer <token>` header, if that is what the header holds. */
export const bearerToken = (header: string | undefined): string | undefined =>
  /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];

/** Whether `presented` is `secret`, in constant time (digests of equal length, whatever the inputs). */
export const sameSecret = (presented: string, secret: string): boolean =>
  timingSafeEqual(digest(presented), digest(secret));

/**
 * `Authorization: Bearer <key>` → the person the key stands for (looked up by its public id, compared by
 * hash; see accounts/api-key.ts). A revoked or expired key, or one of a revoked person, is as unknown as a
 * made-up one: 401. A client address that presented too many unknown keys in a minute gets 429 for every key
 * until its minute is over.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  readonly #failures: AuthFailures;

  constructor(
    private readonly reflector: Reflector,
    private readonly accounts: AccountsService,
    config: AppConfig,
  ) {
    this.#failures = new AuthFailures(config.authFailureLimitPerMinute, 60_000);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const http = context.switchToHttp();
    const request = http.getRequest<Request & { caller?: Caller }>();
    const keyPresented = request.headers.authorization !== undefined;
    const keyOptional = this.reflector.getAllAndOverride<boolean>(KEY_OPTIONAL, targets);
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets) && !(keyOptional && keyPresented))
      return true;
    const key = bearerToken(request.headers.authorization);
    if (!key) throw new UnauthorizedException('send your API key as "Authorization: Bearer <key>"');
    // req.ip: the client's address, or the one the trusted proxies name (TRUST_PROXY).
    const address = request.ip ?? '';
    const wait = this.#failures.retryAfter(address);
    if (wait > 0) {
      http.getResponse<Response>().setHeader('Retry-After', String(wait));
      throw new HttpException(
        `too many unknown API keys from this address; try again in ${wait} s`,
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    const caller = await this.accounts.authenticate(key);
    if (!caller) {
      this.#failures.record(address);
      throw new UnauthorizedException('unknown, revoked or expired API key');
    }
    const action = this.reflector.getAllAndOverride<RoleGatedAction | undefined>(ACTION_KEY, targets);
    if (action) refuse(roleRefusal({ msp: caller.mspId, role: caller.role }, action));
    if (this.reflector.getAllAndOverride<boolean>(ADMIN_KEY, targets) && !caller.admin)
      throw new ForbiddenException(`${caller.user} is not an administrator of ${caller.org}`);
    request.caller = caller;
    return true;
  }
}
