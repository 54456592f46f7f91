// What the lesson player (app/lesson/controller.ts) may read and change in the page's store, as
// named actions: every write to the store's state stays in app/store (the vanilla store keeps its
// actions with it), and the player, a chunk of its own, never sees `set` or `get`.
import type { SimClient } from '../simClient.ts';
import type { AppData, AppState } from './store.ts';
import type { AppActions } from './actions.ts';
import type { Command } from '../../src/protocol/messages.ts';
import type { Topology } from '../../src/model/topology.ts';
import type { PresetName } from '../../src/scenario/presets.ts';
import type { LessonUi } from '../lesson/types.ts';

export interface LessonPort {
  /** The open lesson as the panel shows it, or null. */
  lesson(): LessonUi | null;
  layout(): Topology | null;
  /** The kernel interface of the run on screen (#20). */
  api(): 'tdi' | 'wsk';
  /** Bumped by every scenario load: the player waits for its lesson's scenario by it. */
  loadSerial(): number;
  /** The open lesson's state, changed in part (nothing when none is open). */
  patchLesson(p: Partial<LessonUi>): void;
  /** A lesson opened: its state in, its problems and the Lessons menu gone. */
  lessonOpened(ui: LessonUi): void;
  /** A lesson not opened: its problems, named; what was on screen stays. */
  lessonRefused(source: string, problems: string[]): void;
  /** The lesson closed, and the why? chain that was about it. */
  lessonClosed(): void;
  /** A step change: the last step's why? chain goes (with the selection when `selection`). */
  clearWhy(selection: boolean): void;
  notice(text: string): void;
  setPresetName(name: PresetName | null): void;
  send(cmd: Command): void;
  sim(): SimClient | null;
  actions(): AppActions;
}

export function createLessonPort(
  set: (partial: Partial<AppData>) => void,
  get: () => AppState,
  rest: Pick<LessonPort, 'send' | 'sim' | 'actions'>,
): LessonPort {
  return {
    ...rest,
    lesson: () => get().lesson,
    layout: () => get().layout,
    api: () => get().api,
    loadSerial: () => get().loadSerial,
    patchLesson(p) {
      const l = get().lesson;
      if (l) set({ lesson: { ...l, ...p } });
    },
    lessonOpened: (ui) => set({ lessonProblems: null, lessonMenuOpen: false, lesson: ui }),
    lessonRefused: (source, problems) => set({ lessonProblems: { source, problems } }),
    lessonClosed: () => set({ lesson: null, why: null }),
    clearWhy: (selection) => set(selection ? { why: null, selection: null } : { why: null }),
    notice: (text) => set({ notice: text }),
    setPresetName: (name) => set({ presetName: name }),
  };
}
