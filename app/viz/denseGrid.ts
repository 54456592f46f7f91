// The dense level of detail (more than DENSE_THRESHOLD connections): a canvas grid, one cell per
// connection, grouped by address, coloured by state, with a key of what each colour means. The cells
// live in a pixel buffer (one pixel per cell; a frame rewrites only the cells whose colour changed)
// drawn scaled with smoothing off: one drawImage per frame, not one fillRect per connection (#10:
// 20,000 fillRects took ~17 ms per frame).
//
// From BY_ADDRESS_FROM connections on, the grid shows one column per address instead (#10's level
// of detail): under each address, how many of its connections are queued, waiting, refused, broken
// or idle. A cell of a pixel or two says little; a column per address says which clients starve.
// The key's toggle switches between the two.
import type { Frame } from '../../src/protocol/messages.ts';
import type { Topology } from '../../src/model/topology.ts';
import { CONN_BROKEN, CONN_DEBT, CONN_PENDING, CONN_WAITING } from '../../src/model/connState.ts';
import { denseGridBox, type StackLayout } from './layout.ts';
import { clientColor } from './colors.ts';
import { ROW_LABELS_MIN_WIDTH } from './stackGeometry.ts';

/** From this many connections the grid starts by address (a cell would be a pixel or two on a laptop's stage). */
export const BY_ADDRESS_FROM = 8_192;

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
const DENSE_STATES = [
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

/** A column's states, bottom up (indexes into its counts): queued sits next to the pool it fills. */
const COL_QUEUED = 0;
const COL_WAITING = 1;
const COL_REFUSED = 2;
const COL_BROKEN = 3;
const COL_IDLE = 4;
const COL_STATES = 5;
const COL_NAMES = ['queued', 'waiting', 'refused', 'broken', 'idle'] as const;

export function createDenseGrid(
  host: HTMLElement,
  info: Topology,
  onSelect?: (c: number) => void,
  onSelectAddress?: (a: number) => void,
): DenseGrid {
  const canvas = document.createElement('canvas');
  canvas.className = 'dense-grid';
  // Reachable from the keyboard like the connections of the full view: arrow keys move a cell
  // cursor (PageUp/PageDown by a screen, Home/End), Enter selects that connection for the inspector.
  canvas.tabIndex = 0;
  canvas.setAttribute('role', 'application');
  canvas.setAttribute('aria-roledescription', 'grid of connections');
  const nAddr = info.addressIds.length;
  const connsOfAddress = new Int32Array(nAddr);
  for (let c = 0; c < info.connectionIds.length; c++) connsOfAddress[info.connectionAddress[c]!]!++;
  /** Per address, its connections in each column state (COL_*), as last drawn. */
  const colCounts = new Int32Array(nAddr * COL_STATES);
  const colNext = new Int32Array(nAddr * COL_STATES);
  const columnText = (a: number): string => {
    const parts = COL_NAMES.map((name, s) => `${colCounts[a * COL_STATES + s]!.toLocaleString('en-US')} ${name}`);
    return `${info.addressIds[a]!} (client ${info.clientIds[info.addressClient[a]!]!}): ${connsOfAddress[a]!.toLocaleString('en-US')} connections, ${parts.join(', ')}`;
  };
  let byAddress = info.connectionIds.length >= BY_ADDRESS_FROM;
  const describe = (): string => {
    if (byAddress) {
      return (
        `${nAddr} addresses, one column each: how many of their connections are queued, waiting, refused, broken or idle. Arrow keys move between addresses, Enter selects.` +
        (kbAddr < 0 ? '' : ` On ${columnText(columnOrder[kbAddr]!)}.`)
      );
    }
    const c = kb < 0 ? null : order[kb]!;
    return (
      `${info.connectionIds.length} connections, one cell each, coloured by state. Arrow keys move between cells, Enter selects.` +
      (c === null ? '' : ` On ${info.connectionIds[c]!} of ${info.addressIds[info.connectionAddress[c]!]!}.`)
    );
  };
  canvas.dataset.connections = String(info.connectionIds.length);
  host.appendChild(canvas);
  const ctx = canvas.getContext('2d')!;

  // The key: what each colour means (the swatches carry a border, so each shows on either theme),
  // and the switch between a cell per connection and a column per address.
  const key = document.createElement('ul');
  key.className = 'dense-key';
  key.setAttribute('aria-label', 'Key of the grid of connections');
  key.innerHTML =
    `<li><button type="button" class="chip lod-toggle" aria-pressed="false">by address</button></li>` +
    DENSE_STATES.map(([cls, label]) => `<li><span class="swatch ${cls}" aria-hidden="true"></span>${label}</li>`).join('');
  host.appendChild(key);
  const toggle = key.querySelector<HTMLButtonElement>('button.lod-toggle')!;
  toggle.title = 'One column per address (how many of its connections are in each state) instead of one cell per connection';
  toggle.addEventListener('click', (ev) => {
    ev.stopPropagation(); // not a click on the stage
    setByAddress(!byAddress);
  });

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
  /** Addresses left to right (their columns' order), each column's centre and the columns' width (CSS px). */
  const columnOrder = Int32Array.from(info.addressIds.map((_, a) => a));
  const columnX = new Float64Array(nAddr);
  let columnW = 8;
  /** The keyboard's column (an index into `columnOrder`), or -1. */
  let kbAddr = -1;
  let gridW = 1;
  let gridH = 1;
  let lastLayout: { l: StackLayout; pxPerUnit: number } | null = null;

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

  function setByAddress(on: boolean): void {
    byAddress = on;
    toggle.setAttribute('aria-pressed', String(on));
    canvas.dataset.lod = on ? 'address' : 'connection';
    canvas.setAttribute('aria-roledescription', on ? 'columns of addresses' : 'grid of connections');
    canvas.setAttribute('aria-label', describe());
    if (lastLayout) layout(lastLayout.l, lastLayout.pxPerUnit);
  }

  function layout(l: StackLayout, pxPerUnit = 1): void {
    lastLayout = { l, pxPerUnit };
    const box = denseGridBox(l, pxPerUnit);
    // The key sits on the caption line, right-aligned, clear of the row's caption where there is
    // one; if it wraps (a narrow stage) the grid moves down.
    key.style.paddingLeft = l.width / pxPerUnit >= ROW_LABELS_MIN_WIDTH ? `${96 * pxPerUnit}px` : '0';
    key.style.fontSize = `${11 * pxPerUnit}px`; // the key's text scales with the stage's
    key.style.left = `${box.left}px`;
    key.style.top = `${box.captionTop}px`;
    key.style.width = `${box.width}px`;
    const keyH = key.offsetHeight; // once per layout, not per frame
    const top = box.captionTop + Math.max(box.captionHeight, keyH) + 4;
    const w = box.width;
    const h = Math.max(40, box.bottom - top);
    gridW = w;
    gridH = h;
    const dpr = window.devicePixelRatio || 1;
    canvas.style.left = `${box.left}px`;
    canvas.style.top = `${top}px`;
    if (byAddress) {
      // Each column under its address (the layout's address centres, in layout units).
      for (let a = 0; a < nAddr; a++) columnX[a] = l.addresses[a]!.x * pxPerUnit - box.left;
      columnOrder.sort((a, b) => columnX[a]! - columnX[b]! || a - b);
      let gap = w;
      for (let i = 1; i < nAddr; i++) gap = Math.min(gap, columnX[columnOrder[i]!]! - columnX[columnOrder[i - 1]!]!);
      columnW = Math.max(1, Math.min(48, Math.floor(gap * 0.75)));
      canvas.style.width = `${w}px`;
      canvas.style.height = `${h}px`;
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(h * dpr);
      colCounts.fill(-1); // drawn again whole
      readPalette();
      if (last) update(last);
      return;
    }
    // Down to one pixel per connection (20,000 of them on a small stage) rather than overflow the
    // row onto the pool below.
    cell = Math.max(1, Math.floor(Math.sqrt((w * h) / n)));
    while (cell > 1 && Math.ceil(n / Math.floor(w / cell)) * cell > h) cell--;
    cols = Math.max(1, Math.floor(w / cell));
    rowsN = Math.ceil(n / cols);
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
    if (byAddress) colNext.fill(0);
    for (let i = 0; i < n; i++) {
      const c = order[i]!;
      const s = state[c]!;
      let k: number;
      let col: number;
      if (s & CONN_BROKEN) {
        k = BROKEN;
        col = COL_BROKEN;
        broken++;
      } else if (s & CONN_DEBT) {
        k = REFUSED;
        col = COL_REFUSED;
        refused++;
      } else if (s & (CONN_WAITING | CONN_PENDING)) {
        k = WAITING;
        col = COL_WAITING;
        waiting++;
      } else if (buffered[c]! > 0) {
        k = CLIENT0 + clientOfCell[i]!;
        col = COL_QUEUED;
      } else {
        k = IDLE;
        col = COL_IDLE;
      }
      if (byAddress) {
        colNext[info.connectionAddress[c]! * COL_STATES + col]!++;
        continue;
      }
      if (shown[i] !== k) {
        shown[i] = k;
        pixels[i] = palette[k]!;
        const row = (i / cols) | 0;
        if (row < minRow) minRow = row;
        if (row > maxRow) maxRow = row;
      }
    }
    if (byAddress) {
      let changed = overlayChanged;
      for (let i = 0; i < colNext.length; i++) {
        if (colCounts[i] !== colNext[i]) {
          colCounts[i] = colNext[i]!;
          changed = true;
        }
      }
      if (changed) paintColumns();
    } else {
      if (maxRow >= 0) bctx.putImageData(image, 0, 0, 0, minRow, cols, maxRow - minRow + 1);
      if (maxRow >= 0 || overlayChanged) paint();
    }
    // Written only when they change (no attribute write per frame).
    if (counts.refused !== refused) canvas.dataset.refused = String((counts.refused = refused));
    if (counts.broken !== broken) canvas.dataset.broken = String((counts.broken = broken));
    if (counts.waiting !== waiting) canvas.dataset.waiting = String((counts.waiting = waiting));
  }

  /**
   * One column per address, its connections' states stacked bottom up (queued in the client's
   * colour, waiting, refused, broken, idle), heights in proportion; highlighted addresses (those of
   * the highlighted connections) and the keyboard's column outlined.
   */
  function paintColumns(): void {
    const dpr = window.devicePixelRatio || 1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, gridW, gridH);
    const hlAddr = new Set<number>();
    for (const c of hl) hlAddr.add(info.connectionAddress[c]!);
    const colour = (a: number, s: number): number =>
      s === COL_QUEUED ? CLIENT0 + info.addressClient[a]! : s === COL_WAITING ? WAITING : s === COL_REFUSED ? REFUSED : s === COL_BROKEN ? BROKEN : IDLE;
    for (let a = 0; a < nAddr; a++) {
      const total = connsOfAddress[a]!;
      if (total === 0) continue;
      const x = Math.round(columnX[a]! - columnW / 2);
      let y = gridH;
      let below = 0;
      for (let s = 0; s < COL_STATES; s++) {
        const count = colCounts[a * COL_STATES + s]!;
        if (count <= 0) continue;
        below += count;
        // Whole pixels from the running total: the states add up to the column's height exactly.
        const top = Math.round(gridH * (1 - below / total));
        ctx.fillStyle = css(palette[colour(a, s)]!);
        ctx.fillRect(x, top, columnW, y - top);
        y = top;
      }
    }
    ctx.strokeStyle = fg;
    for (const a of hlAddr) ctx.strokeRect(Math.round(columnX[a]! - columnW / 2) - 1.5, 0.5, columnW + 3, gridH - 1);
    if (kbAddr >= 0) {
      const a = columnOrder[kbAddr]!;
      ctx.lineWidth = 2;
      ctx.strokeRect(Math.round(columnX[a]! - columnW / 2) - 3, 1, columnW + 6, gridH - 2);
      ctx.lineWidth = 1;
    }
  }

  /** An RGBA pixel (as the palette holds them) as a CSS colour. */
  function css(px: number): string {
    return `rgb(${px & 0xff},${(px >>> 8) & 0xff},${(px >>> 16) & 0xff})`;
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
  /** The address whose column is under the pointer (within half a gap of it), or null. */
  function columnAt(ev: MouseEvent): number | null {
    const r = canvas.getBoundingClientRect();
    const k = canvas.offsetWidth ? r.width / canvas.offsetWidth : 1;
    const x = (ev.clientX - r.left) / k;
    let best: number | null = null;
    let bestD = Infinity;
    for (let a = 0; a < nAddr; a++) {
      const d = Math.abs(columnX[a]! - x);
      if (d < bestD) [best, bestD] = [a, d];
    }
    return bestD <= columnW ? best : null;
  }
  canvas.addEventListener('mousemove', (ev) => {
    if (byAddress) {
      const a = columnAt(ev);
      canvas.title = a === null ? '' : columnText(a);
      return;
    }
    const c = cellAt(ev);
    canvas.title = c === null ? '' : `${info.connectionIds[c]!} on ${info.addressIds[info.connectionAddress[c]!]!}`;
  });
  canvas.addEventListener('keydown', (ev) => {
    if (byAddress) return columnKey(ev);
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
    if (ev.key in moves) kb = Math.max(0, Math.min(order.length - 1, kb < 0 && ev.key !== 'End' ? 0 : moves[ev.key]!));
    else if ((ev.key === 'Enter' || ev.key === ' ') && kb >= 0) onSelect?.(order[kb]!);
    else return;
    ev.preventDefault();
    ev.stopPropagation(); // not the page's step / play keys
    canvas.setAttribute('aria-label', describe());
    canvas.dataset.cursor = info.connectionIds[order[kb]!]!;
    if (last) update(last, true);
  });
  /** By address: ←/→ (and Home/End) move between columns, Enter selects the address. */
  function columnKey(ev: KeyboardEvent): void {
    const moves: Record<string, number> = { ArrowRight: kbAddr + 1, ArrowLeft: kbAddr - 1, Home: 0, End: nAddr - 1 };
    if (ev.key in moves) kbAddr = Math.max(0, Math.min(nAddr - 1, kbAddr < 0 && ev.key !== 'End' ? 0 : moves[ev.key]!));
    else if ((ev.key === 'Enter' || ev.key === ' ') && kbAddr >= 0) onSelectAddress?.(columnOrder[kbAddr]!);
    else return;
    ev.preventDefault();
    ev.stopPropagation();
    canvas.setAttribute('aria-label', describe());
    canvas.dataset.cursor = info.addressIds[columnOrder[kbAddr]!]!;
    if (last) update(last, true);
  }
  canvas.addEventListener('click', (ev) => {
    ev.stopPropagation();
    if (byAddress) {
      const a = columnAt(ev);
      if (a !== null) onSelectAddress?.(a);
      return;
    }
    const c = cellAt(ev);
    if (c !== null) onSelect?.(c);
  });
  setByAddress(byAddress);

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
