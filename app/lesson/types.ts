// What the lesson panel shows (store state): the lesson's steps as the panel needs them, where the
// player is, each reached step's moment and each question's reveal. Types only: the player itself
// (controller.ts) and the validator load when a lesson is opened.
import type { ModelAnswer, StudentAnswer, AnswerKind } from '../../src/lesson/query.ts';

export type { ModelAnswer, StudentAnswer, AnswerKind };

export interface LessonStepUi {
  title: string;
  narration: string;
  focus: string[];
  explain?: string;
  /** `next`: the model stays; otherwise a step runs the model to its moment. */
  runs: boolean;
  question?: { ask: string; choices?: string[]; unit?: string; kind: AnswerKind };
}

export interface LessonReveal {
  student: StudentAnswer | null;
  model: ModelAnswer | null;
  right: boolean;
  /** The model's answer in words. */
  modelText: string;
  /** The record that decided it, in a sentence, and where it is. */
  decidedBy?: { sentence: string; seq: number; t: number };
}

export interface LessonUi {
  /** A built-in lesson's name, or null for a file or a link. */
  name: string | null;
  title: string;
  summary: string;
  steps: LessonStepUi[];
  index: number;
  /**
   * asking: a question waits for the student's prediction; running: the model runs to the step's
   * moment; paused: the stage shows it; done: past the last step.
   */
  phase: 'loading' | 'asking' | 'running' | 'paused' | 'done';
  /** Per step, once reached: the moment Back returns to. */
  moments: ({ timeUs: number; events: number } | null)[];
  reveals: (LessonReveal | null)[];
  /** A trigger the run ended without (the step shows where it stopped). */
  missed: string | null;
}
