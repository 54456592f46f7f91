// Edit mode's switch (#15): the Edit button (beside the scenario's title, where the toolbar has no room
// left at 1280 px; it may move into the toolbar's overflow menu as it is), `?edit=1`, and the place
// the editor mounts.
// Only this small file is in the app's first load; the editor itself (its forms, the validator and
// its schema library) is a chunk of its own, imported when Edit is first pressed.
import { lazy, Suspense, useEffect } from 'react';
import { create } from 'zustand';

export const useEditMode = create<{ open: boolean; toggle: (open?: boolean) => void }>((set) => ({
  open: false,
  toggle: (open) => set((s) => ({ open: open ?? !s.open })),
}));

// Its look travels with it (the editor's style sheet loads only with the editor).
const PRESSED = { background: 'var(--accent-strong)', borderColor: 'var(--accent-strong)', color: '#fff' };

const Editor = lazy(() => import('./Editor.tsx'));

/** The toolbar button: opens and closes the scenario editor; `?edit=1` opens it on load. */
export function EditButton() {
  const open = useEditMode((s) => s.open);
  const toggle = useEditMode((s) => s.toggle);
  useEffect(() => {
    if (new URLSearchParams(location.search).get('edit') === '1') toggle(true);
  }, [toggle]);
  return (
    <button
      className="edit-toggle"
      aria-pressed={open}
      style={{ minHeight: 24, padding: '1px 8px', fontSize: 12.5, ...(open ? PRESSED : {}) }}
      aria-controls={open ? 'scenario-editor' : undefined}
      title="Edit the scenario: add, remove and change its parts, then Play (?edit=1)"
      onClick={() => toggle()}
    >
      <span aria-hidden="true">✎</span> Edit
    </button>
  );
}

/** Where the editor appears when Edit is on. */
export function EditorMount() {
  const open = useEditMode((s) => s.open);
  if (!open) return null;
  return (
    <Suspense
      fallback={
        <div className="editor-loading" role="status">
          Loading the editor…
        </div>
      }
    >
      <Editor onClose={() => useEditMode.getState().toggle(false)} />
    </Suspense>
  );
}
