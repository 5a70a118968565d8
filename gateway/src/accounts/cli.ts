// The `user:*` commands (README, "Users"): the same AccountsService the gateway's /v1/admin/users uses, on
// the same database (SQLite file, or DATABASE_URL's PostgreSQL). Output: one JSON line on stdout; errors on stderr with exit code 1.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DomainError } from '@drugtrace/chaincode/domain';
import { AppConfig } from '../config/app-config';
import { openDatabase } from '../database/database.module';
import { publicUser } from './account-store';
import { AccountsService } from './accounts.service';
import { ScriptIdentityAuthority } from './identity-authority';
import { SqlAccountStore } from './sql-account-store';

const USAGE = `usage:
  user:add    -- --org <org> --name <name> --gln <GLN of the org> [--admin] [--expires-in-days <n>]
  user:list   -- --org <org>
  user:revoke -- --org <org> --name <name>
  user:key    -- --org <org> --name <name> [--expires-in-days <n>]   (a second key, for a rotation)
  user:key    -- --org <org> --name <name> --revoke <key id>`;

const OPTIONS = {
  org: { type: 'string' },
  name: { type: 'string' },
  gln: { type: 'string' },
  admin: { type: 'boolean' },
  'expires-in-days': { type: 'string' },
  revoke: { type: 'string' },
  file: { type: 'string' },
} as const;

type Options = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

function required(values: Options, name: 'org' | 'name' | 'gln'): string {
  const value = values[name];
  if (!value) throw new DomainError('INVALID', `--${name} is required\n${USAGE}`);
  return value;
}

function days(values: Options): number | undefined {
  const raw = values['expires-in-days'];
  return raw === undefined ? undefined : Number(raw);
}

/**
 * `npm start`'s demo people: each organisation's user1 gets a stored key, handed to the newcomer in
 * api-keys.json (0600). Keys already there stay while they work.
 */
async function demoKeys(accounts: AccountsService, config: AppConfig, file: string): Promise<object> {
  const keys = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
  const issued: string[] = [];
  for (const org of Object.keys(config.network.orgs)) {
    const key = await accounts.ensureDemoUser(org, keys[org]);
    if (key) {
      keys[org] = key;
      issued.push(org);
    }
  }
  writeFileSync(file, JSON.stringify(keys, null, 2) + '\n', { mode: 0o600 });
  return { issued };
}

async function run(command: string, values: Options, accounts: AccountsService, config: AppConfig) {
  switch (command) {
    case 'add':
      return accounts
        .addUser({
          org: required(values, 'org'),
          name: required(values, 'name'),
          gln: required(values, 'gln'),
          admin: values.admin,
          expiresInDays: days(values),
        })
        .then(({ org, user, gln, apiKey }) => ({ org, user, gln, apiKey }));
    case 'list':
      return (await accounts.listUsers(required(values, 'org'))).map(publicUser);
    case 'revoke':
      return publicUser(await accounts.revokeUser(required(values, 'org'), required(values, 'name')));
    case 'key': {
      const [org, name] = [required(values, 'org'), required(values, 'name')];
      if (values.revoke) {
        await accounts.revokeKey(org, name, values.revoke);
        return { org, user: name, revokedKey: values.revoke };
      }
      return { org, user: name, ...(await accounts.issueKey(org, name, days(values))) };
    }
    case 'demo-keys':
      if (!values.file) throw new DomainError('INVALID', '--file is required');
      return demoKeys(accounts, config, values.file);
    default:
      throw new DomainError('INVALID', `unknown command "${command}"\n${USAGE}`);
  }
}

async function main(): Promise<number> {
  // Like the platform scripts (common.sh): whatever this creates under DRUGTRACE_HOME is for its owner only.
  process.umask(0o077);
  let parsed: { values: Options; positionals: string[] };
  try {
    parsed = parseArgs({ options: OPTIONS, allowPositionals: true });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 1;
  }
  const config = new AppConfig();
  const db = openDatabase(config);
  try {
    const store = await SqlAccountStore.open(db);
    const accounts = new AccountsService(store, config.network, new ScriptIdentityAuthority(process.env));
    const result = await run(parsed.positionals[0] ?? '', parsed.values, accounts, config);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  } catch (err) {
    const message = err instanceof DomainError ? `${err.code}: ${err.detail}` : (err as Error).message;
    process.stderr.write(`error: ${message}\n`);
    return 1;
  } finally {
    await db.close();
  }
}

void main().then((code) => (process.exitCode = code));
