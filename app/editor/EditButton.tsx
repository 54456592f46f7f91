// Edit mode's switch (#15): the toolbar's Edit button, `?edit=1`, and the place the editor mounts.
// Only this small file is in the app's first load; the editor itself (its forms, the validator and
// its schema library) is a chunk of its own, imported when Edit is first pressed.
import { lazy, Suspense, useEffect } from 'react';
import { create } from 'zustand';

export const useEditMode = create<{ open: boolean; toggle: (open?: boolean) => void }>((set) => ({
  open: false,
  toggle: (open) => set((s) => ({ open: open ?? !s.open })),
}));

const Editor = lazy(() => import('./Editor.tsx'));

/** The toolbar button: opens and closes the scenario editor; `?edit=1` opens it on load. */
export function EditButton() {
  const open = useEditMode((s) => s.open);
  const toggle = useEditMode((s) => s.toggle);
  useEffect(() => {
    if (new URLSearchParams(location.search).get('edit') === '1') toggle(true);
  }, [toggle]);
  return (
    <button className="edit-toggle" aria-pressed={open} aria-controls="scenario-editor" title="Edit the scenario: add, remove and change its parts, then Play (?edit=1)" onClick={() => toggle()}>
      Edit
    </button>
  );
}

/** Where the editor appears when Edit is on. */
export function EditorMount() {
  const open = useEditMode((s) => s.open);
  if (!open) return null;
  return (
    <Suspense fallback={<div className="editor-loading" role="status">Loading the editor…</div>}>
      <Editor onClose={() => useEditMode.getState().toggle(false)} />
    </Suspense>
  );
}
