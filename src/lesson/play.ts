// A whole lesson played in Node, as the app plays it step by step: each step's moment (from the
// previous step's) and, for a question, the model's answer. The lesson tests use it.
import type { Lesson } from './schema.ts';
import { runToMoment, type LessonMoment } from './run.ts';
import { evaluateQuery, queryMatch, type ModelAnswer } from './query.ts';

export interface PlayedStep {
  /** Where the step pauses; for `next`, the previous step's moment. */
  moment: Pick<LessonMoment, 'timeUs' | 'events' | 'record' | 'missed'>;
  answer: ModelAnswer | null;
}

export function playLesson(lesson: Lesson): PlayedStep[] {
  let at = { timeUs: 0, events: 0 };
  const out: PlayedStep[] = [];
  for (const step of lesson.steps) {
    const u = step.until;
    if (u.kind === 'next') {
      out.push({ moment: { ...at, record: null, missed: false }, answer: null });
      continue;
    }
    const trigger = u.kind === 'time' ? { atUs: u.atUs } : { record: u.record, nth: u.nth, from: u.from };
    const m = runToMoment(lesson.scenario, trigger, at.events, step.question ? queryMatch(step.question.answerFrom) : null);
    out.push({ moment: { timeUs: m.timeUs, events: m.events, record: m.record, missed: m.missed }, answer: step.question ? evaluateQuery(step.question.answerFrom, m.collected) : null });
    at = { timeUs: m.timeUs, events: m.events };
  }
  return out;
}
