import { Module } from '@nestjs/common';
import { EventIndex } from './event-index';
import { EventsController } from './events.controller';

@Module({ controllers: [EventsController], providers: [EventIndex], exports: [EventIndex] })
export class EventsModule {}
