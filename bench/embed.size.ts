// The embed's first load (issue 9, issue 19: at most 80 KB gzip of JS + CSS before the first frame, the worker
// included): what dist/embed.html loads — its scripts, module preloads and stylesheets, the JS chunks
// those import statically, and the simulation worker they start — gzipped as a server would send them.
// Chunks loaded later (panels=, the API's code after the first frame) are listed apart. Run after a build.
import { execFileSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

/** Issue 19: the embed's first load at most 80 KB gzip (it was 100 KB in issue 9). */
export const EMBED_BUDGET_BYTES = 80 * 1024;

export interface EmbedSize {
  files: { file: string; raw: number; gzip: number }[];
  later: { file: string; raw: number; gzip: number }[];
  total: number;
}

export function measureEmbed(dist = 'dist'): EmbedSize {
  return measurePage(dist, 'embed.html');
}

/** A built page's first load (as above): what its HTML loads, their static imports, the worker and its preset. */
export function measurePage(dist: string, page: string): EmbedSize {
  const htmlPath = join(dist, page);
  if (!existsSync(htmlPath)) throw new Error(`${htmlPath} is missing: run \`vite build\` first`);
  const html = readFileSync(htmlPath, 'utf8');
  const first = new Set<string>();
  const later = new Set<string>();
  for (const m of html.matchAll(/<(?:script|link)\b[^>]*?(?:src|href)="(?:\.?\/)?([^"]+\.(?:js|css))"/g)) first.add(m[1]!);
  // Static imports and the worker of each first-load chunk; dynamic imports are "later".
  const queue = [...first].filter((f) => f.endsWith('.js'));
  /** Chunks the worker imports: the preset it loads first is one of them. */
  const fromWorker = new Set<string>();
  const seen = new Set(queue);
  while (queue.length) {
    const f = queue.shift()!;
    const code = readFileSync(join(dist, f), 'utf8');
    const dir = f.slice(0, f.lastIndexOf('/') + 1);
    for (const m of code.matchAll(/(?:^|[;}\s])import\s*(?:[\w${}*,\s]+from\s*)?["']\.\/([^"']+\.js)["']/g)) add(dir + m[1]!, first);
    for (const m of code.matchAll(/["'`](?:\/?assets\/|\.\/)?(sim\.worker-[\w-]+\.js)["'`]/g)) add('assets/' + m[1]!, first);
    for (const m of code.matchAll(/import\(["'`]\.\/([^"'`]+\.js)["'`]\)|["'`]assets\/([^"'`]+\.(?:js|css))["'`]/g)) {
      const name = m[1] ? dir + m[1] : 'assets/' + m[2]!;
      if (!first.has(name)) later.add(name);
      if (/sim\.worker-/.test(f)) fromWorker.add(name);
    }
  }
  function add(name: string, set: Set<string>) {
    set.add(name);
    if (!seen.has(name) && name.endsWith('.js')) {
      seen.add(name);
      queue.push(name);
    }
  }
  // Presets are chunks of their own, imported when picked; the one an embed shows by default is
  // fetched (by the worker) before its first frame, so it counts. The page's own copy of the preset
  // loaders (a lesson's validator reads presets) is fetched only when a lesson is opened.
  for (const f of later) {
    if (/^assets\/basics-[\w-]+\.js$/.test(f) && fromWorker.has(f)) {
      later.delete(f);
      first.add(f);
    }
  }
  const size = (file: string) => gzipSize(dist, file);
  const files = [...first].map(size);
  return { files, later: [...later].filter((f) => !first.has(f) && existsSync(join(dist, f))).map(size), total: files.reduce((s, f) => s + f.gzip, 0) };
}

/**
 * A file as a server sends it compressed: `gzip -9c`, the very command the before-stop check runs (so
 * its figure and this one agree to the byte), or Node's zlib at level 9 where there is no gzip.
 */
export function gzipSize(dist: string, file: string): { file: string; raw: number; gzip: number } {
  const path = join(dist, file);
  const buf = readFileSync(path);
  let gzip: number;
  try {
    gzip = execFileSync('gzip', ['-9c', path], { maxBuffer: 64 * 1024 * 1024 }).length;
  } catch {
    gzip = gzipSync(buf, { level: 9 }).length;
  }
  return { file, raw: buf.length, gzip };
}

export const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const r = measureEmbed(process.argv[2] ?? 'dist');
  console.log('embed.html first load (gzip -9), before the first frame:');
  for (const f of r.files) console.log(`  ${f.file.padEnd(44)} ${kb(f.raw).padStart(10)} raw  ${kb(f.gzip).padStart(9)} gzip`);
  console.log(`  ${'total'.padEnd(44)} ${''.padStart(14)}  ${kb(r.total).padStart(9)} gzip  (budget ${kb(EMBED_BUDGET_BYTES)}: ${r.total <= EMBED_BUDGET_BYTES ? 'within' : 'OVER'})`);
  if (r.later.length) {
    console.log('loaded later (the API after the first frame, panels= when asked):');
    for (const f of r.later) console.log(`  ${f.file.padEnd(44)} ${kb(f.raw).padStart(10)} raw  ${kb(f.gzip).padStart(9)} gzip`);
  }
}
