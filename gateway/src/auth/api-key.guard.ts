import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Role } from '@drugtrace/chaincode/domain';
import { AppConfig } from '../config/app-config';
import { Caller } from './caller';
import { PUBLIC_KEY, ROLES_KEY } from './decorators';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** `Authorization: Bearer <key>` → the Fabric identity the key stands for. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  readonly #keys: { digest: Buffer; caller: Caller }[];

  constructor(
    private readonly reflector: Reflector,
    config: AppConfig,
  ) {
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
    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | undefined>; caller?: Caller }>();
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!match) throw new UnauthorizedException('send your API key as "Authorization: Bearer <key>"');
    const presented = digest(match[1]);
    // Compare against every key in constant time so timing says nothing about which keys exist.
    let caller: Caller | undefined;
    for (const entry of this.#keys) if (timingSafeEqual(entry.digest, presented)) caller = entry.caller;
    if (!caller) throw new UnauthorizedException('unknown API key');
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(caller.role)) {
      throw new ForbiddenException(`${caller.mspId} is ${caller.role}; this needs ${roles.join(' or ')}`);
    }
    request.caller = caller;
    return true;
  }
}
