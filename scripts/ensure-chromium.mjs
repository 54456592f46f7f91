#!/usr/bin/env node
// Playwright cannot download its own browser here: the browser tests use a system Chromium
// (CHROME_PATH, or /usr/bin/chromium). Installs Debian's package when it is missing and we can.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
if (candidates.some((p) => existsSync(p))) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = (() => {
  try {
    execSync('command -v apt-get', { stdio: 'ignore', shell: '/bin/sh' });
    return true;
  } catch {
    return false;
  }
})();
if (isRoot && hasApt) {
  console.log('Chromium not found: installing Debian\'s chromium package for the browser tests…');
  try {
    execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null', { stdio: 'inherit', shell: '/bin/bash' });
    if (existsSync('/usr/bin/chromium')) process.exit(0);
  } catch {
    // fall through to the instruction
  }
}
console.error('Browser tests need Chromium: install it (Debian: sudo apt-get install chromium) or set CHROME_PATH to a Chromium binary.');
process.exit(1);
