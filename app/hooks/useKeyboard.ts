import { useEffect } from 'react';
import { spaceBelongsTo } from './stageFocus.ts';
import { appStore } from '../store/store.ts';
import { useActions } from '../store/hooks.ts';

/** The page's keyboard shortcuts (Help lists them); a lesson takes the clicker's keys. */
export function useKeyboard(): void {
  const actions = useActions();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (e.ctrlKey || e.metaKey || e.altKey || (e.key === ' ' ? spaceBelongsTo(t) : t.closest('input, select, textarea'))) return;
      // A lesson takes the clicker's keys (PageDown/PageUp) and, while it runs, → and ←.
      const inLesson = appStore.getState().lesson !== null;
      switch (e.key) {
        case 'PageDown':
          if (!inLesson) break;
          e.preventDefault();
          actions.lessonNext();
          break;
        case 'PageUp':
          if (!inLesson) break;
          e.preventDefault();
          actions.lessonBack();
          break;
        case ' ':
          e.preventDefault();
          actions.togglePlay();
          break;
        case 'ArrowRight':
          e.preventDefault();
          if (inLesson) actions.lessonNext();
          else actions.step();
          break;
        case 'ArrowLeft':
          e.preventDefault();
          if (inLesson) actions.lessonBack();
          else actions.stepBack();
          break;
        case '+':
        case '=':
          actions.faster();
          break;
        case '-':
        case '_':
          actions.slower();
          break;
        case 'r':
        case 'R':
          actions.reset();
          break;
        case '?':
          actions.toggleHelp();
          break;
        case 'Escape':
          actions.escape();
          break;
        default:
          break;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [actions]);
}
