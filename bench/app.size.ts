// The app's first load (issue 19: at most 150 KB gzip, the worker included), measured as the
// before-stop check measures it: every script and style sheet dist/index.html references (src= or
// href=, so module preloads count) and dist/assets/*worker*.js, each gzip -9. The other files fetched
// before the first frame (the worker's own static imports, the preset it starts) are listed apart with
// the total they make, so what the budget leaves out is in sight. Run after a build.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSize, kb, measurePage } from './embed.size.ts';

export const APP_BUDGET_BYTES = 150 * 1024;

export interface AppSize {
  /** What the budget counts (the before-stop check's files). */
  files: { file: string; raw: number; gzip: number }[];
  total: number;
  /** Fetched before the first frame as well, outside the budget's count. */
  alsoFirst: { file: string; raw: number; gzip: number }[];
}

export function measureApp(dist = 'dist'): AppSize {
  const htmlPath = join(dist, 'index.html');
  if (!existsSync(htmlPath)) throw new Error(`${htmlPath} is missing: run \`vite build\` first`);
  const html = readFileSync(htmlPath, 'utf8');
  const counted = new Set<string>();
  for (const m of html.matchAll(/(?:src|href)="(?:\.?\/)?(assets\/[^"]+\.(?:js|css))"/g)) counted.add(m[1]!);
  for (const f of readdirSync(join(dist, 'assets'))) if (/worker.*\.js$/.test(f)) counted.add(`assets/${f}`);
  const files = [...counted].map((f) => gzipSize(dist, f));
  const alsoFirst = measurePage(dist, 'index.html').files.filter((f) => !counted.has(f.file));
  return { files, total: files.reduce((s, f) => s + f.gzip, 0), alsoFirst };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const r = measureApp(process.argv[2] ?? 'dist');
  const line = (f: { file: string; raw: number; gzip: number }) => console.log(`  ${f.file.padEnd(44)} ${kb(f.raw).padStart(10)} raw  ${kb(f.gzip).padStart(9)} gzip`);
  console.log('index.html first load (gzip -9): its scripts, preloads and style sheet, and the worker:');
  r.files.forEach(line);
  console.log(`  ${'total'.padEnd(44)} ${''.padStart(14)}  ${kb(r.total).padStart(9)} gzip  (budget ${kb(APP_BUDGET_BYTES)}: ${r.total <= APP_BUDGET_BYTES ? 'within' : 'OVER'})`);
  if (r.alsoFirst.length) {
    console.log('also fetched before the first frame (the worker\'s imports, the preset it starts):');
    r.alsoFirst.forEach(line);
    const all = r.total + r.alsoFirst.reduce((s, f) => s + f.gzip, 0);
    console.log(`  ${'total with these'.padEnd(44)} ${''.padStart(14)}  ${kb(all).padStart(9)} gzip`);
  }
}
