// What the Embed… dialog writes: the <tdi-flow-lab> element (and a plain iframe, and React) for what is
// on screen — preset or scenario, time, speed, theme. Pure, so it is unit-tested; docs/embedding.md
// documents the same attributes.
export interface SnippetInput {
  /** Where the app is served (the page's own address): embed.js and embed.html sit next to it. */
  appUrl: string;
  preset: string | null;
  /** `scenario=…` from a share link, when the scenario on screen is not a preset as it ships. */
  fragment: string | null;
  /**
   * The lesson open in the app (#8): a built-in's name, or `{ packed }` for a lesson document (as a
   * lesson link packs it). A lesson brings its own scenario and owns the time: preset, t and the
   * scenario fragment are left out.
   */
  lesson?: string | { packed: string } | null;
  timeUs: number;
  speed: number;
  theme: 'light' | 'dark' | 'auto';
  controls: 'none' | 'minimal' | 'full';
  autoplay: boolean;
  width: number;
  height: number;
}

export interface Snippets {
  html: string;
  iframe: string;
  react: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function embedSnippets(i: SnippetInput): Snippets {
  const base = new URL('.', i.appUrl);
  const script = new URL('embed.js', base).toString();
  const attrs: [string, string | null][] = [];
  const lesson = i.lesson ?? null;
  if (typeof lesson === 'string') attrs.push(['lesson', lesson]);
  if (i.preset && !lesson) attrs.push(['preset', i.preset]);
  if (i.timeUs > 0 && !lesson) attrs.push(['t', String(Math.round(i.timeUs))]);
  attrs.push(['speed', String(i.speed)]);
  if (i.theme !== 'auto') attrs.push(['theme', i.theme]);
  if (i.controls !== 'full') attrs.push(['controls', i.controls]);
  if (i.autoplay) attrs.push(['autoplay', null]);
  const fragment = lesson ? (typeof lesson === 'string' ? null : `lesson=${lesson.packed}`) : i.fragment;
  if (fragment) attrs.push(['fragment', fragment]);
  const attrText = attrs.map(([k, v]) => (v === null ? k : `${k}="${esc(v)}"`)).join(' ');
  const style = `width: 100%; max-width: ${i.width}px; height: ${i.height}px`;
  const html = `<script src="${script}" defer></script>\n<tdi-flow-lab ${attrText} style="${style}"></tdi-flow-lab>`;

  const q = new URLSearchParams();
  for (const [k, v] of attrs) if (k !== 'fragment') q.set(k, v ?? '');
  const src = new URL(`embed.html?${q.toString().replace(/=(&|$)/g, '$1')}`, base);
  if (fragment) src.hash = fragment;
  const iframe = `<iframe src="${esc(src.toString())}" title="TDI Flow Lab" width="${i.width}" height="${i.height}" style="border: 0; max-width: 100%"></iframe>`;

  const jsxAttrs = attrs.map(([k, v]) => (v === null ? k : `${k}="${esc(v)}"`)).join(' ');
  const react = `// Once per page (index.html): <script src="${script}" defer></script>\nexport function FlowLab() {\n  return <tdi-flow-lab ${jsxAttrs} style={{ display: 'block', maxWidth: ${i.width}, height: ${i.height} }} />;\n}`;
  return { html, iframe, react };
}
