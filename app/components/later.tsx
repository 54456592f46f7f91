// What the first frame does not show loads on first use (#19, the app's first load ≤ 150 KB gzip):
// each part below is a chunk of its own, imported the first time the store says it is open, with a
// visible pending line while it loads and a message (not a blank panel) if its chunk cannot be fetched.
// App.tsx mounts these as it mounted the parts themselves; each part still checks its own state.
import { Component, lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { useApp } from '../store/hooks.ts';
import type { AppState } from '../store/store.ts';
import { InspectorHint } from './InspectorHint.tsx';

/** A part's chunk that could not be fetched (offline, a new build on the server). */
class ChunkFailed extends Error {}

/** A failed chunk says what could not be loaded, and offers a reload; any other error goes on to the page's boundary. */
class LaterBoundary extends Component<{ what: string; children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override render() {
    if (!this.state.error) return this.props.children;
    if (!(this.state.error instanceof ChunkFailed)) throw this.state.error;
    return (
      <div className="banner bad later-failed" role="alert">
        Could not load {this.props.what}: <code>{this.state.error.message}</code> <button onClick={() => location.reload()}>Reload</button>
      </div>
    );
  }
}

/**
 * A part loaded the first time `wanted` holds (then kept: closing and opening again is instant).
 * `pending` is what shows while its chunk loads (a line saying so by default).
 */
export function later<P extends object>(
  what: string,
  load: () => Promise<ComponentType<P>>,
  wanted: (s: AppState) => boolean,
  idle: ComponentType<P> | null = null,
  pending?: ReactNode,
): ComponentType<P> {
  const Part = lazy(() =>
    load().then(
      (c) => ({ default: c }),
      (e: unknown) => {
        throw new ChunkFailed(e instanceof Error ? e.message : String(e));
      },
    ),
  );
  let used = false;
  return function Later(props: P) {
    const want = useApp(wanted);
    used ||= want;
    if (!used) {
      const Idle = idle;
      return Idle ? <Idle {...props} /> : null;
    }
    return (
      <LaterBoundary what={what}>
        <Suspense
          fallback={
            pending ?? (
              <div className="later-pending" role="status">
                Loading {what}…
              </div>
            )
          }
        >
          <Part {...props} />
        </Suspense>
      </LaterBoundary>
    );
  };
}

export const CompareDialog = later('Compare', () => import('./CompareDialog.tsx').then((m) => m.CompareDialog), (s) => s.compareOpen);
export const ExportDialog = later('Export', () => import('./ExportDialog.tsx').then((m) => m.ExportDialog), (s) => s.exportOpen);
export const HelpOverlay = later('help', () => import('./HelpOverlay.tsx').then((m) => m.HelpOverlay), (s) => s.helpOpen);
export const BugcheckScreen = later('the bug check screen', () => import('./BugcheckScreen.tsx').then((m) => m.BugcheckScreen), (s) => !s.lesson && s.bugcheck !== null);
export const FaultMenu = later('the fault menu', () => import('./FaultMenu.tsx').then((m) => m.FaultMenu), (s) => s.faultMenu !== null);
export const LessonPanel = later('the lesson', () => import('../lesson/LessonPanel.tsx').then((m) => m.LessonPanel), (s) => s.lesson !== null);
export const Inspector = later('the inspector', () => import('./Inspector.tsx').then((m) => m.Inspector), (s) => s.selection !== null, InspectorHint, <InspectorHint loading />);
