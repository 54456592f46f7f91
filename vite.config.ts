import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
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
