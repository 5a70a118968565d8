import { Module } from '@nestjs/common';
import { BatchListsService } from './batch-lists.service';
import { BatchesController } from './batches.controller';
import { BatchesService } from './batches.service';

@Module({
  controllers: [BatchesController],
  providers: [BatchesService, BatchListsService],
  exports: [BatchesService],
})
export class BatchesModule {}
