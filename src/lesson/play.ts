// A whole lesson played in Node, as the app plays it step by step: each step's pause and, for a
// question, the model's answer and where Check holds (src/lesson/step.ts). The lesson tests and the
// checker use it.
import type { Lesson } from './schema.ts';
import { runToMoment } from './run.ts';
import { runStep, START, stepApis, stepStart, type Runner, type StepRun } from './step.ts';
import type { Api } from '../model/state.ts';

export type PlayedStep = StepRun;

/** Replays the lesson's scenario in Node (the worker's lessonRun, without the worker). */
export const nodeRunner =
  (lesson: Lesson, api: Api = 'tdi'): Runner =>
  (trigger, fromSeq, collect) =>
    runToMoment(lesson.scenario, trigger, fromSeq, collect, api);

export async function playLesson(lesson: Lesson): Promise<PlayedStep[]> {
  const apis = stepApis(lesson.steps);
  let at = START;
  const out: PlayedStep[] = [];
  for (const [i, step] of lesson.steps.entries()) {
    // A step through another API (#20) is a new run from 0 µs.
    at = stepStart(apis, i, at);
    const s = await runStep(step, at, nodeRunner(lesson, apis[i]));
    out.push(s);
    at = s.end;
  }
  return out;
}
