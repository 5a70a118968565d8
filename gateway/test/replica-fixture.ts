import { Database } from '../src/database/database';
import { EventStore } from '../src/events/event-store';
import { ReplicaStore } from '../src/replica/replica-store';
import { TestDatabase } from './databases';

/** The read model's stores over one test's database. */
export interface ReplicaFixture {
  db: Database;
  replica: ReplicaStore;
  events: EventStore;
}

/**
 * Registers the set-up the read model's tests share: before every test a fresh database of the dialect `create`
 * makes, with the replica and the event index migrated; after it, the connection closed and the database dropped.
 * The fixture's fields are the running test's.
 */
export function useReplica(create: () => Promise<TestDatabase>): ReplicaFixture {
  const fixture = {} as ReplicaFixture;
  let server: TestDatabase;
  beforeEach(async () => {
    server = await create();
    fixture.db = server.open();
    fixture.replica = new ReplicaStore(fixture.db);
    fixture.events = new EventStore(fixture.db);
    await fixture.replica.migrate();
    await fixture.events.migrate();
  });
  afterEach(async () => {
    await fixture.db.close();
    await server.drop();
  });
  return fixture;
}
