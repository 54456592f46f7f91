// `tdi-flow` on hardened edges (issue 10, "Hardened edges (command line and page)"), through the
// real binary in a child process: every failure is one line naming the problem and a non-zero exit,
// never a stack trace; output errors are not swallowed.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = new URL('../../bin/tdi-flow.mjs', import.meta.url).pathname;
const tdiFlow = (args: string[], stdout?: number) => {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    timeout: 110_000,
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', stdout ?? 'pipe', 'pipe'],
  });
  return { code: r.status, out: r.stdout ?? '', err: r.stderr };
};
const dir = mkdtempSync(join(tmpdir(), 'tdi-flow-hard-'));
const race = JSON.parse(readFileSync(new URL('../scenario/presets/race.json', import.meta.url), 'utf8'));
const file = (name: string, content: string | object): string => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};
const noStack = (err: string) => {
  expect(err).not.toMatch(/\n\s+at |Unhandled|node:internal|Maximum call stack/);
};
const hasDevFull = existsSync('/dev/full');

describe('tdi-flow: output that cannot be written', () => {
  it('--out into a missing directory, onto a directory: one line naming the output, exit 2', () => {
    for (const [out, code] of [
      [join(dir, 'missing', 'x.jsonl'), 'ENOENT'],
      [dir, 'EISDIR'],
    ] as const) {
      const r = tdiFlow(['run', 'preset:basics', '--out', out]);
      expect(r.code).toBe(2);
      expect(r.err).toBe(`tdi-flow: cannot write ${out} (${code})\n`);
    }
  });

  it.runIf(hasDevFull)('--out /dev/full and standard output on /dev/full (exit 0 with nothing written before): ENOSPC, exit 2', () => {
    const r = tdiFlow(['run', 'preset:basics', '--out', '/dev/full']);
    expect([r.code, r.err]).toEqual([2, 'tdi-flow: cannot write /dev/full (ENOSPC)\n']);
    const full = openSync('/dev/full', 'w');
    try {
      for (const args of [['run', 'preset:basics'], ['run', 'preset:race', '--format', 'summary'], ['presets'], ['validate', 'preset:race']]) {
        const s = tdiFlow(args, full);
        expect([s.code, s.err], args.join(' ')).toEqual([2, 'tdi-flow: cannot write standard output (ENOSPC)\n']);
      }
    } finally {
      closeSync(full);
    }
  });
});

describe('tdi-flow: input at the edges', () => {
  it.runIf(existsSync('/dev/zero'))('validate /dev/zero stops at the 64 MiB cap (it grew to 6.5 GB) with one line', () => {
    const r = tdiFlow(['validate', '/dev/zero']);
    expect([r.code, r.err]).toEqual([2, '/dev/zero: (root): too large: a scenario may have at most 64 MiB\n']);
  });

  it('a million empty connections: the first 100 problems, then "and N more" (it printed 327 MB)', () => {
    const path = file('million.json', JSON.stringify({ ...race, connections: '@' }).replace('"@"', `[${Array(1_000_000).fill('{}').join(',')}]`));
    const r = tdiFlow(['validate', path]);
    expect(r.code).toBe(2);
    const lines = r.err.trimEnd().split('\n');
    expect(lines).toHaveLength(101);
    expect(lines[0]).toBe(`${path}: connections[0].id: id is required for a connection`);
    expect(lines[100]).toMatch(/: \(root\): and at least \d+ more problems \(only the first 100 are listed\)$/);
  });

  it('a 10,000-layer driver cycle and a 1e6-deep file: one clear line each, exit 2 (was "Maximum call stack size exceeded")', () => {
    const cyclic = structuredClone(race);
    for (let i = 0; i < 10_000; i++) cyclic.drivers.push({ id: `p${i}`, kind: 'protocol', lower: [`p${(i + 1) % 10_000}`] });
    const c = tdiFlow(['validate', file('cycle.json', cyclic)]);
    expect(c.code).toBe(2);
    expect(c.err).toMatch(/^\S+: drivers\[3\]\.lower: cycle: p0 → p1 → .* → p9999 → p0 \(10000 drivers\)\n$/);
    const d = tdiFlow(['validate', file('deep.json', '['.repeat(1_000_000) + ']'.repeat(1_000_000))]);
    expect(d.code).toBe(2);
    expect(d.err).toMatch(/: \(root\): nested more than 64 levels deep at line 1, column 65/);
    noStack(c.err + d.err);
  });

  it('a UTF-8 byte order mark is accepted, as the page accepts it', () => {
    const r = tdiFlow(['validate', file('bom.json', '\uFEFF' + JSON.stringify(race))]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/valid — "Two clients race/);
  });

  it('titles, unknown field names and file names are escaped: no control character reaches the terminal', () => {
    const title = file('title.json', { ...race, title: 'evil\u001b]0;pwned\u0007\u001b[2J' });
    const ok = tdiFlow(['validate', title]);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('valid — "evil\\u001b]0;pwned\\u0007\\u001b[2J"');
    const unknown = tdiFlow(['validate', file('unknown.json', { ...race, 'x\u001b[31m': 1 })]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('(root): unknown field "x\\u001b[31m"');
    const named = tdiFlow(['validate', join(dir, 'no\u001bsuch.json')]);
    expect(named.err).toContain('no\\u001bsuch.json: cannot read file (ENOENT)');
    // eslint-disable-next-line no-control-regex
    for (const text of [ok.out, unknown.err, named.err]) expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });

  it('2^53 is "too large" and seed -1 names its range, with the JSON path', () => {
    const r = tdiFlow(['validate', file('numbers.json', JSON.stringify({ ...race, seed: -1, durationUs: 2 ** 53 }))]);
    expect(r.code).toBe(2);
    expect(r.err.trimEnd().split('\n').map((l) => l.slice(l.indexOf(': ') + 2))).toEqual([
      'seed: must be between 0 and 4294967295',
      'durationUs: too large: at most 9007199254740991',
    ]);
  });

  it('an overload without queueLimitBytes ends (it died of heap exhaustion) with a note on the default bound', () => {
    const overload = structuredClone(race);
    overload.drivers[0].linkBytesPerMs = 1;
    overload.drivers[1].linkBytesPerMs = 1;
    overload.durationUs = 1e12;
    overload.connections[1].generator = { startUs: 0, everyUs: 1, bytes: 1460, count: 1e9, flags: ['NON_BLOCKING'] };
    const r = tdiFlow(['run', file('overload.json', overload), '--format', 'summary', '--until-us', '50000']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out);
    expect(s.clients.B.bytesHeld).toBeLessThanOrEqual(16 * 1024 * 1024);
    expect(s.clients.B.bytesFailed).toBeGreaterThan(0);
    expect(r.err).toMatch(/^tdi-flow: note: the client's queue reached the default bound of 16 MiB per connection \(no queueLimitBytes\) on connection "B1" \(client "B", \d+ bytes\): those sends failed with STATUS_INSUFFICIENT_RESOURCES\n$/);
  });
});
