// The dense level of detail (more than DENSE_THRESHOLD connections): a canvas grid, one cell per
// connection, grouped by address, coloured by state, with a key of what each colour means. The cells
// live in a pixel buffer (one pixel per cell; a frame rewrites only the cells whose colour changed)
// drawn scaled with smoothing off: one drawImage per frame, not one fillRect per connection (#10:
// 20,000 fillRects took ~17 ms per frame).
import type { Frame } from '../../src/protocol/messages.ts';
import type { Topology } from '../../src/model/topology.ts';
import { CONN_BROKEN, CONN_DEBT, CONN_PENDING, CONN_WAITING } from '../../src/model/engine.ts';
import { denseGridBox, type StackLayout } from './layout.ts';
import { clientColor } from './colors.ts';
import { ROW_LABELS_MIN_WIDTH } from './stackGeometry.ts';

export interface DenseGrid {
  /** `l` in screen pixels; `pxPerUnit` the stage's scale from layout units to them. */
  layout(l: StackLayout, pxPerUnit?: number): void;
  update(f: Frame): void;
  highlight(conns: Set<number>): void;
  destroy(): void;
}

/**
 * The states a cell shows, in the key's order (class, label): queued is drawn in the client's colour,
 * waiting is for SendPossible or a pending send, refused is owed a SendPossible (the Legend says more).
 */
export const DENSE_STATES = [
  ['idle', 'idle'],
  ['sending', 'queued'],
  ['waiting', 'waiting'],
  ['refused', 'refused'],
  ['broken', 'broken'],
] as const;

const IDLE = 0;
const WAITING = 1;
const REFUSED = 2;
const BROKEN = 3;
/** Colour indexes from here on are client colours (sending). */
const CLIENT0 = 4;
const UNSET = 255;

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

  // The key: what each colour means (the swatches carry a border, so each shows on either theme).
  const key = document.createElement('ul');
  key.className = 'dense-key';
  key.setAttribute('aria-label', 'Key of the grid of connections');
  key.innerHTML = DENSE_STATES.map(([cls, label]) => `<li><span class="swatch ${cls}" aria-hidden="true"></span>${label}</li>`).join('');
  host.appendChild(key);

  // Cells in address order (addresses in client order), so a client's connections sit together.
  const order = info.connectionIds.map((_, c) => c).sort((a, b) => info.connectionAddress[a]! - info.connectionAddress[b]! || a - b);
  const n = order.length;
  const cellOf = new Int32Array(info.connectionIds.length);
  order.forEach((c, i) => (cellOf[c] = i));
  const clientOfCell = Uint16Array.from(order, (c) => info.addressClient[info.connectionAddress[c]!]!);
  let cols = 1;
  let rowsN = 1;
  let cell = 4;
  let last: Frame | null = null;
  let hl = new Set<number>();
  /** The keyboard's cell (an index into `order`), or -1. */
  let kb = -1;

  // The pixel buffer: one pixel per cell, rewritten only where a cell's colour changed.
  const buffer = document.createElement('canvas');
  const bctx = buffer.getContext('2d')!;
  let image = bctx.createImageData(1, 1);
  let pixels = new Uint32Array(image.data.buffer);
  const shown = new Uint8Array(n).fill(UNSET);
  /** Gaps between cells, cut out of the scaled image (drawn once per layout). */
  const gaps = document.createElement('canvas');
  let hasGaps = false;
  const counts = { refused: -1, broken: -1, waiting: -1 };

  // Theme colours as RGBA pixels, read once per layout (and on a theme change), not per frame.
  let palette = new Uint32Array(CLIENT0 + info.clientIds.length);
  let fg = '#000';
  /** '#rrggbb' (as styles.css and the client palette write colours) → an opaque RGBA pixel. */
  const rgba = (css: string): number => {
    const v = /^#[0-9a-f]{6}$/i.test(css) ? parseInt(css.slice(1), 16) : 0x808080;
    return (0xff000000 | ((v & 0xff) << 16) | (v & 0xff00) | (v >> 16)) >>> 0;
  };
  const readPalette = () => {
    const styles = getComputedStyle(host);
    const v = (name: string, fallback: string) => styles.getPropertyValue(name).trim() || fallback;
    palette = new Uint32Array(CLIENT0 + info.clientIds.length);
    palette[IDLE] = rgba(v('--cell-ok', '#9aa4b2'));
    palette[WAITING] = rgba(v('--warn', '#bf8700'));
    palette[REFUSED] = rgba(v('--bad', '#d1242f'));
    palette[BROKEN] = rgba(v('--muted', '#6e7781'));
    for (let k = 0; k < info.clientIds.length; k++) palette[CLIENT0 + k] = rgba(clientColor(k));
    fg = v('--fg', '#000');
    shown.fill(UNSET); // every cell is rewritten in the new colours
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

  function layout(l: StackLayout, pxPerUnit = 1): void {
    const box = denseGridBox(l, pxPerUnit);
    // The key sits on the caption line, right-aligned, clear of the row's caption where there is
    // one; if it wraps (a narrow stage) the grid moves down.
    key.style.paddingLeft = l.width / pxPerUnit >= ROW_LABELS_MIN_WIDTH ? `${96 * pxPerUnit}px` : '0';
    key.style.left = `${box.left}px`;
    key.style.top = `${box.captionTop}px`;
    key.style.width = `${box.width}px`;
    const keyH = key.offsetHeight; // once per layout, not per frame
    const top = box.captionTop + Math.max(box.captionHeight, keyH) + 4;
    const w = box.width;
    const h = Math.max(40, box.bottom - top);
    // Down to one pixel per connection (20,000 of them on a small stage) rather than overflow the
    // row onto the pool below.
    cell = Math.max(1, Math.floor(Math.sqrt((w * h) / n)));
    while (cell > 1 && Math.ceil(n / Math.floor(w / cell)) * cell > h) cell--;
    cols = Math.max(1, Math.floor(w / cell));
    rowsN = Math.ceil(n / cols);
    const dpr = window.devicePixelRatio || 1;
    canvas.style.left = `${box.left}px`;
    canvas.style.top = `${top}px`;
    canvas.style.width = `${cols * cell}px`;
    canvas.style.height = `${rowsN * cell}px`;
    canvas.width = Math.round(cols * cell * dpr);
    canvas.height = Math.round(rowsN * cell * dpr);
    buffer.width = cols;
    buffer.height = rowsN;
    image = bctx.createImageData(cols, rowsN);
    pixels = new Uint32Array(image.data.buffer);
    // A one-pixel (CSS) gap between cells when they are big enough to spare it.
    hasGaps = cell > 3;
    gaps.width = canvas.width;
    gaps.height = canvas.height;
    if (hasGaps) {
      const g = gaps.getContext('2d')!;
      g.setTransform(dpr, 0, 0, dpr, 0, 0);
      g.fillStyle = '#000';
      for (let x = 1; x <= cols; x++) g.fillRect(x * cell - 1, 0, 1, rowsN * cell);
      for (let y = 1; y <= rowsN; y++) g.fillRect(0, y * cell - 1, cols * cell, 1);
    }
    readPalette();
    if (last) update(last);
  }

  function update(f: Frame, overlayChanged = false): void {
    last = f;
    const state = f.connState;
    const buffered = f.buffered;
    let minRow = rowsN;
    let maxRow = -1;
    let refused = 0;
    let broken = 0;
    let waiting = 0;
    for (let i = 0; i < n; i++) {
      const c = order[i]!;
      const s = state[c]!;
      let k: number;
      if (s & CONN_BROKEN) {
        k = BROKEN;
        broken++;
      } else if (s & CONN_DEBT) {
        k = REFUSED;
        refused++;
      } else if (s & (CONN_WAITING | CONN_PENDING)) {
        k = WAITING;
        waiting++;
      } else k = buffered[c]! > 0 ? CLIENT0 + clientOfCell[i]! : IDLE;
      if (shown[i] !== k) {
        shown[i] = k;
        pixels[i] = palette[k]!;
        const row = (i / cols) | 0;
        if (row < minRow) minRow = row;
        if (row > maxRow) maxRow = row;
      }
    }
    if (maxRow >= 0) bctx.putImageData(image, 0, 0, 0, minRow, cols, maxRow - minRow + 1);
    if (maxRow >= 0 || overlayChanged) paint();
    // Written only when they change (no attribute write per frame).
    if (counts.refused !== refused) canvas.dataset.refused = String((counts.refused = refused));
    if (counts.broken !== broken) canvas.dataset.broken = String((counts.broken = broken));
    if (counts.waiting !== waiting) canvas.dataset.waiting = String((counts.waiting = waiting));
  }

  /** The buffer scaled up (no smoothing), the gaps cut out, then the highlight and the cursor. */
  function paint(): void {
    const dpr = window.devicePixelRatio || 1;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.globalCompositeOperation = 'source-over';
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(buffer, 0, 0, canvas.width, canvas.height);
    if (hasGaps) {
      ctx.globalCompositeOperation = 'destination-out';
      ctx.drawImage(gaps, 0, 0);
      ctx.globalCompositeOperation = 'source-over';
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.strokeStyle = fg;
    for (const c of hl) {
      const i = cellOf[c]!;
      ctx.strokeRect((i % cols) * cell + 0.5, Math.floor(i / cols) * cell + 0.5, cell - 1, cell - 1);
    }
    if (kb >= 0) {
      ctx.lineWidth = 2;
      ctx.strokeRect((kb % cols) * cell + 1, Math.floor(kb / cols) * cell + 1, Math.max(1, cell - 2), Math.max(1, cell - 2));
      ctx.lineWidth = 1;
    }
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
    if (last) update(last, true);
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
      if (last) update(last, true);
    },
    destroy() {
      scheme.removeEventListener('change', onScheme);
      themeObserver.disconnect();
      canvas.remove();
      key.remove();
    },
  };
}
