import pino from 'pino';

/** How long a log line may wait in the buffer at the most. */
const FLUSH_MS = 1000;

/**
 * Where the gateway's log lines go (standard output, or `dest`): in writes of 4 KB, and at least once a second. A write per
 * line — one per request — cost the gateway more CPU than parsing the request's body (docs/SCALE.md, the HTTP
 * floor). pino writes out what is left when the process exits.
 */
export function logDestination(dest: number | string = 1): pino.DestinationStream {
  const destination = pino.destination({ dest, sync: false, minLength: 4096 });
  setInterval(() => destination.flush(), FLUSH_MS).unref();
  return destination;
}
