// A whole lesson played in Node, as the app plays it step by step: each step's pause and, for a
// question, the model's answer and where Check holds (src/lesson/step.ts). The lesson tests and the
// checker use it.
import type { Lesson } from './schema.ts';
import { runToMoment } from './run.ts';
import { runStep, START, type Runner, type StepRun } from './step.ts';

export type PlayedStep = StepRun;

/** Replays the lesson's scenario in Node (the worker's lessonRun, without the worker). */
export const nodeRunner = (lesson: Lesson): Runner => (trigger, fromSeq, collect) => runToMoment(lesson.scenario, trigger, fromSeq, collect);

export async function playLesson(lesson: Lesson): Promise<PlayedStep[]> {
  const run = nodeRunner(lesson);
  let at = START;
  const out: PlayedStep[] = [];
  for (const step of lesson.steps) {
    const s = await runStep(step, at, run);
    out.push(s);
    at = s.end;
  }
  return out;
}
