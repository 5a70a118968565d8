import { Global, Module } from '@nestjs/common';
import { BlockLocator } from './block-locator';
import { LedgerClient } from './ledger-client';

@Global()
@Module({ providers: [LedgerClient, BlockLocator], exports: [LedgerClient, BlockLocator] })
export class FabricModule {}
