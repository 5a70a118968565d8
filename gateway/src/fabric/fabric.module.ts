import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { Ledger } from './ledger';
import { LedgerClient } from './ledger-client';
import { compiledWriteWorker, WRITE_THREAD, WriteThread } from './write-thread';

@Global()
@Module({
  providers: [
    {
      provide: WRITE_THREAD,
      inject: [AppConfig, MetricsService],
      useFactory: (config: AppConfig, metrics: MetricsService) =>
        config.ledgerWriteThread ? new WriteThread(compiledWriteWorker, metrics) : null,
    },
    LedgerClient,
    Ledger,
  ],
  exports: [LedgerClient, Ledger],
})
export class FabricModule {}
