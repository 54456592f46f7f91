// The dense level of detail (more than DENSE_THRESHOLD connections): a canvas grid, one cell per
// connection, grouped by address, coloured by state. One draw per frame, no DOM per connection.
import type { Frame } from '../../src/protocol/messages.ts';
import type { Topology } from '../../src/model/topology.ts';
import { CONN_BROKEN, CONN_DEBT, CONN_PENDING, CONN_WAITING } from '../../src/model/engine.ts';
import type { StackLayout } from './layout.ts';
import { clientColor } from './colors.ts';

export interface DenseGrid {
  layout(l: StackLayout): void;
  update(f: Frame): void;
  highlight(conns: Set<number>): void;
  destroy(): void;
}

export function createDenseGrid(host: HTMLElement, info: Topology, onSelect?: (c: number) => void): DenseGrid {
  const canvas = document.createElement('canvas');
  canvas.className = 'dense-grid';
  // Reachable from the keyboard like the connections of the full view: arrow keys move a cell
  // cursor (PageUp/PageDown by a screen, Home/End), Enter selects that connection for the inspector.
  canvas.tabIndex = 0;
  canvas.setAttribute('role', 'application');
  canvas.setAttribute('aria-roledescription', 'grid of connections');
  const describe = (c: number | null) =>
    `${info.connectionIds.length} connections, one cell each, coloured by state. Arrow keys move between cells, Enter selects.` +
    (c === null ? '' : ` On ${info.connectionIds[c]!} of ${info.addressIds[info.connectionAddress[c]!]!}.`);
  canvas.setAttribute('aria-label', describe(null));
  canvas.dataset.connections = String(info.connectionIds.length);
  host.appendChild(canvas);
  const ctx = canvas.getContext('2d')!;
  // Cells in address order (addresses in client order), so a client's connections sit together.
  const order = info.connectionIds.map((_, c) => c).sort((a, b) => info.connectionAddress[a]! - info.connectionAddress[b]! || a - b);
  let cols = 1;
  let cell = 4;
  let x0 = 0;
  let y0 = 0;
  let last: Frame | null = null;
  let hl = new Set<number>();
  /** The keyboard's cell (an index into `order`), or -1. */
  let kb = -1;
  // Theme colours, read once per layout (and on a theme change), not per frame.
  const palette = { ok: '', bad: '', warn: '', broken: '', fg: '' };
  const readPalette = () => {
    const styles = getComputedStyle(host);
    const v = (name: string, fallback: string) => styles.getPropertyValue(name).trim() || fallback;
    palette.ok = v('--cell-ok', '#9aa4b2');
    palette.bad = v('--bad', '#d1242f');
    palette.warn = v('--warn', '#bf8700');
    palette.broken = v('--muted', '#6e7781');
    palette.fg = v('--fg', '#000');
  };
  readPalette();
  const scheme = window.matchMedia('(prefers-color-scheme: dark)');
  const onScheme = () => {
    readPalette();
    if (last) update(last);
  };
  scheme.addEventListener('change', onScheme);
  const themeObserver = new MutationObserver(onScheme);
  const app = host.closest('.app');
  if (app) themeObserver.observe(app, { attributes: true, attributeFilter: ['data-theme'] });

  function layout(l: StackLayout): void {
    const top = l.rows.addresses + 16;
    const bottom = l.rows.transports - 30;
    const w = l.width - 56;
    const h = Math.max(40, bottom - top);
    const n = order.length;
    cell = Math.max(2, Math.floor(Math.sqrt((w * h) / n)));
    while (cell > 2 && Math.ceil(n / Math.floor(w / cell)) * cell > h) cell--;
    cols = Math.max(1, Math.floor(w / cell));
    x0 = 28;
    y0 = top;
    const dpr = window.devicePixelRatio || 1;
    canvas.style.left = `${x0}px`;
    canvas.style.top = `${y0}px`;
    canvas.style.width = `${cols * cell}px`;
    canvas.style.height = `${Math.ceil(n / cols) * cell}px`;
    canvas.width = Math.round(cols * cell * dpr);
    canvas.height = Math.round(Math.ceil(n / cols) * cell * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    readPalette();
    if (last) update(last);
  }

  function update(f: Frame): void {
    last = f;
    const { ok, bad, warn, broken } = palette;
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    const counts = { ok: 0, refused: 0, waiting: 0, pending: 0, broken: 0 };
    for (let i = 0; i < order.length; i++) {
      const c = order[i]!;
      const s = f.connState[c]!;
      let fill: string;
      if (s & CONN_BROKEN) {
        fill = broken;
        counts.broken++;
      } else if (s & CONN_DEBT) {
        fill = bad;
        counts.refused++;
      } else if (s & CONN_WAITING) {
        fill = warn;
        counts.waiting++;
      } else if (s & CONN_PENDING) {
        fill = warn;
        counts.pending++;
      } else {
        fill = f.buffered[c]! > 0 ? clientColor(info.addressClient[info.connectionAddress[c]!]!) : ok;
        counts.ok++;
      }
      ctx.fillStyle = fill;
      const x = (i % cols) * cell;
      const y = Math.floor(i / cols) * cell;
      ctx.fillRect(x, y, cell - (cell > 3 ? 1 : 0), cell - (cell > 3 ? 1 : 0));
      if (i === kb) {
        ctx.strokeStyle = palette.fg;
        ctx.lineWidth = 2;
        ctx.strokeRect(x + 1, y + 1, Math.max(1, cell - 2), Math.max(1, cell - 2));
        ctx.lineWidth = 1;
      }
      if (hl.has(c)) {
        ctx.strokeStyle = palette.fg;
        ctx.strokeRect(x + 0.5, y + 0.5, cell - 1, cell - 1);
      }
    }
    canvas.dataset.refused = String(counts.refused);
    canvas.dataset.broken = String(counts.broken);
    canvas.dataset.waiting = String(counts.waiting + counts.pending);
  }

  function cellAt(ev: MouseEvent): number | null {
    const r = canvas.getBoundingClientRect();
    // On-screen px per layout px: 1, except in a small embed, which scales the whole stage down.
    const k = canvas.offsetWidth ? r.width / canvas.offsetWidth : 1;
    const i = Math.floor((ev.clientY - r.top) / k / cell) * cols + Math.floor((ev.clientX - r.left) / k / cell);
    return i >= 0 && i < order.length ? order[i]! : null;
  }
  canvas.addEventListener('mousemove', (ev) => {
    const c = cellAt(ev);
    canvas.title = c === null ? '' : `${info.connectionIds[c]!} on ${info.addressIds[info.connectionAddress[c]!]!}`;
  });
  canvas.addEventListener('keydown', (ev) => {
    const rowsOnScreen = Math.max(1, Math.floor(canvas.clientHeight / cell));
    const moves: Record<string, number> = {
      ArrowRight: kb + 1,
      ArrowLeft: kb - 1,
      ArrowDown: kb + cols,
      ArrowUp: kb - cols,
      PageDown: kb + cols * rowsOnScreen,
      PageUp: kb - cols * rowsOnScreen,
      Home: 0,
      End: order.length - 1,
    };
    if (ev.key in moves) kb = Math.max(0, Math.min(order.length - 1, kb < 0 ? 0 : moves[ev.key]!));
    else if ((ev.key === 'Enter' || ev.key === ' ') && kb >= 0) onSelect?.(order[kb]!);
    else return;
    ev.preventDefault();
    ev.stopPropagation(); // not the page's step / play keys
    canvas.setAttribute('aria-label', describe(order[kb]!));
    canvas.dataset.cursor = info.connectionIds[order[kb]!]!;
    if (last) update(last);
  });
  canvas.addEventListener('click', (ev) => {
    const c = cellAt(ev);
    ev.stopPropagation();
    if (c !== null) onSelect?.(c);
  });

  return {
    layout,
    update,
    highlight(conns) {
      hl = conns;
      if (last) update(last);
    },
    destroy() {
      scheme.removeEventListener('change', onScheme);
      themeObserver.disconnect();
      canvas.remove();
    },
  };
}
