// Pictures of what is on screen: the stage or one chart as a standalone SVG (every element's computed
// style copied onto the clone, so it looks the same outside the page, in either theme) and as a PNG
// (that SVG drawn onto a canvas). The dense grid of the stress preset is a canvas: it goes in as an image.

export interface PictureTarget {
  /** 'stage', or a chart: 'pool', 'rates', 'share', 'fair', 'waits' ('pool-2' … for more transports). */
  id: string;
  label: string;
}

/** The SVG properties worth carrying over, with the value that need not be written. */
const PROPS: [string, string | null][] = [
  ['fill', null],
  ['fill-opacity', '1'],
  ['fill-rule', 'nonzero'],
  ['stroke', 'none'],
  ['stroke-width', '1px'],
  ['stroke-opacity', '1'],
  ['stroke-dasharray', 'none'],
  ['stroke-dashoffset', '0px'],
  ['stroke-linecap', 'butt'],
  ['stroke-linejoin', 'miter'],
  ['opacity', '1'],
  ['font-family', null],
  ['font-size', null],
  ['font-weight', '400'],
  ['font-style', 'normal'],
  ['font-variant-numeric', 'normal'],
  ['text-anchor', 'start'],
  ['dominant-baseline', 'auto'],
  ['letter-spacing', 'normal'],
  ['paint-order', 'normal'],
  ['visibility', 'visible'],
  ['color', null],
  ['filter', 'none'],
];

const SVG_NS = 'http://www.w3.org/2000/svg';

function chartFigures(): { id: string; label: string; svg: SVGSVGElement }[] {
  const out: { id: string; label: string; svg: SVGSVGElement }[] = [];
  const seen = new Map<string, number>();
  for (const fig of document.querySelectorAll<HTMLElement>('[data-testid="charts"] figure.chart')) {
    const svg = fig.querySelector('svg');
    if (!svg) continue;
    const kind = [...fig.classList].find((c) => c !== 'chart') ?? 'chart';
    const n = (seen.get(kind) ?? 0) + 1;
    seen.set(kind, n);
    out.push({ id: n === 1 ? kind : `${kind}-${n}`, label: fig.querySelector('figcaption')?.textContent ?? kind, svg });
  }
  return out;
}

/** What can be pictured now: the stage and each chart on the page. */
export function pictureTargets(): PictureTarget[] {
  const stage = document.querySelector('[data-testid="stack"] svg.stack') ? [{ id: 'stage', label: 'The stage (driver stack)' }] : [];
  return [...stage, ...chartFigures().map(({ id, label }) => ({ id, label: `Chart: ${label}` }))];
}

/** Copies each element's computed style onto its clone; drops what is not displayed. */
function inlineStyles(source: Element, clone: Element): void {
  const from = [source, ...source.querySelectorAll('*')];
  const to = [clone, ...clone.querySelectorAll('*')];
  const gone: Element[] = [];
  from.forEach((el, i) => {
    const c = to[i];
    if (!c) return;
    const cs = getComputedStyle(el);
    if (cs.display === 'none') {
      gone.push(c);
      return;
    }
    const style: string[] = [];
    for (const [prop, skip] of PROPS) {
      const v = cs.getPropertyValue(prop);
      if (v && v !== skip) style.push(`${prop}:${v}`);
    }
    // CSS that changes the text itself, not its paint: applied to the text, as the page shows it.
    const tt = cs.getPropertyValue('text-transform');
    if ((tt === 'uppercase' || tt === 'lowercase') && (el.nodeName === 'text' || el.nodeName === 'tspan')) {
      for (const n of c.childNodes) if (n.nodeType === Node.TEXT_NODE) n.textContent = tt === 'uppercase' ? n.textContent!.toUpperCase() : n.textContent!.toLowerCase();
    }
    c.removeAttribute('class');
    if (style.length) c.setAttribute('style', style.join(';'));
    else c.removeAttribute('style');
  });
  for (const c of gone) c.remove();
  // Interaction leftovers mean nothing in a file.
  for (const c of clone.querySelectorAll('[tabindex], [role]')) {
    c.removeAttribute('tabindex');
    c.removeAttribute('role');
  }
}

function themeVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/** A standalone SVG document of the stage or a chart, with a heading line (caption, scenario and time). */
export function pictureSvg(target: string, heading: string): { svg: string; width: number; height: number } {
  let source: SVGSVGElement | null;
  let caption = heading;
  let chartLabel = '';
  let overlay: HTMLCanvasElement | null = null;
  if (target === 'stage') {
    source = document.querySelector<SVGSVGElement>('[data-testid="stack"] svg.stack');
    overlay = document.querySelector<HTMLCanvasElement>('[data-testid="stack"] canvas.dense-grid');
  } else {
    const fig = chartFigures().find((f) => f.id === target);
    source = fig?.svg ?? null;
    if (fig) {
      chartLabel = fig.label;
      caption = `${fig.label} — ${heading}`;
    }
  }
  if (!source) throw new Error(`There is no picture "${target}" on the page (try ${pictureTargets().map((t) => t.id).join(', ') || 'again once a scenario is loaded'}).`);
  const box = source.getBoundingClientRect();
  const bodyWidth = Math.max(1, Math.round(box.width));
  const bodyHeight = Math.max(1, Math.round(box.height));
  // A chart is narrow: its caption and the scenario go on two lines, and the picture is as wide as they need.
  const fontFamily = getComputedStyle(document.documentElement).fontFamily;
  const lines = target === 'stage' ? [{ text: caption, size: 13, weight: 600 }] : [{ text: chartLabel, size: 12, weight: 600 }, { text: heading, size: 11, weight: 400 }];
  const measure = document.createElement('canvas').getContext('2d');
  const textWidth = (l: (typeof lines)[number]): number => {
    if (!measure) return l.text.length * l.size * 0.6;
    measure.font = `${l.weight} ${l.size}px ${fontFamily}`;
    return measure.measureText(l.text).width;
  };
  const width = Math.max(bodyWidth, Math.ceil(Math.max(...lines.map(textWidth)) + 20));
  const head = 10 + lines.reduce((a, l) => a + l.size + 5, 0);
  const height = bodyHeight + head;
  const clone = source.cloneNode(true) as SVGSVGElement;
  inlineStyles(source, clone);
  const viewBox = source.getAttribute('viewBox') ?? `0 0 ${bodyWidth} ${bodyHeight}`;
  clone.setAttribute('x', '0');
  clone.setAttribute('y', String(head));
  clone.setAttribute('width', String(bodyWidth));
  clone.setAttribute('height', String(bodyHeight));
  clone.setAttribute('viewBox', viewBox);
  clone.removeAttribute('style');
  if (overlay) {
    // The dense grid is drawn on a canvas over the SVG: a picture of its pixels, where it sits.
    const o = overlay.getBoundingClientRect();
    const img = document.createElementNS(SVG_NS, 'image');
    img.setAttribute('href', overlay.toDataURL('image/png'));
    img.setAttribute('x', String(Math.round(o.left - box.left)));
    img.setAttribute('y', String(Math.round(o.top - box.top)));
    img.setAttribute('width', String(Math.round(o.width)));
    img.setAttribute('height', String(Math.round(o.height)));
    clone.insertBefore(img, clone.firstChild);
  }
  const root = document.createElementNS(SVG_NS, 'svg');
  root.setAttribute('xmlns', SVG_NS);
  root.setAttribute('width', String(width));
  root.setAttribute('height', String(height));
  root.setAttribute('viewBox', `0 0 ${width} ${height}`);
  root.setAttribute('font-family', fontFamily);
  const bg = document.createElementNS(SVG_NS, 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', themeVar('--panel', '#ffffff'));
  const desc = document.createElementNS(SVG_NS, 'title');
  desc.textContent = caption;
  root.append(desc, bg);
  let y = 4;
  lines.forEach((l, i) => {
    y += l.size + 5;
    const t = document.createElementNS(SVG_NS, 'text');
    t.setAttribute('x', '10');
    t.setAttribute('y', String(y - 4));
    t.setAttribute('font-size', String(l.size));
    t.setAttribute('font-weight', String(l.weight));
    t.setAttribute('fill', themeVar(i === 0 ? '--fg' : '--muted', i === 0 ? '#1b1f24' : '#6a737d'));
    t.textContent = l.text;
    root.append(t);
  });
  root.append(clone);
  return { svg: '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(root) + '\n', width, height };
}

/** The SVG drawn onto a canvas, `scale` pixels per CSS pixel. */
export async function svgToPng(svg: string, width: number, height: number, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('This browser cannot draw a PNG here (no 2D canvas).');
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('The PNG could not be made.'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Saves a Blob as a download through an <a download>. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // The browser has the file by the time the click returns; the URL can go a little later.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
