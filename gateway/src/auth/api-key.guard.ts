import {
  CanActivate,
  ExecutionContext,
  HttpException,
  HttpStatus,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Request, Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { refuse, Role, roleRefusal, RoleGatedAction } from '@drugtrace/chaincode/domain';
import { AppConfig } from '../config/app-config';
import { AuthFailures } from './auth-failures';
import { Caller } from './caller';
import { ACTION_KEY, PUBLIC_KEY } from './decorators';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** The token of an `Authorization: Bearer <token>` header, if that is what the header holds. */
export const bearerToken = (header: string | undefined): string | undefined =>
  /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];

/** Whether `presented` is `secret`, in constant time (digests of equal length, whatever the inputs). */
export const sameSecret = (presented: string, secret: string): boolean =>
  timingSafeEqual(digest(presented), digest(secret));

/**
 * `Authorization: Bearer <key>` → the Fabric identity the key stands for. A client address that presented
 * too many unknown keys in a minute gets 429 for every key until its minute is over.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  readonly #keys: { digest: Buffer; caller: Caller }[];
  readonly #failures: AuthFailures;

  constructor(
    private readonly reflector: Reflector,
    config: AppConfig,
  ) {
    this.#failures = new AuthFailures(config.authFailureLimitPerMinute, 60_000);
    this.#keys = Object.entries(config.apiKeys).map(([org, key]) => {
      const info = config.network.orgs[org];
      const user = info.users.user1;
      return {
        digest: digest(key),
        caller: { org, mspId: info.mspId, role: info.role as Role, gln: user.gln, user: 'user1' },
      };
    });
  }

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<Request & { caller?: Caller }>();
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
    const presented = digest(key);
    // Compare against every key in constant time so timing says nothing about which keys exist.
    let caller: Caller | undefined;
    for (const entry of this.#keys) if (timingSafeEqual(entry.digest, presented)) caller = entry.caller;
    if (!caller) {
      this.#failures.record(address);
      throw new UnauthorizedException('unknown API key');
    }
    const action = this.reflector.getAllAndOverride<RoleGatedAction | undefined>(ACTION_KEY, targets);
    if (action) refuse(roleRefusal({ msp: caller.mspId, role: caller.role }, action));
    request.caller = caller;
    return true;
  }
}
