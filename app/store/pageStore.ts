// The page's one store, registered by store.ts when it creates it. The React hooks (./hooks.ts) read
// it from here rather than from store.ts: a lazily loaded chunk that imports store.ts's bindings
// makes the bundler split the record table out of embed.html's first load (an extra request).
import type { StoreApi } from 'zustand/vanilla';
import type { AppState } from './store.ts';

let page: StoreApi<AppState> | null = null;

export function setPageStore(store: StoreApi<AppState>): void {
  page = store;
}

export function pageStore(): StoreApi<AppState> {
  if (!page) throw new Error('the page store is not created yet (import app/store/store.ts first)');
  return page;
}
