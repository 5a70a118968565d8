import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { PrescriptionsController } from './prescriptions.controller';
import { UnitsController } from './units.controller';
import { UnitsService } from './units.service';

@Module({
  imports: [EventsModule],
  controllers: [PrescriptionsController, UnitsController],
  providers: [UnitsService],
  exports: [UnitsService],
})
export class UnitsModule {}
