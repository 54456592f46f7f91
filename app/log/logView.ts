// The event log's view: a virtualized list (fixed row height, a small pool of row elements reused
// as it scrolls), so tens of thousands of rows stay smooth. It follows the newest row unless the
// user has scrolled up. Updated from the frame loop, not by React.
import type { LogModel } from './logModel.ts';

export const ROW_PX = 22;

export interface LogView {
  refresh(): void;
  setModel(model: LogModel): void;
  select(abs: number | null): void;
  destroy(): void;
}

export function createLogView(host: HTMLElement, initial: LogModel, onRow: (abs: number) => void): LogView {
  let model = initial;
  let selected: number | null = null;
  const scroller = document.createElement('div');
  scroller.className = 'log-scroll';
  scroller.tabIndex = 0;
  scroller.setAttribute('role', 'log');
  scroller.setAttribute('aria-label', 'Event log');
  const spacer = document.createElement('div');
  spacer.className = 'log-spacer';
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
    if (row?.dataset.abs) onRow(Number(row.dataset.abs));
  });

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
      if (!r) {
        r = free.pop() ?? rows.pop() ?? newRow();
        byAbs.set(abs, r);
        r.dataset.abs = String(abs);
        const ev = model.event(abs);
        r.dataset.type = ev.type;
        r.dataset.status = String(ev.status ?? '');
        r.classList.toggle('lost-race', ev.lostRace === true);
        (r.firstChild as HTMLElement).textContent = fmtUs(ev.t);
        (r.lastChild as HTMLElement).textContent = model.text(abs);
        // The same event in plain words, for whoever does not read the C call yet.
        r.title = model.sentence(abs);
        r.style.display = '';
      }
      r.style.transform = `translateY(${(first + i) * ROW_PX}px)`;
      r.classList.toggle('selected', abs === selected);
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

  function newRow(): HTMLDivElement {
    const r = document.createElement('div');
    r.className = 'log-row';
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
