import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { DomainError } from '@drugtrace/chaincode/domain';

/** Where an enrolled person's signing identity lives. */
export interface EnrolledIdentity {
  certPath: string;
  keyPath: string;
}

/** The organisation's Fabric CA and the channel's view of it: enrol a person, revoke one so the peers refuse them. */
export abstract class IdentityAuthority {
  abstract enrol(org: string, name: string, gln: string): Promise<EnrolledIdentity>;
  abstract revoke(org: string, name: string): Promise<void>;
}

const SCRIPT = join(__dirname, '..', '..', '..', 'test-network-scripts', 'users.sh');
/** Revocation updates the channel configuration: fetch, sign, order, commit. */
const TIMEOUT_MS = 120_000;

/** The last lines of a script's error output, without its colour codes: what to tell the operator. */
const lastLines = (stderr: string): string =>
  stderr
    .replace(/\x1b\[[0-9;]*m/g, '') // eslint-disable-line no-control-regex
    .trim()
    .split('\n')
    .slice(-3)
    .join('; ');

/**
 * The network's own scripts do the Fabric CA and channel work (test-network-scripts/users.sh, the same code
 * `network:up` enrols with): the CA generates each enrolment secret and the script keeps it in a variable,
 * so no secret passes through here. The person's name goes as an argument once validated by the caller.
 */
export class ScriptIdentityAuthority extends IdentityAuthority {
  constructor(private readonly env: NodeJS.ProcessEnv) {
    super();
  }

  async enrol(org: string, name: string, gln: string): Promise<EnrolledIdentity> {
    const out = await this.#run(['enrol', org, name, gln]);
    return JSON.parse(out) as EnrolledIdentity;
  }

  async revoke(org: string, name: string): Promise<void> {
    await this.#run(['revoke', org, name]);
  }

  #run(args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile('bash', [SCRIPT, ...args], { env: this.env, timeout: TIMEOUT_MS }, (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        const why = lastLines(stderr) || err.message;
        // The CA knows every enrolment ID of the organisation, the node and demo identities included.
        if (/already registered/i.test(stderr))
          return reject(new DomainError('CONFLICT', `the CA already has an identity named ${args[2]}`));
        reject(new Error(`users.sh ${args[0]} failed: ${why}`));
      });
    });
  }
}
