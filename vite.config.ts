import { defineConfig } from 'vitest/config';
import { build, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { validateScenario } from './src/scenario/validate.ts';

export default defineConfig({
  // Relative addresses everywhere: the built folder works unchanged from any sub-path of any host.
  base: './',
  plugins: [react(), checkedPresets(), contentSecurityPolicy(), embedEntry(), securityHeaders()],
  worker: { format: 'es', plugins: () => [checkedPresets()] },
  build: {
    target: 'es2022',
    sourcemap: true,
    // The embed's build runs inside closeBundle (below): not a slow plugin worth a warning each build.
    rollupOptions: { checks: { bundlerTimings: false } },
  },
  // `npm start` serves the headers docs/embedding.md asks a host to send (securityHeaders, below).
  preview: { host: '127.0.0.1', headers: { 'X-Content-Type-Options': 'nosniff' } },
  server: { host: '127.0.0.1' },
  test: {
    include: ['src/**/*.test.ts', 'app/**/*.test.ts'],
    environment: 'node',
    pool: 'threads',
    maxWorkers: 2,
    // No test may depend on how fast the machine is: the heavy ones (long runs, the CLI in child
    // processes) take seconds on a loaded 2-core machine, so the limit only catches hangs.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});

/**
 * embed.html (docs/embedding.md) is built after the app, into the same folder, as a build of its own:
 * a second input of this build would share chunks with the app, and a shared chunk carries every
 * export the app uses (React, the whole record table), which would break the embed's 100 KB budget.
 */
function embedEntry(): Plugin {
  let outDir = 'dist';
  return {
    name: 'tdi-flow-lab:embed-entry',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    async closeBundle() {
      if (process.env.TDI_EMBED_BUILD) return;
      process.env.TDI_EMBED_BUILD = '1';
      try {
        await build({
          configFile: false,
          base: './',
          logLevel: 'warn',
          plugins: [checkedPresets(), contentSecurityPolicy()],
          worker: { format: 'es', plugins: () => [checkedPresets()] },
          build: {
            outDir,
            emptyOutDir: false,
            target: 'es2022',
            sourcemap: true,
            rollupOptions: {
              input: { embed: 'embed.html' },
              // Its worker's build checks the presets (checkedPresets): slow on a busy machine, and expected.
              checks: { bundlerTimings: false },
              // React is CommonJS, kept by the bundler wherever zustand's entry is imported even if
              // unused; the embed uses only zustand/vanilla, so React is declared free of side effects.
              treeshake: { moduleSideEffects: (id: string) => !/[\\/]node_modules[\\/]react[\\/]/.test(id) },
            },
          },
        });
      } finally {
        delete process.env.TDI_EMBED_BUILD;
      }
      // Last, once every file of the build is written: the offline cache lists them all.
      writeServiceWorker(outDir);
    },
  };
}

/**
 * The built-in presets are checked when the app is built, as a scenario file is checked (a broken
 * preset fails the build), and each preset's chunk carries the checked scenario (its defaults filled
 * in) marked `checked`: the worker starts a preset without loading the validator and its schema
 * library (src/scenario/presets.ts loadCheckedPreset; #19, the worker's first load).
 */
function checkedPresets(): Plugin {
  return {
    name: 'tdi-flow-lab:checked-presets',
    apply: 'build',
    enforce: 'post',
    transform(code, id) {
      const file = id.split('?')[0]!;
      if (!/[\\/]src[\\/]scenario[\\/]presets[\\/][^\\/]+\.json$/.test(file)) return null;
      const v = validateScenario(JSON.parse(readFileSync(file, 'utf8')));
      if (!v.ok) this.error(`${relative(process.cwd(), file)} is not a valid scenario:\n${v.problems.join('\n')}`);
      return { code: `export default ${JSON.stringify(v.scenario)};\nexport const checked = true;\n`, map: null };
    },
  };
}

/**
 * dist/sw.js, the offline cache (app/offline/serviceWorker.js): that file, preceded by the build's
 * identity (a hash of every file's name and bytes: a new build is a new worker and a new cache) and
 * the list of files to cache on the first visit (source maps left out), relative to the folder.
 */
function writeServiceWorker(outDir: string): void {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (!e.name.endsWith('.map') && e.name !== 'sw.js') files.push(relative(outDir, path).split(sep).join('/'));
    }
  };
  walk(outDir);
  files.sort();
  const hash = createHash('sha256');
  for (const f of files) hash.update(f).update('\0').update(readFileSync(join(outDir, f))).update('\0');
  const build = hash.digest('hex').slice(0, 16);
  const template = readFileSync('app/offline/serviceWorker.js', 'utf8');
  writeFileSync(join(outDir, 'sw.js'), `const BUILD = ${JSON.stringify(build)};\nconst FILES = ${JSON.stringify(['./', ...files])};\n${template}`);
}

/**
 * The built pages carry a Content-Security-Policy: scripts, workers and everything else only from the
 * page's own origin — no inline script, no eval (e2e/csp.spec.ts checks that nothing is refused). Styles
 * may be inline: React and D3 set element styles. The dev server has none (its hot reload injects
 * inline scripts). A host that embeds the page sets frame-ancestors in its own headers if it wants to.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'tdi-flow-lab:content-security-policy',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' }],
  };
}

/**
 * The headers a host should send with the built pages (docs/embedding.md § Hosting it), sent by
 * `npm start`'s preview server too (e2e/csp.spec.ts). A meta tag cannot carry `frame-ancestors`, so
 * only a header says who may frame a page: the app itself no one (a click-jacking frame), the embed any
 * page (that is what it is for; who may *command* it is its allowOrigins). Each HTML page gets the
 * policy of its meta tag plus its frame-ancestors; scripts and the worker get none of their own.
 */
export const APP_HEADERS: Record<string, string> = {
  'Content-Security-Policy': `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`,
  'X-Frame-Options': 'DENY',
};
export const EMBED_HEADERS: Record<string, string> = {
  'Content-Security-Policy': `${CONTENT_SECURITY_POLICY}; frame-ancestors *`,
};

function securityHeaders(): Plugin {
  return {
    name: 'tdi-flow-lab:security-headers',
    configurePreviewServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = (req.url ?? '/').split(/[?#]/)[0]!;
        const headers = /\/embed(\.html)?$/.test(path) ? EMBED_HEADERS : path.endsWith('/') || path.endsWith('.html') ? APP_HEADERS : null;
        if (headers) for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
        next();
      });
    },
  };
}
