import { describe, expect, it } from 'vitest';
import { LESSON_NAMES, loadBuiltinLesson } from './builtins.ts';
import { parseLessonText, validateLesson } from './validate.ts';
import { playLesson } from './play.ts';
import { stepApis, stepStart } from './step.ts';
import { evaluateQuery, isRight } from './query.ts';
import { parseRichText } from './richText.ts';
import { runToMoment } from './run.ts';
import { loadPreset } from '../scenario/presets.ts';
import { validateScenario } from '../scenario/validate.ts';
import type { TraceEvent } from '../trace/names.ts';
import type { RecordName } from '../trace/recordTable.ts';

const minimal = (over: Record<string, unknown> = {}, step: Record<string, unknown> = {}) => ({
  format: 'tdi-flow-lab/lesson@1',
  title: 'T',
  summary: 'S',
  scenario: 'race',
  steps: [{ title: 'a', narration: 'n', until: { record: { type: 'callback.sendPossible' } }, ...step }],
  ...over,
});

describe('built-in lessons (#8: at least one per seed behaviour, each ends with a question; #14: predict before you see)', () => {
  for (const name of LESSON_NAMES) {
    it(`${name}: validates, every step is reached in order, every question pauses before its answer and Check holds just after it`, async () => {
      const v = await validateLesson(await loadBuiltinLesson(name));
      if (!v.ok) throw new Error(v.problems.join('\n'));
      const lesson = v.lesson;
      expect(lesson.steps.at(-1)!.question, 'the last step asks a question').toBeDefined();
      const played = await playLesson(lesson);
      const apis = stepApis(lesson.steps);
      let prev = { timeUs: 0, events: 0 };
      let questions = 0;
      played.forEach((p, i) => {
        const step = lesson.steps[i]!;
        // #20: a step through another API starts a new run at 0 µs.
        prev = stepStart(apis, i, prev);
        expect(p.missed, `step ${i + 1} "${step.title}" reaches its moment`).toBeNull();
        expect(p.pause.events, `step ${i + 1} does not stop before step ${i}`).toBeGreaterThanOrEqual(prev.events);
        if (step.question) {
          questions++;
          expect(p.answer, `step ${i + 1}: the model answers "${step.question.ask}"`).not.toBeNull();
          const a = p.answer!;
          if (a.kind === 'set') expect(a.values.length).toBeGreaterThan(0);
          // A choice question's answer is among its choices (else the student could not pick it).
          if (a.kind === 'choice') expect(step.question.choices).toContain(a.value);
          if (a.kind === 'set') for (const v of a.values) expect(step.question.choices).toContain(v);
          // #14: the deciding record is not on screen at the question, and Check holds just after it.
          expect(p.decider, `step ${i + 1} has a deciding record`).not.toBeNull();
          expect(p.decider!.seq).toBeGreaterThanOrEqual(p.pause.events);
          expect(p.reveal).toEqual({ timeUs: p.decider!.t, events: p.decider!.seq + 1 });
          // Every record the answer reads comes after the pause.
          for (const e of p.collected) expect(e.seq).toBeGreaterThanOrEqual(p.pause.events);
        }
        prev = p.end;
      });
      expect(questions).toBeGreaterThan(0);
    });
  }

  it('R24 vs W1, R30 vs W5: "From TDI to WSK" — TDI loses a race and tells A and B; WSK pends instead and disconnects only A1, the socket on the failed NIC', async () => {
    const v = await validateLesson(await loadBuiltinLesson('tdi-to-wsk'));
    if (!v.ok) throw new Error(v.problems.join('\n'));
    expect(stepApis(v.lesson.steps)).toEqual(['tdi', 'tdi', 'tdi', 'wsk', 'wsk']);
    const played = await playLesson(v.lesson);
    const answers = played.map((p) => p.answer);
    expect(answers[1]).toMatchObject({ kind: 'choice', value: 'B1' });
    expect(answers[2]).toMatchObject({ kind: 'set', values: ['A', 'B'] });
    expect(answers[3]).toMatchObject({ kind: 'choice', value: 'STATUS_PENDING' });
    expect(answers[4]).toMatchObject({ kind: 'set', values: ['A'] });
    // The WSK part is a new run: its first step starts at 0 µs, before the TDI part's moments.
    expect(played[3]!.pause.events).toBeLessThan(played[2]!.end.events);
  });

  it("R30/R31: the cascade lesson's answers come from the trace: only A-0 is told, C2 on the healthy NIC breaks", async () => {
    const v = await validateLesson(await loadBuiltinLesson('cascade'));
    if (!v.ok) throw new Error(v.problems.join('\n'));
    const answers = (await playLesson(v.lesson)).map((p) => p.answer);
    expect(answers).toContainEqual(expect.objectContaining({ kind: 'set', values: ['A-0'] }));
    expect(answers).toContainEqual(expect.objectContaining({ kind: 'set', values: ['A1', 'C1', 'C2'] }));
  });

  it('R30–R32, #14: the cascade is taught callback by callback — each question pauses inside the fault\'s one instant, before its own records', async () => {
    const v = await validateLesson(await loadBuiltinLesson('cascade'));
    if (!v.ok) throw new Error(v.problems.join('\n'));
    const played = await playLesson(v.lesson);
    const asked = played.filter((p) => p.answer !== null);
    expect(asked.length).toBe(3);
    // All three ask at the fault's instant, each at a later record than the one before.
    for (const p of asked) expect(p.pause.timeUs).toBe(5000);
    expect(asked[1]!.pause.events).toBeGreaterThan(asked[0]!.pause.events);
    expect(asked[2]!.pause.events).toBeGreaterThan(asked[1]!.pause.events);
    // Asked "which addresses hear?", no error callback is shown yet; asked "which break?", none is broken yet.
    expect(asked[0]!.decider!.type).toBe('callback.error');
    expect(asked[1]!.collected.map((e) => e.type)).toEqual(['connection.broken', 'connection.broken', 'connection.broken']);
    expect(asked[1]!.collected[0]!.seq).toBe(asked[1]!.pause.events);
  });
});

describe('#8: lesson validation names what is wrong and where', () => {
  it('#20: a step\'s api other than tdi or wsk is named with its path', async () => {
    const doc = (await loadBuiltinLesson('tdi-to-wsk')) as { steps: { api?: string }[] };
    doc.steps[3]!.api = 'winsock';
    const v = await validateLesson(doc);
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.problems).toContain('steps[3].api: must be "tdi" or "wsk" (the kernel interface the step runs through)');
  });

  it('a wrong field in a trigger is rejected with its path', async () => {
    const v = await validateLesson(minimal({}, { until: { record: { type: 'send.complete', where: { lostRaec: true } } } }));
    expect(v.ok).toBe(false);
    expect(!v.ok && v.problems[0]).toMatch(/^steps\[0\]\.until\.record\.where\.lostRaec: send\.complete has no field "lostRaec"/);
  });
  it('an unknown entity in focus, a where value or a choice is rejected with its path', async () => {
    const v = await validateLesson(
      minimal({}, {
        focus: ['A1', 'Z9'],
        until: { record: { type: 'send.complete', where: { connection: 'B7' } } },
        question: { ask: 'q', choices: ['A1', 'Q1'], answerFrom: { first: { type: 'callback.sendPossible' }, field: 'connection' } },
      }),
    );
    expect(v.ok).toBe(false);
    const problems = v.ok ? [] : v.problems;
    expect(problems).toContainEqual(expect.stringMatching(/^steps\[0\]\.focus\[1\]: unknown entity "Z9"/));
    expect(problems).toContainEqual(expect.stringMatching(/^steps\[0\]\.until\.record\.where\.connection: unknown connection "B7"/));
    expect(problems).toContainEqual(expect.stringMatching(/^steps\[0\]\.question\.choices\[1\]: unknown connection "Q1"/));
  });
  it('an unknown record type, a field the query cannot read, a question on a "next" step', async () => {
    const v = await validateLesson(
      minimal({}, { until: 'next', question: { ask: 'q', answerFrom: { sum: { type: 'send.finish' }, field: 'bytes' } } }),
    );
    const problems = v.ok ? [] : v.problems;
    expect(problems).toContainEqual(expect.stringMatching(/^steps\[0\]\.until: a step with a question must run the model/));
    expect(problems).toContainEqual(expect.stringMatching(/^steps\[0\]\.question\.answerFrom\.sum\.type: "send\.finish" is not a record type/));
  });
  it('an inline scenario is validated as a scenario file, its paths prefixed scenario.', async () => {
    const scenario = structuredClone((await loadPreset('race')) as Record<string, unknown>);
    (scenario.connections as { nic: string }[])[1]!.nic = 'nic9';
    const v = await validateLesson(minimal({ scenario }));
    expect(v.ok ? [] : v.problems).toContainEqual(expect.stringMatching(/^scenario\.connections\[1\]\.nic: /));
    const s2 = { ...scenario, seed: -1 };
    const v2 = await validateLesson(minimal({ scenario: s2 }));
    expect(v2.ok ? [] : v2.problems).toContainEqual(expect.stringMatching(/^scenario\.seed: /));
  });
  it('broken JSON is located by line and column; unknown fields and a bad preset are named', async () => {
    const v = await parseLessonText('{\n  "format": "tdi-flow-lab/lesson@1",\n  "title": oops\n}');
    expect(v.ok ? [] : v.problems).toEqual([expect.stringMatching(/^\(root\): not valid JSON at line 3, column 12/)]);
    const w = await validateLesson({ ...minimal({ scenario: 'racing' }), colour: 'red' });
    expect(w.ok ? [] : w.problems).toContainEqual('(root): unknown field "colour"');
    const x = await validateLesson(minimal({ scenario: 'racing' }));
    expect(x.ok ? [] : x.problems).toContainEqual(expect.stringMatching(/^scenario: there is no preset "racing"/));
  });
  it('an oversized file is refused before it is parsed', async () => {
    const v = await parseLessonText(' '.repeat(1024 * 1024 + 1));
    expect(v.ok ? [] : v.problems).toEqual([expect.stringMatching(/^\(root\): too large/)]);
  });
});

describe('queries over the trace (#8: the answer is what the model does, never a key)', () => {
  // Forged records with only the fields a query reads (a real record has more).
  const ev = (seq: number, type: RecordName, fields: Record<string, unknown>): TraceEvent => ({ seq, t: seq * 10, type, ...fields }) as TraceEvent;
  const trace = [
    ev(1, 'callback.sendPossible', { connection: 'B1', address: 'B-any', bytesAvailable: 1460 }),
    ev(2, 'send.complete', { connection: 'A1', information: 1000 }),
    ev(3, 'callback.sendPossible', { connection: 'A1', address: 'A-445', bytesAvailable: 700 }),
    ev(4, 'send.complete', { connection: 'B1', information: 300, lostRace: true }),
    ev(5, 'callback.sendPossible', { connection: 'B1', address: 'B-any', bytesAvailable: 50 }),
  ];
  it('first, set, value, sum and count', () => {
    const sp = { type: 'callback.sendPossible' };
    expect(evaluateQuery({ first: sp, field: 'connection' }, trace)).toEqual({ kind: 'choice', value: 'B1', seq: 1, t: 10 });
    // A set is decided by the last record it counts (Check holds there).
    expect(evaluateQuery({ set: sp, field: 'address' }, trace)).toEqual({ kind: 'set', values: ['A-445', 'B-any'], seq: 5, t: 50 });
    expect(evaluateQuery({ value: { type: 'send.complete', where: { lostRace: true } }, field: 'information' }, trace)).toMatchObject({ value: 300, seq: 4 });
    expect(evaluateQuery({ sum: sp, field: 'bytesAvailable' }, trace)).toMatchObject({ value: 2210, seq: 5 });
    expect(evaluateQuery({ count: { type: 'send.complete' } }, trace)).toMatchObject({ value: 2, seq: 4 });
    expect(evaluateQuery({ first: { type: 'bugcheck' }, field: 'name' }, trace)).toBeNull();
  });
  it('a set answer is right in any order, and only when complete', () => {
    const model = evaluateQuery({ set: { type: 'callback.sendPossible' }, field: 'address' }, trace);
    expect(isRight({ kind: 'set', values: ['B-any', 'A-445'] }, model)).toBe(true);
    expect(isRight({ kind: 'set', values: ['B-any'] }, model)).toBe(false);
    expect(isRight({ kind: 'number', value: 2 }, evaluateQuery({ count: { type: 'send.complete' } }, trace))).toBe(true);
  });
  it('R24: the records collected stop at the trigger (a record after it does not count)', async () => {
    const v = validateScenario(await loadPreset('race'));
    if (!v.ok) throw new Error(v.problems.join());
    const m = runToMoment(v.scenario, { record: { type: 'send.complete', where: { lostRace: true } }, nth: 1, from: 'start' }, 0, { type: 'send.complete' });
    expect(m.record?.lostRace).toBe(true);
    expect(m.collected.at(-1)!.seq).toBe(m.record!.seq);
    expect(m.events).toBe(m.record!.seq + 1);
  });
});

describe('#14: a moment just before a record', () => {
  it('R20: stopping before B1\'s SendPossible shows every record before it and not it; the time is the record before it', async () => {
    const v = validateScenario(await loadPreset('race'));
    if (!v.ok) throw new Error(v.problems.join());
    const sp = { type: 'callback.sendPossible', where: { connection: 'B1' } };
    const after = runToMoment(v.scenario, { record: sp, nth: 1, from: 'start' }, 0, { type: 'buffer.transmit' });
    const before = runToMoment(v.scenario, { record: sp, nth: 1, from: 'start', before: true }, 0, { type: 'buffer.transmit' });
    expect(before.record).toEqual(after.record);
    expect(before.events).toBe(after.record!.seq);
    expect(after.events).toBe(after.record!.seq + 1);
    // The record before the call is nic0's transmit at the same instant: the moment's time is its time.
    const transmit = before.collected.at(-1)!;
    expect(transmit.seq).toBe(before.events - 1);
    expect(before.timeUs).toBe(transmit.t);
  });
});

describe('#8: narration rich text', () => {
  it('paragraphs, **bold** and `code`; anything else stays text', () => {
    expect(parseRichText('A **bold** and `TDI_SEND`.\n\n<b>x</b> **open')).toEqual([
      [{ text: 'A ' }, { text: 'bold', bold: true }, { text: ' and ' }, { text: 'TDI_SEND', code: true }, { text: '.' }],
      [{ text: '<b>x</b> **open' }],
    ]);
  });
});

describe('docs/lessons.md', () => {
  it('its complete small example is a valid lesson whose question the model answers', async () => {
    const { readFileSync } = await import('node:fs');
    const md = readFileSync(new URL('../../docs/lessons.md', import.meta.url), 'utf8');
    const example = md.slice(md.indexOf('## A complete small lesson'));
    const json = example.slice(example.indexOf('```json') + 7, example.indexOf('```', example.indexOf('```json') + 7));
    const v = await parseLessonText(json);
    if (!v.ok) throw new Error(v.problems.join('\n'));
    const played = await playLesson(v.lesson);
    expect(played.at(-1)!.answer).toMatchObject({ kind: 'choice' });
    // #14: and the checker finds nothing in it.
    const { checkLesson, problemLine } = await import('./check.ts');
    expect((await checkLesson(v.lesson)).map(problemLine)).toEqual([]);
  });
});
