import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { Database } from '../database/database';
import { AccountStore } from './account-store';
import { AccountsService } from './accounts.service';
import { AdminUsersController } from './admin-users.controller';
import { IdentityAuthority, ScriptIdentityAuthority } from './identity-authority';
import { SqlAccountStore } from './sql-account-store';

/** Users, their API keys (hashed) and their identities at the organisation's CA; the key guard uses it. */
@Global()
@Module({
  controllers: [AdminUsersController],
  providers: [
    { provide: AccountStore, useFactory: (db: Database) => SqlAccountStore.open(db), inject: [Database] },
    { provide: IdentityAuthority, useFactory: () => new ScriptIdentityAuthority(process.env) },
    {
      provide: AccountsService,
      useFactory: (store: AccountStore, config: AppConfig, authority: IdentityAuthority) =>
        new AccountsService(store, config.network, authority),
      inject: [AccountStore, AppConfig, IdentityAuthority],
    },
  ],
  exports: [AccountsService],
})
export class AccountsModule {}
