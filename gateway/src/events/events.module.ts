import { Module } from '@nestjs/common';
import { BlockLocator } from './block-locator';
import { EventsController } from './events.controller';

/** Live and replayed ledger events; the event index is the read model's (ReplicaModule). */
@Module({
  controllers: [EventsController],
  providers: [BlockLocator],
  exports: [BlockLocator],
})
export class EventsModule {}
