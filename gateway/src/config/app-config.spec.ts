import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testConfig, writeHome } from '../../test/test-app';

describe('AppConfig', () => {
  let home: string;

  beforeEach(() => {
    home = writeHome().home;
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  /** Rewrites network.json in the test home. */
  const editNetwork = (
    edit: (network: { orgs: Record<string, { peer: Record<string, string> }> }) => void,
  ) => {
    const file = join(home, 'network.json');
    const network = JSON.parse(readFileSync(file, 'utf8'));
    edit(network);
    writeFileSync(file, JSON.stringify(network));
  };

  it('accepts the network.json that network.sh writes', () => {
    expect(testConfig(home).regulatorOrg).toBe('regulator');
  });

  it.each(['tlsClientCertPath', 'tlsClientKeyPath'])(
    'refuses to start without the TLS client identity its peers require (%s)',
    (field) => {
      editNetwork((network) => delete network.orgs.pharmacy.peer[field]);
      expect(() => testConfig(home)).toThrow(
        /pharmacy TLS client (certificate|key) \(missing\) does not exist/,
      );
    },
  );

  it("checks the regulator's peer TLS files even when no API key names the regulator", () => {
    const keys = JSON.parse(readFileSync(join(home, 'api-keys.json'), 'utf8'));
    delete keys.regulator;
    writeFileSync(join(home, 'api-keys.json'), JSON.stringify(keys));
    editNetwork((network) => (network.orgs.regulator.peer.tlsClientKeyPath = join(home, 'nowhere.key')));
    expect(() => testConfig(home)).toThrow(/regulator TLS client key .*nowhere\.key\) does not exist/);
  });
});
