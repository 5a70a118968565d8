import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '../auth/decorators';
import { LedgerClient } from '../fabric/ledger-client';
import { PUBLIC_LIMIT } from '../rate-limit/rate-limit.guard';

/** Polled by supervisors and load balancers, which must never be rate-limited out of seeing the gateway. */
@ApiTags('health')
@SkipThrottle({ [PUBLIC_LIMIT]: true })
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly ledger: LedgerClient,
  ) {}

  /** Liveness plus whether the peer answers (bounded: never hangs). 503 when the peer is unreachable. */
  @Public()
  @Get()
  @HealthCheck()
  check(): Promise<HealthCheckResult> {
    return this.health.check([
      async () => {
        const peer = this.indicators.check('peer');
        return (await this.ledger.peerReachable()) ? peer.up() : peer.down({ message: 'peer unreachable' });
      },
    ]);
  }
}
