// Slow-changing UI state (scenario, playback, selection, filters, speed) and the actions that change
// it. Frames never come here. The actions (./actions.ts) are the page's whole public surface: the UI,
// the keyboard, worker events and the window.tdiFlowLab handle all go through them, and nothing
// outside app/store/ calls setState.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Topology } from '../../src/model/topology.ts';
import type { Scenario } from '../../src/scenario/schema.ts';
import type { PresetName } from '../../src/scenario/presets.ts';
import { createActions, type AppActions } from './actions.ts';
import { DEFAULT_SPEED } from './speeds.ts';
import { setPageStore } from './pageStore.ts';
import type { LoadStage } from './loadStages.ts';
import type { Api } from '../../src/model/state.ts';

export type { AppActions } from './actions.ts';

export type Selection =
  | { kind: 'connection'; index: number }
  | { kind: 'address'; index: number }
  | { kind: 'node'; index: number }
  | { kind: 'client'; index: number }
  | null;

export interface AppState {
  ready: boolean;
  fatal: string | null;
  presetName: PresetName | null;
  scenario: Scenario | null;
  layout: Topology | null;
  /**
   * The kernel interface the run's clients use (#20): the worker's `loaded` says it; every load the
   * page sends asks for it unless it names its own (TDI/WSK in the toolbar, ?api=wsk, a link).
   */
  api: Api;
  problems: string[];
  /** A notice for the user (bad URL parameter, injected fault …); not an error of the app. */
  notice: string | null;
  /** The notice, when it only reports what was just done (it leaves by itself); any other notice stays until dismissed. */
  transientNotice: string | null;
  playing: boolean;
  finished: boolean;
  speed: number;
  selection: Selection;
  highlightSeq: number | null;
  helpOpen: boolean;
  faultMenu: { node: number; x: number; y: number } | null;
  loadSerial: number;
  theme: 'system' | 'light' | 'dark';
  /** Projector mode (#8): large type, thick strokes, high contrast for a class at the back of a room. */
  projector: boolean;
  compareOpen: boolean;
  shareLink: string | null;
  /** Whether the share link went to the clipboard (null: not known yet). */
  shareCopied: boolean | null;
  /** Explicit runs to compare (two branches); null: compare variants of the current scenario. */
  compareWith: { a: Scenario; b: Scenario; aLabel: string; bLabel: string } | null;
  /** Branches of this run: acting in the past keeps the old future as a branch (issue 4). */
  branches: { label: string; scenario: Scenario; forkUs: number | null }[];
  branch: number;
  why: { seq: number; pending: boolean; chain: import('../../src/trace/why.ts').WhyChain | null; reason?: string } | null;
  /** R41: the model stopped; `leadUp`: the last things it did before, as plain sentences (oldest first). */
  bugcheck: { code: number; name: string; client: string; handler: string; does: string; leadUp?: string[] } | null;
  /** The Export… dialog, and the export under way (what, how far 0…1). */
  exportOpen: boolean;
  exporting: { format: string; progress: number } | null;
  /** The lesson being played (app/lesson/), and a lesson file's problems when one was refused. */
  lesson: import('../lesson/types.ts').LessonUi | null;
  lessonProblems: { source: string; problems: string[] } | null;
  lessonMenuOpen: boolean;
  /** A seek that takes a while (the worker says so after SEEK_PROGRESS_AFTER_MS): where it is going, how far it got. */
  seeking: { targetUs: number; atUs: number; fraction: number } | null;
  /** A big load under way (issue 18): the stage it is at (LoadProgress.tsx), until its first frame. */
  loading: { stage: LoadStage; connections: number; cancelling: boolean } | null;
  /** Stable for the store's life: select it without re-rendering. */
  actions: AppActions;
}

export type AppData = Omit<AppState, 'actions'>;
export type AppStore = StoreApi<AppState>;

export { SPEEDS, DEFAULT_SPEED } from './speeds.ts';

export function initialData(): AppData {
  return {
    ready: false,
    fatal: null,
    presetName: null,
    scenario: null,
    layout: null,
    api: 'tdi',
    problems: [],
    notice: null,
    transientNotice: null,
    playing: false,
    finished: false,
    speed: DEFAULT_SPEED,
    selection: null,
    highlightSeq: null,
    helpOpen: false,
    faultMenu: null,
    loadSerial: 0,
    theme: 'system',
    projector: false,
    compareOpen: false,
    shareLink: null,
    shareCopied: null,
    compareWith: null,
    branches: [],
    branch: 0,
    why: null,
    bugcheck: null,
    exportOpen: false,
    exporting: null,
    lesson: null,
    lessonProblems: null,
    lessonMenuOpen: false,
    seeking: null,
    loading: null,
  };
}

/** A fresh store (the page has one, `appStore`; tests make their own). */
export function createAppStore(): AppStore {
  return createStore<AppState>()((set, get) => ({ ...initialData(), actions: createActions(set, get) }));
}

export const appStore = createAppStore();
setPageStore(appStore);

// The React hooks (useApp, useActions) live in ./hooks.ts: embed.html imports this module without
// React, and a re-export here would pull React into the embed's first load with its lesson panel.
