import { Module } from '@nestjs/common';
import { LabelRenderer } from './label-renderer';
import { LabelsController } from './labels.controller';

@Module({ controllers: [LabelsController], providers: [LabelRenderer] })
export class LabelsModule {}
