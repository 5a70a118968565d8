import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsSerial } from '../common/gs1.validators';

export const LABEL_FORMATS = ['pdf', 'png', 'svg'] as const;
export type LabelFormat = (typeof LABEL_FORMATS)[number];
export const SYMBOLOGIES = ['qr', 'datamatrix'] as const;
export type Symbology = (typeof SYMBOLOGIES)[number];

export class LabelsQuery {
  @ApiPropertyOptional({
    enum: LABEL_FORMATS,
    default: 'pdf',
    description: 'pdf: a sheet for the batch; png/svg: one pack',
  })
  @IsOptional()
  @IsIn(LABEL_FORMATS)
  format?: LabelFormat;

  @ApiPropertyOptional({
    enum: SYMBOLOGIES,
    default: 'datamatrix',
    description: 'qr: GS1 Digital Link URI; datamatrix: GS1 element string',
  })
  @IsOptional()
  @IsIn(SYMBOLOGIES)
  symbology?: Symbology;

  @ApiPropertyOptional({ description: 'the pack, required for png and svg' })
  @IsOptional()
  @IsSerial()
  serial?: string;
}
