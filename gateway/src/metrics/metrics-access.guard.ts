import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { Request } from 'express';
import { BlockList, isIPv4 } from 'node:net';
import { bearerToken, sameSecret } from '../auth/api-key.guard';
import { AppConfig } from '../config/app-config';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** 127.0.0.0/8 or ::1, also written as an IPv4-mapped IPv6 address (::ffff:127.0.0.1). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.replace(/^::ffff:/i, '');
  return isIPv4(v4) ? LOOPBACK.check(v4, 'ipv4') : LOOPBACK.check(address, 'ipv6');
}

/**
 * Metrics describe the gateway's traffic: they are for the machine's own scraper (a loopback caller, by the
 * address the trusted proxies name, so a proxy on this host does not make everyone local) or for whoever
 * presents METRICS_TOKEN.
 */
@Injectable()
export class MetricsAccessGuard implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    if (isLoopback(request.ip)) return true;
    const token = bearerToken(request.headers.authorization);
    if (this.config.metricsToken && token && sameSecret(token, this.config.metricsToken)) return true;
    throw new ForbiddenException('metrics are served to loopback callers, or with the metrics token');
  }
}
