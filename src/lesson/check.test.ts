// #14: the lesson checker names each problem with its step and its record; every built-in lesson
// passes it. One small lesson per problem, on the race and cascade presets (their traces are fixed:
// the scenario and its seed decide every record).
import { describe, expect, it } from 'vitest';
import { LESSON_NAMES, loadBuiltinLesson } from './builtins.ts';
import { validateLesson } from './validate.ts';
import { checkLesson, problemLine, type LessonProblem } from './check.ts';

const lesson = (steps: unknown[], scenario = 'race') => ({ format: 'tdi-flow-lab/lesson@1', title: 'T', summary: 'S', scenario, steps });
const step = (until: unknown, more: Record<string, unknown> = {}) => ({ title: 't', narration: 'n', until, ...more });
const b1Refused = step({ record: { type: 'send.complete', where: { connection: 'B1', status: 'STATUS_DEVICE_NOT_READY' } } });

async function check(doc: unknown): Promise<LessonProblem[]> {
  const v = await validateLesson(doc);
  if (!v.ok) throw new Error(v.problems.join('\n'));
  return checkLesson(v.lesson);
}

describe('tdi-flow lesson check (#14)', () => {
  for (const name of LESSON_NAMES) {
    it(`built-in lesson ${name} passes the checker`, async () => {
      const problems = await check(await loadBuiltinLesson(name));
      expect(problems.map(problemLine)).toEqual([]);
    });
  }

  it('a spoiler: a record the answer reads is on screen before the question (R20: B1\'s SendPossible shown, then asked about)', async () => {
    const problems = await check(
      lesson([
        b1Refused,
        step(
          { record: { type: 'send.submit', where: { connection: 'B1', resubmit: true } }, before: true },
          { question: { ask: 'How many bytes is B1 told?', unit: 'bytes', answerFrom: { value: { type: 'callback.sendPossible', where: { connection: 'B1' } }, field: 'bytesAvailable' } } },
        ),
      ]),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ kind: 'spoiler', step: 2, record: { type: 'callback.sendPossible', connection: 'B1', t: 730 } });
    expect(problemLine(problems[0]!)).toMatch(/^step 2: .*already on screen.* \(record #\d+ at 730 µs: callback\.sendPossible\)$/);
  });

  it('R24: an answer that is not the first such record for the entities in focus (the old race step 4: a 728-byte success before the graded lost race)', async () => {
    const problems = await check(
      lesson([
        step({ record: { type: 'callback.sendPossible', where: { connection: 'B1' } } }),
        step(
          { record: { type: 'send.complete', where: { connection: 'B1', lostRace: true } }, from: 'start' },
          { focus: ['B1', 'tcp'], question: { ask: 'How many bytes will B1\'s resubmission get?', unit: 'bytes', answerFrom: { value: { type: 'send.complete', where: { connection: 'B1', lostRace: true } }, field: 'information' } } },
        ),
      ]),
    );
    expect(problems).toHaveLength(1);
    const p = problems[0]!;
    expect(p).toMatchObject({ kind: 'not-first', step: 2, record: { type: 'send.complete', connection: 'B1', status: 'STATUS_SUCCESS', information: 728 } });
    expect(problemLine(p)).toMatch(/^step 2: the answer is record #\d+ at 1,520 µs: send\.complete, .* \(record #\d+ at 790 µs: send\.complete\)$/);
  });

  it('two steps at the same record with nothing between them', async () => {
    const problems = await check(lesson([b1Refused, step({ record: { type: 'buffer.transmit' }, before: true })]));
    expect(problems).toEqual([expect.objectContaining({ kind: 'same-moment', step: 2, record: expect.objectContaining({ type: 'send.complete', connection: 'B1', status: 'STATUS_DEVICE_NOT_READY' }) })]);
  });

  it('R21: a "which first?" question where only the answer can happen (only B1 is owed a SendPossible at 730 µs)', async () => {
    const q = { ask: 'Which connection is called first?', choices: ['A1', 'B1'], answerFrom: { first: { type: 'callback.sendPossible' }, field: 'connection' } };
    const problems = await check(lesson([b1Refused, step({ record: { type: 'callback.sendPossible' } }, { question: q })]));
    expect(problems).toEqual([expect.objectContaining({ kind: 'only-choice', step: 2, record: expect.objectContaining({ type: 'callback.sendPossible', connection: 'B1', t: 730 }) })]);
    expect(problems[0]!.message).toMatch(/only "B1" can be the answer/);
    // At 1,460 µs both are owed (A1 refused at 1,106 µs, B1 at 1,200 µs): the same question is fair there.
    const fair = await check(
      lesson([
        b1Refused,
        step({ record: { type: 'send.complete', where: { connection: 'B1', status: 'STATUS_DEVICE_NOT_READY' } } }),
        step({ record: { type: 'callback.sendPossible' }, before: true }, { question: q }),
      ]),
    );
    expect(fair.map(problemLine)).toEqual([]);
  });

  it('R30: "who hears first?" before the cascade: only A-0 is open with an error handler and depends on nic0', async () => {
    const problems = await check(
      lesson(
        [
          step({ record: { type: 'driver.fault' } }),
          step({ atUs: 5000 }, { question: { ask: 'Which address hears ClientEventError first?', choices: ['A-0', 'B-1', 'C-any'], answerFrom: { first: { type: 'callback.error' }, field: 'address' } } }),
        ],
        'cascade',
      ),
    );
    expect(problems).toEqual([expect.objectContaining({ kind: 'only-choice', step: 2, record: expect.objectContaining({ type: 'callback.error', address: 'A-0', t: 5000 }) })]);
  });

  it('a step that never triggers, and a question whose records never come after the pause', async () => {
    const never = await check(lesson([step({ record: { type: 'bugcheck' } })]));
    expect(never.map((p) => [p.kind, p.step, p.record])).toEqual([['never', 1, null]]);
    expect(problemLine(never[0]!)).toBe('step 1: the run ends without bugcheck: the step never triggers');
    const unanswered = await check(
      lesson([step({ record: { type: 'send.submit' }, before: true }, { question: { ask: 'Which bug check?', choices: ['A', 'B'], answerFrom: { first: { type: 'bugcheck' }, field: 'name' } } })]),
    );
    expect(unanswered.map((p) => [p.kind, p.step, p.record])).toEqual([['never', 1, null]]);
    expect(problemLine(unanswered[0]!)).toMatch(/^step 1: nothing its question reads \(bugcheck\) happens after the pause/);
  });
});
