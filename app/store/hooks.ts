// The store's React hooks: a module of their own so that a page importing the store without React
// (embed.html) does not carry zustand's React binding, or React, in its first load.
import { useStore } from 'zustand/react';
import { pageStore } from './pageStore.ts';
import type { AppActions, AppState } from './store.ts';

export function useApp<T>(selector: (s: AppState) => T): T {
  return useStore(pageStore(), selector);
}

/** The page's actions (a stable object: components using it never re-render for it). */
export function useActions(): AppActions {
  return useStore(pageStore(), (s) => s.actions);
}
