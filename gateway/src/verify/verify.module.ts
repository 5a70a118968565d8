import { Module } from '@nestjs/common';
import { AlertQueue } from './alert-queue';
import { CloneDetector } from './clone-detector';
import { ImageDecoder } from './image-decoder';
import { VerifyController } from './verify.controller';
import { VerifyService } from './verify.service';

@Module({
  controllers: [VerifyController],
  providers: [VerifyService, AlertQueue, CloneDetector, ImageDecoder],
  exports: [VerifyService],
})
export class VerifyModule {}
