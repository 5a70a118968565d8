import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';
import { VerifyModule } from '../verify/verify.module';
import { ResolverController } from './resolver.controller';

@Module({
  imports: [
    VerifyModule,
    ThrottlerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => [{ ttl: 60_000, limit: config.resolverRateLimitPerMinute }],
    }),
  ],
  controllers: [ResolverController],
})
export class ResolverModule {}
