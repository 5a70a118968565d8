import {
  connectAs as connectTo,
  DirectConnection,
  orgKeyOfRole,
} from '../../test-network-scripts/lib/fabric-client';
import { readNetwork } from './paths';

export type { DirectConnection };

/** A direct connection as <org>/<user>, bypassing the REST gateway (the scripts' own connection module). */
export function connectAs(orgKey: string, userName = 'user1'): DirectConnection {
  return connectTo(readNetwork(), orgKey, userName);
}

/** The regulator's organisation key in network.json, found by its role. */
export const regulatorKey = (): string => orgKeyOfRole(readNetwork(), 'REGULATOR');

/** Decodes a chaincode JSON result. */
export const json = <T = Record<string, unknown>>(bytes: Uint8Array): T =>
  JSON.parse(Buffer.from(bytes).toString('utf8')) as T;
