import { Module } from '@nestjs/common';
import { VerifyModule } from '../verify/verify.module';
import { ResolverController } from './resolver.controller';
import { VrsService } from './vrs.service';

@Module({ imports: [VerifyModule], controllers: [ResolverController], providers: [VrsService] })
export class ResolverModule {}
