// #15, the lesson recorder's draft: steps reordered, edited and deleted without losing what was typed;
// the lesson file it saves; a built-in lesson as a template; validation problems beside their step.
import { describe, expect, it } from 'vitest';
import { LESSON_NAMES, loadBuiltinLesson } from '../../src/lesson/builtins.ts';
import { validateLesson } from '../../src/lesson/validate.ts';
import { commit, startHistory, undo } from '../editor/model.ts';
import { addStep, blankLesson, deleteStep, draftFromDoc, lessonDoc, lessonFileName, moveStep, newStep, splitProblems, stepDoc, updateStep, type Capture } from './model.ts';

const capture = (events: number, next: Capture['next'] = null, api: Capture['api'] = 'tdi'): Capture => ({ events, timeUs: events * 10, next, kinds: [], nextSentence: '', api });
const rec = (seq: number) => ({ seq, t: 1200, type: 'buffer.transmit' as const, connection: 'A1', nic: 'nic0', transport: 'tcp', bytes: 1460, bufferedAfter: 6732 });

describe('the recorder\'s draft (#15)', () => {
  it('reorders, edits and deletes steps; each edit is one undo step and the old draft is kept as it was', () => {
    let d = blankLesson('race');
    const a = newStep(capture(0), ['A1']);
    const b = newStep(capture(34, { record: rec(34), nth: 3 }), []);
    d = addStep(addStep(d, a), b);
    let h = startHistory(d);
    h = commit(h, moveStep(h.present, b.key, -1));
    expect(h.present.steps.map((s) => s.key)).toEqual([b.key, a.key]);
    expect(moveStep(h.present, b.key, -1)).toBe(h.present); // at the top: nothing to do
    h = commit(h, updateStep(h.present, a.key, { title: 'T'.repeat(200) }), 'title');
    h = commit(h, deleteStep(h.present, b.key));
    expect(h.present.steps).toHaveLength(1);
    expect(h.present.steps[0]!.title).toBe('T'.repeat(200)); // too long for the format, and kept as typed
    h = undo(undo(undo(h)));
    expect(h.present).toBe(d);
  });

  it('a captured step pauses just before the moment\'s next record; at the start without a question it waits for Next', () => {
    const start = newStep(capture(0), []);
    expect(stepDoc(start).until).toBe('next');
    const owed = { ...newStep(capture(34, { record: rec(34), nth: 3 }), ['A1', 'B1']), title: 'Both owed', narration: 'n' };
    expect(stepDoc(owed)).toEqual({
      title: 'Both owed',
      narration: 'n',
      focus: ['A1', 'B1'],
      until: { record: { type: 'buffer.transmit', where: { connection: 'A1', nic: 'nic0', transport: 'tcp' } }, nth: 3, from: 'start', before: true },
    });
    const asked = stepDoc({ ...owed, question: { kind: 'which', type: 'callback.sendPossible', field: 'connection', ask: 'Who?', choices: ['A1', 'B1'] } });
    expect(asked.question).toEqual({ ask: 'Who?', choices: ['A1', 'B1'], answerFrom: { first: { type: 'callback.sendPossible' }, field: 'connection' } });
    expect(lessonFileName({ ...blankLesson('race'), title: 'Who gets the space?' })).toBe('who-gets-the-space.lesson.json');
  });

  it('#20: a step recorded on a WSK run says so, and the next one recorded on TDI says that; unchanged steps name no API', () => {
    const steps = [capture(0), capture(34, { record: rec(34), nth: 3 }), capture(40, null, 'wsk'), capture(50, null, 'wsk'), capture(60)];
    const d = steps.reduce((draft, c) => addStep(draft, newStep(c, [])), blankLesson('race'));
    const apis = (lessonDoc(d).steps as Record<string, unknown>[]).map((s) => s.api);
    expect(apis).toEqual([undefined, undefined, 'wsk', undefined, 'tdi']);
  });

  it(`every built-in lesson (${LESSON_NAMES.length}) opens as a template and saves back to a lesson the validator accepts, its steps' moments and questions as they were`, async () => {
    for (const name of LESSON_NAMES) {
      const json = (await loadBuiltinLesson(name)) as { steps: unknown[] };
      const doc = lessonDoc(draftFromDoc(json));
      expect(doc.steps).toEqual(json.steps);
      const v = await validateLesson(doc);
      expect(v.ok, `${name}: ${v.ok ? '' : v.problems.join('; ')}`).toBe(true);
    }
  });

  it('validation problems go beside their step; the lesson\'s own stay with the lesson', () => {
    const split = splitProblems(['summary: must not be empty', 'steps[1].title: at most 120 characters', 'steps[1].narration: must not be empty', 'steps[0].until.record.where.x: no such field'], 2);
    expect(split.lesson).toEqual(['summary: must not be empty']);
    expect(split.byStep).toEqual([['until.record.where.x: no such field'], ['title: at most 120 characters', 'narration: must not be empty']]);
  });
});
