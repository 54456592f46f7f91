// The `tdi-flow` command as a user runs it (a real child process through bin/tdi-flow.mjs).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = new URL('../../bin/tdi-flow.mjs', import.meta.url).pathname;
const tdiFlow = (...args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const dir = mkdtempSync(join(tmpdir(), 'tdi-flow-'));

describe('tdi-flow', () => {
  it('presets lists every built-in scenario', () => {
    const r = tdiFlow('presets');
    expect(r.code).toBe(0);
    for (const name of ['basics', 'partial-copy', 'race', 'herd', 'blocking', 'cascade', 'irql', 'stress']) expect(r.out).toContain(name);
  });

  it('run preset:race --format summary shows at least one lost race (R24)', () => {
    const r = tdiFlow('run', 'preset:race', '--format', 'summary');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out);
    expect(s.clients.B.lostRaces).toBeGreaterThan(0);
    expect(s.jainFairness).toBeGreaterThan(0);
    expect(s.jainFairness).toBeLessThanOrEqual(1);
    expect(s.transports.tcp.peakPoolBytes).toBe(8192);
  });

  it('W1: run preset:race --api wsk --format summary shows no lost race and the bytes locked in pending IRPs', () => {
    const r = tdiFlow('run', 'preset:race', '--api', 'wsk', '--format', 'summary');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out);
    expect(s.api).toBe('wsk');
    expect([s.total.lostRaces, s.total.deviceNotReady, s.total.sendPossible]).toEqual([0, 0, 0]);
    expect(s.wsk.total.peakLockedBytes).toBeGreaterThan(0);
    expect(s.wsk.total.wskSends).toBe(s.wsk.clients.A.wskSends + s.wsk.clients.B.wskSends);
    expect(s.wsk.clients.A.backlogEvents).toBeGreaterThan(0); // told a smaller share when B started (W3)
  });

  it('W5: run preset:cascade --api wsk in every format; jsonl shows WskDisconnectEvent for the connections routed through nic0, and no ClientEventError', () => {
    const r = tdiFlow('run', 'preset:cascade', '--api', 'wsk');
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.type === 'callback.error')).toEqual([]);
    expect(lines.filter((l) => l.type === 'wsk.disconnect').map((l) => l.connection)).toEqual(['A1', 'C1']);
    const chrome = tdiFlow('run', 'preset:cascade', '--api', 'wsk', '--format', 'chrome-trace');
    expect(chrome.code).toBe(0);
    expect(JSON.parse(chrome.out).traceEvents.filter((e: { cat?: string; ph: string }) => e.cat === 'irp' && e.ph === 'b').length).toBe(lines.filter((l) => l.type === 'irp.pending').length);
    const csv = tdiFlow('run', 'preset:cascade', '--api', 'wsk', '--format', 'csv');
    expect(csv.code).toBe(0);
    expect(csv.out).toMatch(/,connection,A1,.*,broken,/);
    const bad = tdiFlow('run', 'preset:cascade', '--api', 'winsock');
    expect([bad.code, bad.err.split('\n')[0]]).toEqual([2, 'tdi-flow: --api must be one of tdi, wsk, got "winsock"']);
  });

  it('run preset:cascade (jsonl) delivers ClientEventError to exactly the dependent registered handlers', () => {
    const r = tdiFlow('run', 'preset:cascade');
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.seq)).toEqual(lines.map((_, i) => i));
    const errs = lines.filter((l) => l.type === 'callback.error').map((l) => `${l.address}/${l.ex ? 'ErrorEx' : 'Error'}`);
    expect(errs).toEqual(['A-0/Error', 'A-0/ErrorEx']);
  });

  it('--until-us stops the run at that time', () => {
    const lines = tdiFlow('run', 'preset:basics', '--until-us', '2000').out.trim().split('\n').map((l) => JSON.parse(l));
    expect(Math.max(...lines.map((l) => l.t))).toBe(2000);
  });

  it('chrome-trace is Trace Event Format with counters, async slices, instants and flows', () => {
    const out = join(dir, 'race.json');
    expect(tdiFlow('run', 'preset:race', '--format', 'chrome-trace', '--out', out).code).toBe(0);
    const t = JSON.parse(readFileSync(out, 'utf8'));
    const phases = new Set(t.traceEvents.map((e: { ph: string }) => e.ph));
    for (const ph of ['M', 'C', 'b', 'e', 'X', 's', 'f']) expect(phases).toContain(ph);
    const begins = t.traceEvents.filter((e: { ph: string }) => e.ph === 'b').length;
    expect(t.traceEvents.filter((e: { ph: string }) => e.ph === 'e').length).toBe(begins);
  });

  it('csv is a tidy time series with pool and connection rows', () => {
    const r = tdiFlow('run', 'preset:race', '--format', 'csv', '--interval-us', '1000');
    const rows = r.out.trim().split('\n');
    expect(rows[0]).toBe('t_us,kind,id,pool_bytes,buffered_bytes,held_bytes,pending_bytes,state,transmitted_bytes,lost_races');
    expect(rows.filter((l) => l.startsWith('5000,pool,tcp,'))).toHaveLength(1);
    expect(rows.filter((l) => l.includes(',connection,'))).toHaveLength(21 * 2);
  });

  it('bad input: exit 2, one line per problem naming the JSON path, no stack trace', () => {
    const bad = JSON.parse(readFileSync(new URL('../scenario/presets/race.json', import.meta.url), 'utf8'));
    bad.connections[1].nic = 'nic2';
    bad.durationUs = -1;
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(bad));
    const r = tdiFlow('validate', file);
    expect(r.code).toBe(2);
    // Every problem at once: the shape and the cross-reference (#15), each with its JSON path.
    expect(r.err.trim().split('\n')).toEqual([`${file}: durationUs: must be at least 1 µs`, `${file}: connections[1].nic: "nic2" is not a NIC of address "B-any"`]);
    bad.durationUs = 100;
    writeFileSync(file, JSON.stringify(bad));
    const r2 = tdiFlow('run', file);
    expect(r2.err.trim()).toBe(`${file}: connections[1].nic: "nic2" is not a NIC of address "B-any"`);
    expect(r2.code).toBe(2);
  });

  it('#15: three bad cross-references are three problems, and a missing field is named in words', () => {
    const bad = JSON.parse(readFileSync(new URL('../scenario/presets/race.json', import.meta.url), 'utf8'));
    bad.addresses[0].client = 'Q';
    bad.connections[1].address = 'nowhere';
    bad.faults = [{ atUs: 5, driver: 'nic7', status: 'STATUS_ADAPTER_HARDWARE_ERROR' }];
    delete bad.drivers[0].linkBytesPerMs;
    const file = join(dir, 'three.json');
    writeFileSync(file, JSON.stringify(bad));
    const r = tdiFlow('validate', file);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toEqual([
      `${file}: drivers[0].linkBytesPerMs: linkBytesPerMs is required for a NIC`,
      `${file}: addresses[0].client: unknown client "Q"`,
      `${file}: connections[1].address: unknown address "nowhere"`,
      `${file}: faults[0].driver: unknown driver or transport "nic7"`,
    ]);
  });

  it('bad input: broken JSON, a missing file, an unknown preset or option — exit 2, no stack trace', () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{\n  "format": "tdi-flow-lab/scenario@1",\n  "seed": ,\n}');
    for (const args of [['validate', file], ['run', join(dir, 'missing.json')], ['run', 'preset:nope'], ['run', 'preset:race', '--format', 'xml'], ['frobnicate']]) {
      const r = tdiFlow(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).not.toMatch(/\n\s+at /);
      expect(r.err.length).toBeGreaterThan(0);
    }
    expect(tdiFlow('validate', file).err).toMatch(/line 3, column/);
  });
});
