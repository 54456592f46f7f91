// Slow-changing UI state (scenario, playback, selection, filters, speed). Frames never come here.
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { Topology } from '../../src/model/topology.ts';
import type { Scenario } from '../../src/scenario/schema.ts';
import type { PresetName } from '../../src/scenario/presets.ts';

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
  problems: string[];
  /** A notice for the user (bad URL parameter, injected fault …); not an error of the app. */
  notice: string | null;
  playing: boolean;
  finished: boolean;
  speed: number;
  selection: Selection;
  highlightSeq: number | null;
  helpOpen: boolean;
  faultMenu: { node: number; x: number; y: number } | null;
  loadSerial: number;
  theme: 'system' | 'light' | 'dark';
  compareOpen: boolean;
  shareLink: string | null;
  /** Explicit runs to compare (two branches); null: compare variants of the current scenario. */
  compareWith: { a: Scenario; b: Scenario; aLabel: string; bLabel: string } | null;
  /** Branches of this run: acting in the past keeps the old future as a branch (issue 4). */
  branches: { label: string; scenario: Scenario; forkUs: number | null }[];
  branch: number;
  why: { seq: number; pending: boolean; chain: import('../../src/trace/why.ts').WhyChain | null; reason?: string } | null;
  bugcheck: { code: number; name: string; client: string; handler: string; does: string } | null;
}

export const SPEEDS = [0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.1, 1, 10, 100, 1000] as const;
export const DEFAULT_SPEED = 0.0005;

export const appStore = createStore<AppState>(() => ({
  ready: false,
  fatal: null,
  presetName: null,
  scenario: null,
  layout: null,
  problems: [],
  notice: null,
  playing: false,
  finished: false,
  speed: DEFAULT_SPEED,
  selection: null,
  highlightSeq: null,
  helpOpen: false,
  faultMenu: null,
  loadSerial: 0,
  theme: 'system',
  compareOpen: false,
  shareLink: null,
  compareWith: null,
  branches: [],
  branch: 0,
  why: null,
  bugcheck: null,
}));

export function useApp<T>(selector: (s: AppState) => T): T {
  return useStore(appStore, selector);
}
