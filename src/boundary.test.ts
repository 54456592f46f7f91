// The engine stays apart from the UI: nothing under src/ imports app/, React, D3 or Zustand, and
// nothing outside the CLI and tests takes time or randomness from outside the scenario (I7).
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('.', import.meta.url).pathname;
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}
const sources = files(root).filter((f) => !f.endsWith('.test.ts'));

describe('engine boundary', () => {
  it('finds the engine sources it checks', () => {
    expect(sources.map((f) => relative(root, f))).toContain('model/engine.ts');
  });

  it('src/ never imports from app/ or a UI library', () => {
    const offenders = sources.flatMap((f) => {
      const text = readFileSync(f, 'utf8');
      const imports = [...text.matchAll(/from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]/g)].map((m) => m[1] ?? m[2]!);
      return imports.filter((i) => /(^|\/)app\/|^\.\.\/\.\.\/app|^(react|react-dom|zustand|d3)(\/|$)|^d3-/.test(i)).map((i) => `${relative(root, f)} imports ${i}`);
    });
    expect(offenders).toEqual([]);
  });

  it('a contract never imports its implementation: src/protocol/ imports nothing from src/worker/', () => {
    const protocol = sources.filter((f) => relative(root, f).startsWith('protocol/'));
    expect(protocol.length).toBeGreaterThanOrEqual(3);
    const offenders = protocol.flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]/g)]
        .map((m) => m[1] ?? m[2]!)
        .filter((i) => /(^|\/)worker\//.test(i))
        .map((i) => `${relative(root, f)} imports ${i}`),
    );
    expect(offenders).toEqual([]);
  });

  it('src/ takes no time or randomness from outside the scenario (outside the CLI)', () => {
    const offenders = sources
      .filter((f) => !relative(root, f).startsWith('cli/') && !relative(root, f).startsWith('scenario/arbitrary'))
      .filter((f) => /Math\.random|Date\.now|performance\.now|new Date\(/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(root, f));
    expect(offenders).toEqual([]);
  });
});
