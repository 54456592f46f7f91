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
