import { Module } from '@nestjs/common';
import { VerifyModule } from '../verify/verify.module';
import { ResolverController } from './resolver.controller';

@Module({ imports: [VerifyModule], controllers: [ResolverController] })
export class ResolverModule {}
