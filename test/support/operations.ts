import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { readNetwork } from './paths';

/**
 * The orderers' operations endpoints speak TLS, and /metrics needs a TLS client certificate from the
 * orderer organisation (its admin's): a GET over node:https with that certificate.
 */
export function ordererOperationsGet(name: string, path: string, timeoutMs = 2000): Promise<string> {
  return ordererGet(name, 'operationsPort', path, timeoutMs);
}

/** GET on one of an orderer's TLS endpoints with the orderer organisation admin's client certificate. */
function ordererGet(
  name: string,
  port: 'operationsPort' | 'adminPort',
  path: string,
  timeoutMs: number,
): Promise<string> {
  const { ordering } = readNetwork();
  const orderer = ordering.orderers.find((o) => o.name === name);
  if (!orderer) throw new Error(`network.json has no orderer ${name}`);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: orderer[port],
        path,
        servername: orderer.hostAlias,
        ca: readFileSync(ordering.tlsRootCertPath),
        cert: readFileSync(ordering.operationsClient.tlsCertPath),
        key: readFileSync(ordering.operationsClient.tlsKeyPath),
        timeout: timeoutMs,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(body)
            : reject(new Error(`${name}${path}: HTTP ${res.statusCode}`)),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${name}${path}: no answer in ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** The height of the channel's ledger on an orderer, from the channel participation API (what osnadmin reads). */
export async function ordererHeight(name: string, timeoutMs = 2000): Promise<number> {
  const { channel } = readNetwork();
  const info = JSON.parse(
    await ordererGet(name, 'adminPort', `/participation/v1/channels/${channel}`, timeoutMs),
  );
  return Number(info.height);
}

/** The channel's value of a consensus metric (Raft: consensus_etcdraft_<metric>, SmartBFT: consensus_BFT_<metric>). */
export async function consensusMetric(name: string, metric: string): Promise<number> {
  const { channel, ordering } = readNetwork();
  const prefix = ordering.consensus === 'bft' ? 'consensus_BFT' : 'consensus_etcdraft';
  const text = await ordererOperationsGet(name, '/metrics');
  const m = text.match(new RegExp(`^${prefix}_${metric}\\{channel="${channel}"\\} (\\d+)`, 'mi'));
  if (!m) throw new Error(`${name} reports no ${prefix}_${metric} for ${channel}`);
  return Number(m[1]);
}

/** The orderer currently leading the channel's consensus, if one says so. */
export async function orderingLeader(): Promise<string | undefined> {
  for (const { name } of readNetwork().ordering.orderers) {
    const leads = await consensusMetric(name, 'is_leader').catch(() => 0);
    if (leads === 1) return name;
  }
  return undefined;
}
