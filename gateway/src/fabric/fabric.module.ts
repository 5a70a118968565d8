import { Global, Module } from '@nestjs/common';
import { Ledger } from './ledger';
import { LedgerClient } from './ledger-client';

@Global()
@Module({ providers: [LedgerClient, Ledger], exports: [LedgerClient, Ledger] })
export class FabricModule {}
