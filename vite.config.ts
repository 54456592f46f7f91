import { defineConfig } from 'vitest/config';
import { build, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react(), embedEntry()],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    sourcemap: true,
    // The embed's build runs inside closeBundle (below): not a slow plugin worth a warning each build.
    rollupOptions: { checks: { bundlerTimings: false } },
  },
  preview: { host: '127.0.0.1' },
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
          logLevel: 'warn',
          worker: { format: 'es' },
          build: {
            outDir,
            emptyOutDir: false,
            target: 'es2022',
            sourcemap: true,
            rollupOptions: {
              input: { embed: 'embed.html' },
              // React is CommonJS, kept by the bundler wherever zustand's entry is imported even if
              // unused; the embed uses only zustand/vanilla, so React is declared free of side effects.
              treeshake: { moduleSideEffects: (id: string) => !/[\\/]node_modules[\\/]react[\\/]/.test(id) },
            },
          },
        });
      } finally {
        delete process.env.TDI_EMBED_BUILD;
      }
    },
  };
}
