import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { logDestination } from './log-destination';

describe('logDestination', () => {
  const dir = mkdtempSync(join(tmpdir(), 'drugtrace-log-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean);

  it('holds a lone line back, and writes it within a second', async () => {
    const file = join(dir, 'lone.log');
    writeFileSync(file, '');
    const logger = pino(logDestination(file));
    logger.info('request completed');
    await new Promise((r) => setTimeout(r, 100));
    expect(lines(file)).toEqual([]);
    await new Promise((r) => setTimeout(r, 1200));
    expect(lines(file).map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['request completed']);
  });

  it('writes a busy stream in 4 KB writes, losing no line', async () => {
    const file = join(dir, 'busy.log');
    writeFileSync(file, '');
    const logger = pino(logDestination(file));
    for (let i = 0; i < 500; i++) logger.info({ i }, 'request completed');
    await new Promise((r) => setTimeout(r, 1200));
    expect(lines(file).map((l) => (JSON.parse(l) as { i: number }).i)).toEqual([...Array(500).keys()]);
  });
});
