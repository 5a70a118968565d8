import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { AccountsModule } from './accounts/accounts.module';
import { AuditModule } from './audit/audit.module';
import { ApiKeyGuard } from './auth/api-key.guard';
import { BatchesModule } from './batches/batches.module';
import { logDestination } from './common/log-destination';
import { requestIdFor, requestLine, responseLine } from './common/request-id';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { ContainersModule } from './containers/containers.module';
import { DatabaseModule } from './database/database.module';
import { EventsModule } from './events/events.module';
import { FabricModule } from './fabric/fabric.module';
import { HealthModule } from './health/health.module';
import { I18nModule } from './i18n/i18n.module';
import { LabelsModule } from './labels/labels.module';
import { MeModule } from './me/me.module';
import { MetricsModule } from './metrics/metrics.module';
import { ProductsModule } from './products/products.module';
import { ReceiptsModule } from './receipts/receipts.module';
import { ReplicaModule } from './replica/replica.module';
import { RateLimitGuard } from './rate-limit/rate-limit.guard';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { ResolverModule } from './resolver/resolver.module';
import { ShipmentsModule } from './shipments/shipments.module';
import { TransactionsModule } from './transactions/transactions.module';
import { UnitsModule } from './units/units.module';
import { VerifyModule } from './verify/verify.module';

@Module({
  imports: [
    ConfigModule,
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        pinoHttp: [
          {
            level: config.logLevel,
            genReqId: requestIdFor,
            // One short line per request: id, method, URL, status, time. Every header (the default) cost more
            // CPU than validating the body (docs/SCALE.md, the HTTP floor), and keeps no API key out of the log
            // by construction.
            serializers: { req: requestLine, res: responseLine },
            wrapSerializers: false,
          },
          logDestination(),
        ],
      }),
    }),
    RateLimitModule,
    MetricsModule,
    FabricModule,
    DatabaseModule,
    AccountsModule,
    ReplicaModule,
    HealthModule,
    MeModule,
    ProductsModule,
    BatchesModule,
    LabelsModule,
    ContainersModule,
    ShipmentsModule,
    UnitsModule,
    TransactionsModule,
    VerifyModule,
    ReceiptsModule,
    ResolverModule,
    I18nModule,
    AuditModule,
    EventsModule,
  ],
  // In this order: the rate limits count a member by the caller the key guard found. The verify lane runs the
  // same two instances (app.factory.ts), so their counts are shared.
  providers: [
    ApiKeyGuard,
    RateLimitGuard,
    { provide: APP_GUARD, useExisting: ApiKeyGuard },
    { provide: APP_GUARD, useExisting: RateLimitGuard },
  ],
})
export class AppModule {}
