import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';
import { HitWindowStorage } from './hit-window-storage';
import { isMember, isPublic, MEMBER_LIMIT, memberTracker, PUBLIC_LIMIT } from './rate-limit.guard';

const MINUTE_MS = 60_000;

/** The throttlers RateLimitGuard applies (the guard is global, registered in AppModule after the key guard). */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        throttlers: [
          // Per client address (the throttler's default tracker: req.ip, behind TRUST_PROXY's proxies).
          { name: PUBLIC_LIMIT, ttl: MINUTE_MS, limit: config.resolverRateLimitPerMinute, skipIf: isMember },
          {
            name: MEMBER_LIMIT,
            ttl: MINUTE_MS,
            limit: config.apiRateLimitPerMinute,
            skipIf: isPublic,
            getTracker: memberTracker,
          },
        ],
        storage: new HitWindowStorage(),
      }),
    }),
  ],
  exports: [ThrottlerModule],
})
export class RateLimitModule {}
