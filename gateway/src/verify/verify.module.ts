import { Module } from '@nestjs/common';
import { AlertQueue } from './alert-queue';
import { ImageDecoder } from './image-decoder';
import { RecentSightings } from './recent-sightings';
import { ScanRecordLimiter } from './scan-record-limiter';
import { VerifyController } from './verify.controller';
import { VerifyService } from './verify.service';

@Module({
  controllers: [VerifyController],
  providers: [VerifyService, AlertQueue, RecentSightings, ScanRecordLimiter, ImageDecoder],
  exports: [VerifyService],
})
export class VerifyModule {}
