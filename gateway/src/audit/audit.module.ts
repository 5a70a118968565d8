import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';

@Module({ imports: [EventsModule], controllers: [AuditController], providers: [AuditService] })
export class AuditModule {}
