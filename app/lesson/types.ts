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
  /** Where Check held (the end screen's link goes back there). */
  at?: { timeUs: number; events: number };
}

export interface LessonUi {
  /** A built-in lesson's name, or null for a file or a link. */
  name: string | null;
  title: string;
  summary: string;
  steps: LessonStepUi[];
  index: number;
  /**
   * asking: a question waits for the student's prediction, the stage just before the first record
   * its answer comes from; running: the model runs to a moment (the pause, or Check's); paused: the
   * stage shows the step's moment; done: past the last step (the end screen).
   */
  phase: 'loading' | 'asking' | 'running' | 'paused' | 'done';
  /** Per step, once reached: the moment Back returns to. */
  moments: ({ timeUs: number; events: number } | null)[];
  reveals: (LessonReveal | null)[];
  /** A trigger the run ended without (the step shows where it stopped). */
  missed: string | null;
  /** The answer chosen at the open question, not yet checked (PageDown checks it). */
  draft?: StudentAnswer | null;
  /** The lesson checker's problems per step (docs/lessons.md § Checking a lesson); null until checked. */
  checks?: string[][] | null;
}
