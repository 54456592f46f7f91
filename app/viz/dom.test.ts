// #10: the stack view and the status line write to the DOM only what changed (a write of the same
// value is still a mutation the browser restyles for).
import { describe, expect, it } from 'vitest';
import { setAttr, setText } from './dom.ts';

/** An element that counts its writes. */
function element() {
  const attrs = new Map<string, string>();
  let text = '';
  const el = {
    writes: 0,
    getAttribute: (n: string) => attrs.get(n) ?? null,
    setAttribute: (n: string, v: string) => {
      el.writes++;
      attrs.set(n, v);
    },
    removeAttribute: (n: string) => {
      el.writes++;
      attrs.delete(n);
    },
    get textContent() {
      return text;
    },
    set textContent(v: string) {
      el.writes++;
      text = v;
    },
  };
  return el;
}

describe('setAttr / setText', () => {
  it('write a changed value once, the same value (a number as its text) not at all, and null removes', () => {
    const el = element();
    setAttr(el as unknown as Element, 'x', 12);
    setAttr(el as unknown as Element, 'x', '12');
    setAttr(el as unknown as Element, 'x', 12);
    expect(el.writes).toBe(1);
    expect(el.getAttribute('x')).toBe('12');
    setAttr(el as unknown as Element, 'x', null);
    setAttr(el as unknown as Element, 'x', null);
    expect(el.writes).toBe(2);
    expect(el.getAttribute('x')).toBeNull();
    setText(el as unknown as Element, 'paused');
    setText(el as unknown as Element, 'paused');
    expect(el.writes).toBe(3);
    expect(el.textContent).toBe('paused');
    setText(null, 'nothing to write to'); // a ref not attached yet
  });
});
