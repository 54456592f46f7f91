// #15, the lesson recorder: a step and its question built from a moment and a picked record kind
// (never typed as JSON) are lessons the validator accepts and the checker plays as a class would;
// the checker's problems land beside their step. The race preset's trace is fixed (its seed decides
// every record), so the moments below are records of it.
import { describe, expect, it } from 'vitest';
import { validateLesson } from './validate.ts';
import { checkLesson, problemLine } from './check.ts';
import { nodeRunner, playLesson } from './play.ts';
import { LESSON_FORMAT, type Lesson } from './schema.ts';
import { buildQuestion, choicesFor, defaultAsk, howManyFields, lookAhead, problemsByStep, stepTrigger, unitOf, whichFields, type MomentAhead, type QuestionSpec } from './build.ts';
import type { Runner } from './step.ts';

async function raceRunner(): Promise<{ run: Runner; lesson: Lesson }> {
  const v = await validateLesson({ format: LESSON_FORMAT, title: 'T', summary: 'S', scenario: 'race', steps: [{ title: 't', narration: 'n', until: 'next' }] });
  if (!v.ok) throw new Error(v.problems.join('\n'));
  return { run: nodeRunner(v.lesson), lesson: v.lesson };
}

/** A step recorded at the state with `events` records, as the recorder builds it. */
function recorded(events: number, timeUs: number, ahead: MomentAhead, title: string, focus: string[], q?: (ahead: MomentAhead) => QuestionSpec) {
  const question = q?.(ahead);
  return { title, narration: `**${title}**`, focus, until: stepTrigger(events, timeUs, ahead.next, question !== undefined), ...(question ? { question: buildQuestion(question) } : {}) };
}

const kind = (ahead: MomentAhead, type: string) => {
  const k = ahead.kinds.find((x) => x.type === type);
  if (!k) throw new Error(`${type} does not happen next`);
  return k.first;
};

describe('the lesson recorder builds lessons (#15)', () => {
  it('offers only record kinds that happen after the moment, soonest first (R21: after B1\'s refusal at 1,200 µs, the next SendPossible names A1)', async () => {
    const { run } = await raceRunner();
    const ahead = await lookAhead(run, 34);
    // The race's record 34 is nic0's transmit at 1,460 µs; SendPossible follows at 35 to A1 (R22: called in refusal order).
    expect(ahead.next).toMatchObject({ record: { seq: 34, type: 'buffer.transmit', connection: 'A1' } });
    expect(ahead.kinds[0]!.first.seq).toBe(34);
    expect(kind(ahead, 'callback.sendPossible')).toMatchObject({ seq: 35, connection: 'A1' });
    // Kinds that never come after (no driver fails in race) are not offered.
    expect(ahead.kinds.map((k) => k.type)).not.toContain('driver.fault');
    expect(ahead.kinds.map((k) => k.first.seq)).toEqual([...ahead.kinds.map((k) => k.first.seq)].sort((a, b) => a - b));
  });

  it('a "which" question is a `first` query over the picked kind, choices the entities on stage; a "how many" a `value` query over a number field with its unit', async () => {
    const { run, lesson } = await raceRunner();
    const ahead = await lookAhead(run, 34);
    const sp = kind(ahead, 'callback.sendPossible');
    expect(whichFields(sp)).toEqual(['connection', 'address', 'client']);
    expect(howManyFields(sp)).toEqual(['bytesAvailable']);
    expect(choicesFor('connection', { connectionIds: ['A1', 'B1'], addressIds: [], clientIds: [], nodeIds: [], nodeKinds: [] })).toEqual(['A1', 'B1']);
    expect(choicesFor('nic', { connectionIds: [], addressIds: [], clientIds: [], nodeIds: ['nic0', 'tcp'], nodeKinds: ['nic', 'transport'] })).toEqual(['nic0']);
    expect(buildQuestion({ kind: 'which', type: 'callback.sendPossible', field: 'connection', ask: 'Who?', choices: ['A1', 'B1'] })).toEqual({
      ask: 'Who?',
      choices: ['A1', 'B1'],
      answerFrom: { first: { type: 'callback.sendPossible' }, field: 'connection' },
    });
    expect(buildQuestion({ kind: 'howMany', type: 'send.complete', field: 'information', ask: 'How many?', unit: unitOf('information') })).toEqual({
      ask: 'How many?',
      answerFrom: { value: { type: 'send.complete' }, field: 'information' },
      unit: 'bytes',
    });
    expect(defaultAsk('which', 'callback.sendPossible', 'connection')).toBe('Which connection is in the next ClientEventSendPossible?');
    // The step pauses just before the moment's next record, counted from the start (docs/lessons.md § Triggers).
    expect(stepTrigger(34, 1200, ahead.next, true)).toEqual({ record: { type: 'buffer.transmit', where: { connection: 'A1', nic: 'nic0', transport: 'tcp' } }, nth: ahead.next!.nth, from: 'start', before: true });
    expect(stepTrigger(0, 0, null, false)).toBe('next');
    expect(lesson.scenario.durationUs).toBeGreaterThan(0);
  });

  it('three recorded steps on race — a "which" (R22: A1 is called first) and a "how many" (R12: the resubmission gets 1,460 bytes) — pass the checker', async () => {
    const { run } = await raceRunner();
    const at28 = await lookAhead(run, 28);
    const at34 = await lookAhead(run, 34);
    const at37 = await lookAhead(run, 37);
    const doc = {
      format: LESSON_FORMAT,
      title: 'Recorded race',
      summary: 'Recorded in the app.',
      scenario: 'race',
      steps: [
        recorded(28, 1096, at28, 'A1 is told', ['A1']),
        recorded(34, 1200, at34, 'Both owed', ['A1', 'B1'], () => ({ kind: 'which', type: 'callback.sendPossible', field: 'connection', ask: 'Which connection is called first?', choices: ['A1', 'B1'] })),
        recorded(37, 1460, at37, 'The resubmission', ['A1'], () => ({ kind: 'howMany', type: 'send.complete', field: 'information', ask: 'How many bytes does A1 get?', unit: 'bytes' })),
      ],
    };
    const v = await validateLesson(doc);
    if (!v.ok) throw new Error(v.problems.join('\n'));
    expect((await checkLesson(v.lesson)).map(problemLine)).toEqual([]);
    const played = await playLesson(v.lesson);
    expect(played.map((p) => p.pause.events)).toEqual([34 - 6, 34, 37]);
    expect(played[1]!.answer).toMatchObject({ kind: 'choice', value: 'A1' });
    expect(played[2]!.answer).toMatchObject({ kind: 'number', value: 1460 });
  });

  it('the checker\'s problems sit beside their step (a spoiler on step 2 is step 2\'s, not the lesson\'s)', async () => {
    const { run } = await raceRunner();
    // Step 2 asks about the next SendPossible at 1,200 µs, but step 1 ended at 0: A1's at 1,096 µs and B1's at 730 µs were on screen.
    const at34 = await lookAhead(run, 34);
    const doc = {
      format: LESSON_FORMAT,
      title: 'Spoiled',
      summary: 'S',
      scenario: 'race',
      steps: [
        { title: 'Start', narration: 'n', until: 'next' },
        recorded(34, 1200, at34, 'Both owed', [], () => ({ kind: 'which', type: 'callback.sendPossible', field: 'connection', ask: 'Who?', choices: ['A1', 'B1'] })),
      ],
    };
    const v = await validateLesson(doc);
    if (!v.ok) throw new Error(v.problems.join('\n'));
    const problems = await checkLesson(v.lesson);
    const beside = problemsByStep(problems, 2, problemLine);
    expect(problems.length).toBeGreaterThan(0);
    expect(beside[0]).toEqual([]);
    expect(beside[1]).toHaveLength(problems.length);
    expect(beside[1]![0]).toMatch(/^the question's answer is already on screen .*\(record #16 at 730 µs: callback\.sendPossible\)$/);
  });
});
