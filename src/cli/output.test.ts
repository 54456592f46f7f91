// #17 hole 6: `tdi-flow run … --out FILE` writes a temporary file beside FILE and renames it into
// place when the run is complete: concurrent runs onto one file leave one whole run's output (they
// interleaved NUL bytes and cut lines), and a run killed part-way leaves the file as it was.
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = new URL('../../bin/tdi-flow.mjs', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'tdi-flow-out-'));

function runAsync(args: string[]): { done: Promise<{ code: number | null; err: string }>; kill(signal: NodeJS.Signals): void } {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return {
    done: new Promise((resolve) => child.on('close', (code) => resolve({ code, err }))),
    kill: (signal) => child.kill(signal),
  };
}

/** Waits (polling the directory, no fixed sleep) until a temporary file of a run is there. */
async function temporaryAppears(inDir: string): Promise<string> {
  for (;;) {
    const t = readdirSync(inDir).find((f) => f.endsWith('.tmp'));
    if (t) return t;
    await new Promise((r) => setImmediate(r));
  }
}

describe('tdi-flow run --out (#17 hole 6)', () => {
  it('#17 hole 6: four concurrent runs onto one file leave exactly one whole run\'s output, and no temporary file', async () => {
    const expected = spawnSync(process.execPath, [bin, 'run', 'preset:race'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }).stdout;
    expect(expected.length).toBeGreaterThan(10_000);
    const out = join(dir, 'same.jsonl');
    const runs = Array.from({ length: 4 }, () => runAsync(['run', 'preset:race', '--out', out]));
    const results = await Promise.all(runs.map((r) => r.done));
    expect(results.map((r) => [r.code, r.err])).toEqual(results.map(() => [0, '']));
    const text = readFileSync(out, 'utf8');
    expect(text.includes('\0')).toBe(false);
    expect(text).toBe(expected);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('#17 hole 6: a run stopped part-way (SIGTERM, SIGKILL) leaves the file as it was; SIGTERM also removes its temporary file', async () => {
    const sub = mkdtempSync(join(dir, 'kill-'));
    const out = join(sub, 'trace.jsonl');
    writeFileSync(out, 'the previous run\n');
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      const r = runAsync(['run', 'preset:stress', '--out', out]);
      await temporaryAppears(sub);
      r.kill(signal);
      const { code } = await r.done;
      expect(code).not.toBe(0);
      expect(readFileSync(out, 'utf8')).toBe('the previous run\n');
      const left = readdirSync(sub).filter((f) => f.endsWith('.tmp'));
      // A killed process cannot clean up after itself; the file it would have replaced is intact.
      if (signal === 'SIGTERM') expect(left).toEqual([]);
      else expect(left).toHaveLength(1);
    }
    expect(existsSync(out)).toBe(true);
  });
});
