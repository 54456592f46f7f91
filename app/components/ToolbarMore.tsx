// The toolbar's overflow (#14): the less-used tools, wrapped in <ToolbarMore>. Where the toolbar has
// the room they sit in its row as if the wrapper were not there (CSS `display: contents`); on a
// projector's short screen (projector.css) they fold into a "More" menu, so the toolbar keeps to one
// row at 1024 × 768 and 1280 × 720. One DOM either way: a tool's own state (a dialog it opened, a
// field being typed in) survives the menu closing.
//
// To add a toolbar button: one line in TopBar (components/TopBar.tsx) — inside <ToolbarMore> if it may fold away,
// before or after it if it must always be in the row.
import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

/** What can take focus inside the menu, in order. */
const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), select:not([disabled])';

export function ToolbarMore({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const wrapRef = useRef<HTMLDivElement>(null);
  const toggleRef = useRef<HTMLButtonElement>(null);

  const items = () => [...(wrapRef.current?.querySelectorAll<HTMLElement>(`.tb-more-items :is(${FOCUSABLE})`) ?? [])].filter((el) => el.offsetParent !== null);
  /** Esc, or a tool chosen: the menu closes and the focus goes back to its button (a dialog the tool opened takes it from there). */
  const close = useCallback((refocus: boolean) => {
    setOpen(false);
    if (refocus) toggleRef.current?.focus();
  }, []);

  // Opened: the first tool takes the focus. A press outside closes it.
  useEffect(() => {
    if (!open) return;
    items()[0]?.focus();
    const away = (e: MouseEvent) => {
      if (!wrapRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [open]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (!open) return;
    if (e.key === 'Escape') {
      // The page's own Esc (close overlays, clear the selection) is not for this press.
      e.preventDefault();
      e.nativeEvent.stopImmediatePropagation();
      close(true);
      return;
    }
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'Home' && e.key !== 'End') return;
    // Arrows move between the tools, from the seed field too (digits are typed; its ↑/↓ would load another run).
    const list = items();
    if (list.length === 0) return;
    e.preventDefault();
    e.nativeEvent.stopImmediatePropagation();
    const at = list.indexOf(document.activeElement as HTMLElement);
    const next = e.key === 'Home' ? 0 : e.key === 'End' ? list.length - 1 : (at + (e.key === 'ArrowDown' ? 1 : -1) + list.length) % list.length;
    list[next]!.focus();
  };

  return (
    <div
      className="tb-more"
      ref={wrapRef}
      data-open={open ? '' : undefined}
      onKeyDown={onKeyDown}
      // Tab past the last tool, or a click elsewhere, closes it.
      onBlur={(e) => {
        if (open && e.relatedTarget instanceof Node && !wrapRef.current?.contains(e.relatedTarget)) setOpen(false);
      }}
      onClick={(e) => {
        // A tool chosen (a button; a field stays open to be typed in): the menu closes.
        const t = e.target as HTMLElement;
        if (open && t.closest('.tb-more-items button')) close(false);
      }}
    >
      <button ref={toggleRef} className="tb-more-toggle" aria-expanded={open} aria-controls="tb-more-items" title="More tools: seed, share, export, embed, compare, open a file" onClick={() => setOpen((o) => !o)}>
        More
        <svg className="icon-svg" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
          <path d="M3.5 6l4.5 4.5L12.5 6" stroke="currentColor" strokeWidth="2" fill="none" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
      </button>
      <div className="tb-more-items" id="tb-more-items" role="group" aria-label="More tools">
        {children}
      </div>
    </div>
  );
}
