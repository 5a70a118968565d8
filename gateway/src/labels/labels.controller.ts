import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import { Caller } from '../auth/caller';
import { Allowed, CurrentCaller } from '../auth/decorators';
import { GtinPipe, LotPipe } from '../common/gs1-params';
import { LabelsQuery } from './labels.dto';
import { LabelsService } from './labels.service';

@ApiTags('batches')
@ApiBearerAuth()
@Controller('v1/batches/:gtin/:lot/labels')
export class LabelsController {
  constructor(private readonly labels: LabelsService) {}

  @Get()
  @Allowed('printLabels')
  @ApiProduces('application/pdf', 'image/png', 'image/svg+xml')
  @ApiOkResponse({ description: 'a PDF sheet for the batch, or one pack’s PNG/SVG symbol' })
  async render(
    @CurrentCaller() caller: Caller,
    @Param('gtin', GtinPipe) gtin: string,
    @Param('lot', LotPipe) lot: string,
    @Query() query: LabelsQuery,
    @Res() res: Response,
  ): Promise<void> {
    const labels = await this.labels.render(caller, gtin, lot, query);
    const disposition = labels.contentType === 'application/pdf' ? 'attachment' : 'inline';
    res
      .type(labels.contentType)
      .setHeader('Content-Disposition', `${disposition}; filename="${labels.filename}"`);
    res.send(labels.body);
  }
}
