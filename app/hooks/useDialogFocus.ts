// A dialog takes the focus when it opens (its first control, or itself), keeps Tab inside while it
// is open, and gives the focus back to the stage when it closes (stageFocus.ts: then Space plays).
// Esc is the page's (actions.escape).
import { useEffect, type RefObject } from 'react';
import { focusStage } from './stageFocus.ts';

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function useDialogFocus(ref: RefObject<HTMLElement | null>, open: boolean): void {
  useEffect(() => {
    const el = ref.current;
    if (!open || !el) return;
    const before = document.activeElement instanceof HTMLElement || document.activeElement instanceof SVGElement ? document.activeElement : null;
    const first = el.querySelector<HTMLElement>(FOCUSABLE);
    if (first) first.focus();
    else {
      el.tabIndex = -1;
      el.focus();
    }
    const trap = (e: KeyboardEvent) => {
      if (e.key !== 'Tab') return;
      const all = Array.from(el.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((x) => x.offsetParent !== null || x === document.activeElement);
      if (all.length === 0) return;
      const head = all[0]!;
      const tail = all[all.length - 1]!;
      if (e.shiftKey && (document.activeElement === head || !el.contains(document.activeElement))) {
        e.preventDefault();
        tail.focus();
      } else if (!e.shiftKey && (document.activeElement === tail || !el.contains(document.activeElement))) {
        e.preventDefault();
        head.focus();
      }
    };
    document.addEventListener('keydown', trap);
    return () => {
      document.removeEventListener('keydown', trap);
      // Back to the stage (to the entity the user was on, if it was one there), unless the focus has
      // already moved on to something else outside the dialog.
      const now = document.activeElement;
      if (!now || now === document.body || el.contains(now) || !now.isConnected || now === before) focusStage(before);
    };
  }, [ref, open]);
}
