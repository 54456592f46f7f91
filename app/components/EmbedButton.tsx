// The toolbar's Embed… button (its dialog, EmbedDialog.tsx, with the snippets and the share-link
// encoder, loads when it is first opened: #19).
import { useState } from 'react';
import { createPortal } from 'react-dom';
import { later } from './later.tsx';

const EmbedDialog = later('the embed dialog', () => import('./EmbedDialog.tsx').then((m) => m.EmbedDialog), () => true);

/**
 * The toolbar button and its dialog (its open state is its own: nothing else needs it). The button is
 * a compact `</>` so the toolbar keeps one row at 1280 px; the dialog renders at the body, outside
 * the toolbar's styles.
 */
export function EmbedButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button className="embed-button" aria-label="Embed…" title="Embed… — put this in another page: an element, an iframe or React" onClick={() => setOpen(true)}>
        {'</>'}
      </button>
      {open && createPortal(<EmbedDialog onClose={() => setOpen(false)} />, document.querySelector('.app') ?? document.body)}
    </>
  );
}
