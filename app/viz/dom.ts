// Writing to the DOM only what changed: the same value written again is still a mutation the browser
// must restyle for (#10: ~190 of them per frame in the stack view).

/** Sets an attribute only when its value changes (null removes it). */
export function setAttr(el: Element, name: string, value: string | number | null): void {
  const v = value === null ? null : String(value);
  if (el.getAttribute(name) === v) return;
  if (v === null) el.removeAttribute(name);
  else el.setAttribute(name, v);
}

/** Sets an element's text only when it changes (no element yet: nothing). */
export function setText(el: Element | null, text: string): void {
  if (el && el.textContent !== text) el.textContent = text;
}

/**
 * Names a stage button by the text it shows, then what it is (WCAG 2.5.3, "label in name": whoever
 * says what is on screen — "tcp send pool", "A-445 S E X" — finds the button by it). The shown text is
 * every displayed <text> inside, in document order, badges too; `describe` follows. SVG draws no
 * text between its <text> elements, so a checker reading the words joins them with nothing
 * ("A-445SEXD"): a space text node before each keeps them apart (it is not drawn).
 */
export function nameByShownText(el: Element, describe: string): void {
  const shown: string[] = [];
  for (const t of el.querySelectorAll('text')) {
    const words = t.textContent?.trim();
    if (!words || t.closest('[display="none"]')) continue;
    shown.push(words);
    const before = t.previousSibling;
    if (!(before instanceof Text && before.data === ' ')) t.before(' ');
  }
  setAttr(el, 'aria-label', shown.length > 0 ? `${shown.join(' ')}: ${describe}` : describe);
}
