// #14: `tdi-flow lesson check` as a user runs it (a child process through bin/tdi-flow.mjs): exit 0
// when clean, 2 with one line per problem naming the step and the record; --help; bad input named.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = new URL('../../bin/tdi-flow.mjs', import.meta.url).pathname;
const tdiFlow = (...args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const dir = mkdtempSync(join(tmpdir(), 'tdi-flow-lesson-'));

describe('tdi-flow lesson (#14)', () => {
  it('check NAME: a built-in lesson is clean (exit 0, one line)', () => {
    const r = tdiFlow('lesson', 'check', 'race');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^race: clean — 6 steps, 3 questions\n$/);
  });

  it('R21, R24: check FILE names each problem with its step and record, exit 2', () => {
    const file = join(dir, 'old-race.json');
    const q3 = { ask: 'Which first?', choices: ['A1', 'B1'], answerFrom: { first: { type: 'callback.sendPossible' }, field: 'connection' } };
    const q4 = { ask: 'How many bytes?', answerFrom: { value: { type: 'send.complete', where: { connection: 'B1', lostRace: true } }, field: 'information' } };
    writeFileSync(
      file,
      JSON.stringify({
        format: 'tdi-flow-lab/lesson@1',
        title: 'Old race',
        summary: 'S',
        scenario: 'race',
        steps: [
          { title: 'a', narration: 'n', until: { record: { type: 'send.complete', where: { connection: 'B1', status: 'STATUS_DEVICE_NOT_READY' } } } },
          { title: 'b', narration: 'n', until: { record: { type: 'callback.sendPossible' } }, question: q3 },
          { title: 'c', narration: 'n', focus: ['B1'], until: { record: { type: 'send.complete', where: { connection: 'B1', lostRace: true } }, from: 'start' }, question: q4 },
        ],
      }),
    );
    const r = tdiFlow('lesson', 'check', file);
    expect(r.code).toBe(2);
    const lines = r.err.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/old-race\.json: step 2: only "B1" can be the answer .*\(record #\d+ at 730 µs: callback\.sendPossible\)$/);
    expect(lines[1]).toMatch(/old-race\.json: step 3: the answer is record #\d+ at 1,520 µs: send\.complete, .*\(record #\d+ at 790 µs: send\.complete\)$/);
  });

  it('--help says what is checked; a lesson that does not validate is named by path; a bad name or subcommand is a usage error', () => {
    const h = tdiFlow('lesson', '--help');
    expect(h.code).toBe(0);
    expect(h.out).toContain('tdi-flow lesson check FILE.json|NAME');
    expect(h.out).toContain('never');
    const file = join(dir, 'typo.json');
    writeFileSync(file, JSON.stringify({ format: 'tdi-flow-lab/lesson@1', title: 'T', summary: 'S', scenario: 'race', steps: [{ title: 'a', narration: 'n', until: { record: { type: 'send.complete', where: { lostRaec: true } } } }] }));
    const v = tdiFlow('lesson', 'check', file);
    expect(v.code).toBe(2);
    expect(v.err).toMatch(/typo\.json: steps\[0\]\.until\.record\.where\.lostRaec: send\.complete has no field "lostRaec"/);
    const n = tdiFlow('lesson', 'check', 'racing');
    expect(n.code).toBe(2);
    expect(n.err).toMatch(/^racing: \(root\): there is no built-in lesson "racing"/);
    const u = tdiFlow('lesson', 'grade', 'race');
    expect(u.code).toBe(2);
    expect(u.err).toMatch(/^tdi-flow: unknown lesson command "grade"/);
    expect(u.err).not.toMatch(/\n\s+at /);
  });
});
