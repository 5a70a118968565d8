import { Module } from '@nestjs/common';
import { BatchesModule } from '../batches/batches.module';
import { UnitsModule } from '../units/units.module';
import { LabelRenderer } from './label-renderer';
import { LabelsController } from './labels.controller';
import { LabelsService } from './labels.service';

@Module({
  imports: [BatchesModule, UnitsModule],
  controllers: [LabelsController],
  providers: [LabelsService, LabelRenderer],
})
export class LabelsModule {}
