// The event log's view: a virtualized list (fixed row height, a small pool of row elements reused
// as it scrolls), so tens of thousands of rows stay smooth. It follows the newest row unless the
// user has scrolled up. Updated from the frame loop, not by React. Rows read as C calls or as plain
// sentences (setPlain). From the keyboard: ↑/↓, PageUp/PageDown, Home/End move between rows, Enter
// acts as a click (selects what the row is about, and opens Why? where the row can say why).
import type { LogModel } from './logModel.ts';

export const ROW_PX = 22;

export interface LogView {
  refresh(): void;
  setModel(model: LogModel): void;
  select(abs: number | null): void;
  /** Plain sentences (true) or the C-call form (false); the other form is the row's tooltip. */
  setPlain(plain: boolean): void;
  destroy(): void;
}

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
  scroller.appendChild(spacer);
  host.appendChild(scroller);
  const rows: HTMLDivElement[] = [];
  let follow = true;
  // Layout is read only when the size changes or the user scrolls, never per frame: a per-frame
  // scrollHeight read would force a synchronous layout in every animation frame.
  let viewH = 200;
  let top = 0;
  let ownScroll = -1;
  const ro = new ResizeObserver(() => {
    viewH = scroller.clientHeight;
    render();
  });
  ro.observe(scroller);

  scroller.addEventListener('scroll', () => {
    if (scroller.scrollTop === ownScroll) return; // the echo of our own follow-scroll
    top = scroller.scrollTop;
    follow = top + viewH >= model.visibleCount * ROW_PX - ROW_PX;
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
    ownScroll = top;
    scroller.scrollTop = top;
    render();
    byAbs.get(cursor)?.focus();
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

  /**
   * Row elements stay with their event while it is visible; only rows that scrolled out are reused.
   * (Reassigning elements by position would change what is under the pointer as the list scrolls.)
   */
  const byAbs = new Map<number, HTMLDivElement>();
  function render(): void {
    const n = model.visibleCount;
    spacer.style.height = `${n * ROW_PX}px`;
    const first = Math.max(0, Math.floor(top / ROW_PX) - 4);
    const count = Math.max(0, Math.min(n - first, Math.ceil(viewH / ROW_PX) + 8));
    const wanted = new Set<number>();
    for (let i = 0; i < count; i++) wanted.add(model.visibleAt(first + i));
    const free: HTMLDivElement[] = [];
    for (const [abs, r] of byAbs) {
      if (!wanted.has(abs)) {
        byAbs.delete(abs);
        free.push(r);
      }
    }
    let prev: HTMLDivElement | null = null;
    for (let i = 0; i < count; i++) {
      const abs = model.visibleAt(first + i);
      let r = byAbs.get(abs);
      if (!r || (r.dataset.pending === '1' && model.has(abs))) {
        r ??= free.pop() ?? rows.pop() ?? newRow();
        byAbs.set(abs, r);
        r.dataset.abs = String(abs);
        if (!fillPending(r, abs)) {
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
        r.style.display = '';
      }
      r.style.transform = `translateY(${(first + i) * ROW_PX}px)`;
      r.classList.toggle('selected', abs === selected);
      r.classList.toggle('cursor', abs === cursor);
      // Keep the DOM in visual order (screen readers, and anything reading rows in order).
      if (r.previousElementSibling !== prev) {
        if (prev) prev.after(r);
        else spacer.prepend(r);
      }
      prev = r;
    }
    for (const r of free) {
      r.style.display = 'none';
      delete r.dataset.abs;
      rows.push(r);
    }
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
    r.innerHTML = '<span class="t"></span><span class="x"></span>';
    spacer.appendChild(r);
    return r;
  }

  return {
    refresh() {
      if (follow) {
        const n = model.visibleCount;
        spacer.style.height = `${n * ROW_PX}px`;
        top = Math.max(0, n * ROW_PX - viewH);
        ownScroll = top;
        scroller.scrollTop = top;
      }
      render();
    },
    setModel(m) {
      model = m;
      follow = true;
      cursor = null;
      // Ring positions may now mean other events: forget every row.
      for (const [, r] of byAbs) {
        r.style.display = 'none';
        delete r.dataset.abs;
        rows.push(r);
      }
      byAbs.clear();
      this.refresh();
    },
    select(abs) {
      selected = abs;
      render();
    },
    setPlain(p) {
      if (p === plain) return;
      plain = p;
      scroller.classList.toggle('plain', p);
      // Every row's text changes: forget them, keeping the scroll position and the cursor.
      const hadFocus = scroller.contains(document.activeElement) && document.activeElement !== scroller;
      for (const [, r] of byAbs) {
        r.style.display = 'none';
        delete r.dataset.abs;
        rows.push(r);
      }
      byAbs.clear();
      render();
      if (hadFocus && cursor !== null) byAbs.get(cursor)?.focus();
    },
    destroy() {
      ro.disconnect();
      scroller.remove();
    },
  };
}

export function fmtUs(t: number): string {
  if (t >= 1_000_000) return `${(t / 1_000_000).toFixed(3)} s`;
  if (t >= 10_000) return `${(t / 1000).toFixed(2)} ms`;
  return `${Math.round(t)} µs`;
}
