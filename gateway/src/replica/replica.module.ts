import { Global, MiddlewareConsumer, Module, NestModule, OnModuleInit, RequestMethod } from '@nestjs/common';
import { Database } from '../database/database';
import { EventStore } from '../events/event-store';
import { FabricModule } from '../fabric/fabric.module';
import { BlockFollower } from './block-follower';
import { ListQueries } from './lists/list-queries';
import { LedgerBlockMiddleware } from './ledger-block.middleware';
import { ReadModel } from './read-model';
import { ReplicaHeight } from './replica-height';
import { ReplicaStore } from './replica-store';

/** The read model: the replica of the world state, the block follower that builds it, and reads over it. */
@Global()
@Module({
  imports: [FabricModule],
  providers: [
    { provide: ReplicaStore, useFactory: (db: Database) => new ReplicaStore(db), inject: [Database] },
    { provide: EventStore, useFactory: (db: Database) => new EventStore(db), inject: [Database] },
    { provide: ListQueries, useFactory: (db: Database) => new ListQueries(db), inject: [Database] },
    ReplicaHeight,
    BlockFollower,
    ReadModel,
  ],
  exports: [ReplicaStore, ListQueries, EventStore, ReplicaHeight, BlockFollower, ReadModel],
})
export class ReplicaModule implements OnModuleInit, NestModule {
  constructor(
    private readonly replica: ReplicaStore,
    private readonly events: EventStore,
  ) {}

  /** The tables exist, and the aggregates of a replica older than them are filled, before anything reads them. */
  async onModuleInit(): Promise<void> {
    await this.replica.migrate();
    await this.events.migrate();
    await this.replica.tables.backfill(this.events);
  }

  /** Every route's answer carries its ledger position (X-Ledger-Block; X-Min-Block asked). */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(LedgerBlockMiddleware).forRoutes({ path: '{*splat}', method: RequestMethod.ALL });
  }
}
