// The event log's view: a virtualized list (fixed row height, a small pool of row elements reused
// as it scrolls), so tens of thousands of rows stay smooth. It follows the newest row unless the
// user has scrolled up. Updated from the frame loop, not by React. Rows read as C calls or as plain
// sentences (setPlain). From the keyboard: ↑/↓, PageUp/PageDown, Home/End move between rows, Enter
// acts as a click (selects what the row is about, and opens Why? where the row can say why).
import type { LogModel } from './logModel.ts';
import { lowRate } from '../viz/lowRate.ts';
import { fmtUs } from '../format.ts';

export const ROW_PX = 22;
/**
 * The tallest list the browser is given. Browsers lay out at most ~17.9 M px (Firefox) to ~33.5 M
 * px (Chrome); a run's rows can need far more (33 M events × 22 px). Past this height the list is
 * compressed: a pixel of scrollbar stands for several pixels of rows, while the keyboard still
 * moves one row at a time. Everything below keeps positions in row pixels (`top`) and converts
 * only where the scroller is read or written.
 */
export const MAX_SCROLL_PX = 8_000_000;

export interface LogView {
  /** New rows arrived: redrawn at once if `urgent` (a step, a pause, a seek), else at the low rate. */
  refresh(urgent?: boolean): void;
  setModel(model: LogModel): void;
  select(abs: number | null): void;
  /** Plain sentences (true) or the C-call form (false); the other form is the row's tooltip. */
  setPlain(plain: boolean): void;
  /** `count` rows joined the top of the list (a filter's earlier matches): the rows on screen stay put. */
  prepended(count: number): void;
  destroy(): void;
}

/**
 * A fixed set of row elements in a window that moves over the list: scrolling or new rows rewrite
 * a row only where its event changed, nothing is re-inserted (#10: re-inserting rows every frame
 * cost 3.5–5 ms per frame). While a run plays it is redrawn at about 10 Hz. Following the newest
 * row writes scrollTop only from a ResizeObserver callback, after the browser's own layout, never
 * right after the height change (which forced a synchronous layout in most frames).
 */
export function createLogView(host: HTMLElement, initial: LogModel, onRow: (abs: number) => void, opts: { plain?: boolean } = {}): LogView {
  let model = initial;
  let selected: number | null = null;
  let plain = opts.plain === true;
  /** The row the keyboard is on (absolute index), or null. */
  let cursor: number | null = null;
  const scroller = document.createElement('div');
  scroller.className = plain ? 'log-scroll plain' : 'log-scroll';
  scroller.tabIndex = 0;
  // A list, not role="log": a log region would read every new row aloud (the narration's live
  // region says what matters, rate-limited).
  scroller.setAttribute('role', 'list');
  scroller.setAttribute('aria-label', 'Event log: arrow keys move between rows, Enter explains a row');
  const spacer = document.createElement('div');
  spacer.className = 'log-spacer';
  spacer.setAttribute('role', 'presentation');
  const win = document.createElement('div');
  win.className = 'log-window';
  win.setAttribute('role', 'presentation');
  spacer.appendChild(win);
  scroller.appendChild(spacer);
  host.appendChild(scroller);
  /** The row elements, in visual order, and what each shows (-1: nothing, hidden). */
  const pool: HTMLDivElement[] = [];
  const poolAbs: number[] = [];
  const poolFlags: number[] = []; // bit 1 selected, bit 2 cursor
  let follow = true;
  // Layout is read only when the size changes or the user scrolls, never per frame: a per-frame
  // scrollHeight read would force a synchronous layout in every animation frame.
  let viewH = 200;
  /** The top of the view, in row pixels (row i starts at i × ROW_PX). */
  let top = 0;
  /** Row pixels per scroller pixel: 1 unless the list is taller than MAX_SCROLL_PX. */
  let scale = 1;
  /** The scroller's position (its own pixels) last written or seen. */
  let scrollPos = 0;
  /**
   * Positions we scrolled to ourselves. A scroll event can report an older one of them (it comes a
   * frame later, after we scrolled again): any of them is an echo, not the user scrolling away.
   */
  const ownScrolls: number[] = [];
  /** Scrolls the view's top to `y` row pixels. */
  const scrollTo = (y: number) => {
    const real = y / scale;
    scrollPos = real;
    ownScrolls.push(real);
    if (ownScrolls.length > 8) ownScrolls.shift();
    scroller.scrollTop = real;
  };
  /** Whether the scroller must move for the view's top to be `top` (sub-pixel differences are not a move). */
  const offTop = () => Math.abs(top / scale - scrollPos) >= 0.5;
  let shownN = -1;
  let shownHeight = '';
  let shownShift = '';
  const redraw = lowRate(() => render());

  /**
   * Following: where the scroll must be for the newest row drawn to be at the bottom. Of the rows
   * drawn, not of those that arrived since: beyond the laid-out height the browser would clamp it,
   * and the clamped position would read as the user scrolling away.
   */
  const bottomTop = () => Math.max(0, shownN * ROW_PX - viewH);
  const ro = new ResizeObserver((entries) => {
    let resized = false;
    for (const e of entries) if (e.target === scroller) resized = true;
    if (resized) {
      viewH = scroller.clientHeight;
      scale = scaleFor(shownN);
      if (follow) top = bottomTop();
    }
    // Layout is clean here (observers run after it): moving the scroll position costs nothing.
    if (follow && offTop()) scrollTo(top);
    if (resized) render();
  });
  ro.observe(scroller);
  ro.observe(spacer);

  scroller.addEventListener('scroll', () => {
    const y = scroller.scrollTop;
    // The echo of our own scrolling (the browser may round it to a device pixel).
    if (ownScrolls.some((o) => Math.abs(o - y) < 1)) return;
    ownScrolls.length = 0;
    scrollPos = y;
    top = y * scale;
    // Against the height shown (rows may have arrived since, not drawn yet at the low rate); a
    // compressed list's bottom is as exact as one of its pixels.
    follow = top + viewH >= shownN * ROW_PX - ROW_PX - scale;
    render();
  });
  scroller.addEventListener('click', (ev) => {
    const row = (ev.target as HTMLElement).closest<HTMLDivElement>('.log-row');
    if (row?.dataset.abs) {
      cursor = Number(row.dataset.abs);
      onRow(cursor);
    }
  });
  scroller.addEventListener('keydown', (ev) => {
    const n = model.visibleCount;
    if (n === 0) return;
    const page = Math.max(1, Math.floor(viewH / ROW_PX) - 1);
    const firstOnScreen = Math.min(n - 1, Math.ceil(top / ROW_PX));
    const at = cursor === null ? -1 : positionOf(cursor);
    let to: number;
    switch (ev.key) {
      case 'ArrowDown':
        to = at < 0 ? firstOnScreen : at + 1;
        break;
      case 'ArrowUp':
        to = at < 0 ? Math.min(n - 1, firstOnScreen + page) : at - 1;
        break;
      case 'PageDown':
        to = (at < 0 ? firstOnScreen : at) + page;
        break;
      case 'PageUp':
        to = (at < 0 ? firstOnScreen : at) - page;
        break;
      case 'Home':
        to = 0;
        break;
      case 'End':
        to = n - 1;
        break;
      case 'Enter':
        if (cursor !== null && at >= 0) {
          ev.preventDefault();
          onRow(cursor);
        }
        return;
      default:
        return;
    }
    ev.preventDefault();
    ev.stopPropagation();
    to = Math.max(0, Math.min(n - 1, to));
    cursor = model.visibleAt(to);
    // Bring the row into view (following the newest rows only when the cursor is on the last one).
    if (to * ROW_PX < top) top = to * ROW_PX;
    else if ((to + 1) * ROW_PX > top + viewH) top = (to + 1) * ROW_PX - viewH;
    follow = to === n - 1;
    render(); // first: the list's height takes in rows that arrived since the last draw
    scrollTo(top);
    // We scroll ourselves: a focus that scrolled too would read as the user scrolling away.
    rowOf(cursor)?.focus({ preventScroll: true });
  });

  /** The visible position of an absolute row index (binary search), or -1 if it is not visible. */
  function positionOf(abs: number): number {
    let lo = 0;
    let hi = model.visibleCount - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = model.visibleAt(mid);
      if (v === abs) return mid;
      if (v < abs) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  function rowOf(abs: number | null): HTMLDivElement | null {
    if (abs === null) return null;
    const k = poolAbs.indexOf(abs);
    return k >= 0 ? pool[k]! : null;
  }

  function fill(r: HTMLDivElement, abs: number): void {
    r.dataset.abs = String(abs);
    const ev = model.event(abs);
    r.dataset.type = ev.type;
    r.dataset.t = String(ev.t); // exact µs (the column shows it rounded)
    r.dataset.status = String(ev.status ?? '');
    r.classList.toggle('lost-race', ev.lostRace === true);
    (r.firstChild as HTMLElement).textContent = fmtUs(ev.t);
    // The row in one form; its tooltip in the other.
    const call = model.text(abs);
    const sentence = model.sentence(abs);
    (r.lastChild as HTMLElement).textContent = plain ? sentence : call;
    r.title = plain ? call : sentence;
  }

  /** Row pixels per scroller pixel for a list of n rows (MAX_SCROLL_PX). */
  function scaleFor(n: number): number {
    const full = n * ROW_PX;
    return full <= MAX_SCROLL_PX || MAX_SCROLL_PX <= viewH ? 1 : (full - viewH) / (MAX_SCROLL_PX - viewH);
  }

  function render(): void {
    redraw.cancel();
    const n = model.visibleCount;
    shownN = n;
    scale = scaleFor(n);
    if (follow) top = bottomTop();
    const height = `${Math.min(n * ROW_PX, MAX_SCROLL_PX)}px`;
    if (height !== shownHeight) {
      shownHeight = height;
      spacer.style.height = height; // the observer above moves the scroll, after layout
    } else if (follow && offTop()) {
      // Same height, but the view was elsewhere (a new filter with as many rows): no observer
      // will fire, so scroll now (rare: not in the per-frame path; a compressed list that grows
      // keeps its bottom where it was).
      scrollTo(top);
    }
    const first = Math.max(0, Math.min(Math.floor(top / ROW_PX), n - 1));
    const want = Math.ceil(viewH / ROW_PX) + 1;
    while (pool.length < want) {
      pool.push(newRow());
      poolAbs.push(-1);
      poolFlags.push(0);
    }
    // The window of rows sits where the scroller shows: at the view's top, less the part of its
    // first row above it (uncompressed, that is simply the first row's place in the list).
    const shift = `translateY(${top / scale + first * ROW_PX - top}px)`;
    if (shift !== shownShift) {
      shownShift = shift;
      win.style.transform = shift;
    }
    const hadFocus = pool.indexOf(document.activeElement as HTMLDivElement);
    for (let k = 0; k < pool.length; k++) {
      const r = pool[k]!;
      const pos = first + k;
      if (k >= want || pos >= n) {
        if (poolAbs[k] !== -1) {
          poolAbs[k] = -1;
          r.style.display = 'none';
          delete r.dataset.abs;
        }
        continue;
      }
      const abs = model.visibleAt(pos);
      // A row older than the log's memory shows "loading…" until the worker regenerates it.
      if (poolAbs[k] !== abs || (r.dataset.pending === '1' && model.has(abs))) {
        if (poolAbs[k] === -1) r.style.display = '';
        poolAbs[k] = abs;
        r.dataset.abs = String(abs);
        if (!fillPending(r, abs)) fill(r, abs);
      }
      const flags = (abs === selected ? 1 : 0) | (abs === cursor ? 2 : 0);
      if (poolFlags[k] !== flags) {
        poolFlags[k] = flags;
        r.classList.toggle('selected', (flags & 1) !== 0);
        r.classList.toggle('cursor', (flags & 2) !== 0);
      }
    }
    // The keyboard's row moved to another element: focus goes with it.
    if (hadFocus >= 0 && poolAbs[hadFocus] !== cursor) rowOf(cursor)?.focus({ preventScroll: true });
  }

  /**
   * #10 scroll-back: a row older than the model holds shows as a placeholder while the model asks
   * the worker for it (the model calls back, and the next render fills it). True if it is one.
   */
  function fillPending(r: HTMLDivElement, abs: number): boolean {
    if (model.has(abs)) {
      delete r.dataset.pending;
      return false;
    }
    model.want(abs);
    r.dataset.pending = '1';
    r.dataset.type = '';
    r.dataset.t = '';
    r.dataset.status = '';
    r.classList.remove('lost-race');
    (r.firstChild as HTMLElement).textContent = '…';
    (r.lastChild as HTMLElement).textContent = `row ${(abs + 1).toLocaleString('en-US')}: loading…`;
    r.title = '';
    return true;
  }

  function newRow(): HTMLDivElement {
    const r = document.createElement('div');
    r.className = 'log-row';
    r.tabIndex = -1;
    r.setAttribute('role', 'listitem');
    r.style.display = 'none';
    r.innerHTML = '<span class="t"></span><span class="x"></span>';
    win.appendChild(r);
    return r;
  }

  /** Every row is written again at the next render (their events or their form changed). */
  function forgetRows(): void {
    for (let k = 0; k < poolAbs.length; k++) if (poolAbs[k] !== -1) poolAbs[k] = -2;
  }

  return {
    refresh(urgent = true) {
      redraw.request(urgent);
    },
    setModel(m) {
      model = m;
      follow = true;
      cursor = null;
      // Ring positions may now mean other events: every row is written again.
      forgetRows();
      render();
    },
    select(abs) {
      selected = abs;
      render();
    },
    prepended(count) {
      if (!follow) {
        top += count * ROW_PX;
        render(); // the new height first, then the position in it
        scrollTo(top);
      } else render();
    },
    setPlain(p) {
      if (p === plain) return;
      plain = p;
      scroller.classList.toggle('plain', p);
      // Every row's text changes, keeping the scroll position and the cursor.
      forgetRows();
      render();
    },
    destroy() {
      redraw.cancel();
      ro.disconnect();
      scroller.remove();
    },
  };
}
