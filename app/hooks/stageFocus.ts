// Space plays and pauses wherever the focus is, except where the key types or picks: a text field, an
// open menu or a dialog. Closing a menu or a dialog gives the focus back to the stage, so the next
// Space plays rather than pressing again what opened it (a NIC's fault menu, Open…'s file picker).

/** Where Space belongs to the focused control, not to play/pause. */
const SPACE_OWNERS = 'input:not([type="button"]):not([type="submit"]):not([type="reset"]):not([type="file"]), textarea, select, [contenteditable=""], [contenteditable="true"], [role="dialog"], dialog, [role="menu"], [role="listbox"], [role="combobox"]';

export function spaceBelongsTo(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest(SPACE_OWNERS) !== null;
}

/** The stage's drawing, which takes the focus back when a menu or a dialog closes. */
export function stageElement(): HTMLElement | null {
  return document.querySelector<HTMLElement>('[data-testid="stack"]');
}

/**
 * Gives the focus back to the stage: to `previous` if it is an entity on the stage (a keyboard user
 * keeps their place; Enter there opens its menu again), otherwise to the stage itself.
 */
export function focusStage(previous?: Element | null): void {
  const stage = stageElement();
  if (!stage) return;
  if (previous instanceof HTMLElement || previous instanceof SVGElement) {
    if (previous.isConnected && stage.contains(previous)) {
      previous.focus({ preventScroll: true });
      return;
    }
  }
  if (!stage.hasAttribute('tabindex')) stage.tabIndex = -1;
  stage.focus({ preventScroll: true });
}
