#!/usr/bin/env node
// The `tdi-flow` command: runs the TypeScript CLI through tsx, so it works right after `npm ci`
// with no build step.
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/main.ts');
