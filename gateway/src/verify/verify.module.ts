import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { AppConfig } from '../config/app-config';
import { ReceiptsModule } from '../receipts/receipts.module';
import { TransactionsModule } from '../transactions/transactions.module';
import { AlertQueue } from './alert-queue';
import { compiledDecodeWorker, DECODE_WORKER, ImageDecoder } from './image-decoder';
import { RecentSightings } from './recent-sightings';
import { ScanRecordLimiter } from './scan-record-limiter';
import { VerifyController } from './verify.controller';
import { VerifyService } from './verify.service';

@Module({
  imports: [
    ReceiptsModule,
    TransactionsModule,
    // One photo per request, as multipart field `image`, up to the configured size (413 beyond).
    MulterModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        limits: { fileSize: config.imageMaxBytes, files: 1, fields: 0 },
      }),
    }),
  ],
  controllers: [VerifyController],
  providers: [
    VerifyService,
    AlertQueue,
    RecentSightings,
    ScanRecordLimiter,
    ImageDecoder,
    { provide: DECODE_WORKER, useValue: compiledDecodeWorker },
  ],
  exports: [VerifyService],
})
export class VerifyModule {}
