import { Global, Module } from '@nestjs/common';
import { LedgerClient } from './ledger-client';

@Global()
@Module({ providers: [LedgerClient], exports: [LedgerClient] })
export class FabricModule {}
