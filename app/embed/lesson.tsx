// The embed's guided lesson (#8), loaded only when a lesson is opened: the app's own LessonPanel
// (React, with the app's lesson.css) beside the stage when the frame is wide, under it when narrow,
// and the step's focus outlined on the stage. A plain embed never fetches this chunk.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { LessonPanel } from '../lesson/LessonPanel.tsx';
import { focusEntities } from '../lesson/focus.ts';
import type { AppState, AppStore } from '../store/store.ts';
import type { StackView } from '../viz/stackView.ts';
import './lesson.css';

export function mountLesson(app: HTMLElement, body: HTMLElement, store: AppStore, view: () => StackView | null): void {
  const side = document.createElement('div');
  side.className = 'embed-lesson';
  body.appendChild(side);
  createRoot(side).render(
    <StrictMode>
      <LessonPanel embedded />
    </StrictMode>,
  );

  // The stage's focus outline follows the step; the embed's own subscription rebuilds the view on a
  // new layout first (it subscribed first), so the outline is drawn again on the new one.
  let focusKey = '';
  let layout: AppState['layout'] = null;
  const sync = (s: AppState): void => {
    const open = s.lesson ? 'open' : 'closed';
    if (app.dataset.lesson !== open) app.dataset.lesson = open;
    const key = s.lesson ? (s.lesson.steps[s.lesson.index]?.focus.join('\n') ?? '') : '';
    if (key === focusKey && s.layout === layout) return;
    focusKey = key;
    layout = s.layout;
    view()?.focus(focusEntities(key ? key.split('\n') : [], s.layout));
  };
  store.subscribe(sync);
  sync(store.getState());
}
