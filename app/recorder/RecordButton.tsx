// The lesson recorder's switch (#15): the Record button beside Edit, `?record=1`, and the place the
// recorder appears. Only this small file is in the app's first load; the recorder (its forms, the
// lesson validator and checker) is a chunk of its own, imported when Record is first pressed.
import { lazy, Suspense, useEffect } from 'react';
import { createPortal } from 'react-dom';
import { create } from 'zustand';

export const useRecorderMode = create<{ open: boolean; toggle: (open?: boolean) => void }>((set) => ({
  open: false,
  toggle: (open) => set((s) => ({ open: open ?? !s.open })),
}));

const PRESSED = { background: 'var(--accent-strong)', borderColor: 'var(--accent-strong)', color: '#fff' };

const Recorder = lazy(() => import('./Recorder.tsx'));

/** The button, and the recorder itself while it is on (rendered at the app's root, over the side column). */
export function RecordButton() {
  const open = useRecorderMode((s) => s.open);
  const toggle = useRecorderMode((s) => s.toggle);
  useEffect(() => {
    if (new URLSearchParams(location.search).get('record') === '1') toggle(true);
  }, [toggle]);
  const root = typeof document !== 'undefined' ? document.querySelector('.app') : null;
  return (
    <>
      <button
        className="record-toggle"
        aria-pressed={open}
        style={{ minHeight: 24, padding: '1px 8px', fontSize: 12.5, ...(open ? PRESSED : {}) }}
        aria-controls={open ? 'lesson-recorder' : undefined}
        title="Record a lesson: add steps at moments of the run, ask questions, then Preview, Save or Link (?record=1)"
        onClick={() => toggle()}
      >
        <span aria-hidden="true">●</span> Record
      </button>
      {open &&
        root &&
        createPortal(
          <Suspense
            fallback={
              <div role="status" style={{ position: 'fixed', right: 16, top: 64, zIndex: 30, background: 'var(--panel)', border: '1px solid var(--line)', borderRadius: 8, padding: '8px 12px' }}>
                Loading the recorder…
              </div>
            }
          >
            <Recorder onClose={() => toggle(false)} />
          </Suspense>,
          root,
        )}
    </>
  );
}
