import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { BlockLocator } from './block-locator';
import { EventListener } from './event-listener';
import { EventStore } from './event-store';
import { EventsController } from './events.controller';

@Module({
  controllers: [EventsController],
  providers: [
    {
      provide: EventStore,
      useFactory: (config: AppConfig) => new EventStore(config.indexPath),
      inject: [AppConfig],
    },
    EventListener,
    BlockLocator,
  ],
  exports: [BlockLocator, EventStore],
})
export class EventsModule {}
