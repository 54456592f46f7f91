// The repository stands alone: its README and docs/ link only to files inside it that exist, and every
// rule (R…) and invariant (I…) number the code and tests cite is defined in docs/rules.md.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const rel = (p: string): string => relative(root, p).split(sep).join('/');

const docs = [
  join(root, 'README.md'),
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(root, 'docs', f)),
];

function walk(dir: string, keep: (f: string) => boolean): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p, keep) : keep(p) ? [p] : [];
  });
}

/** Markdown without its fenced code blocks (their brackets are code, not links). */
function prose(text: string): string {
  return text.replace(/^([ \t]*)(```|~~~)[^\n]*\n[\s\S]*?^\1\2[ \t]*$/gm, '');
}

/** Link targets: inline `[text](target)`, images `![alt](target)` and reference definitions `[ref]: target`. */
function linkTargets(text: string): string[] {
  const body = prose(text);
  const inline = [
    ...body.matchAll(/!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]*)>?(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g),
  ].map((m) => m[1]!);
  const defs = [...body.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?/gm)].map((m) => m[1]!);
  return [...inline, ...defs];
}

/** GitHub's heading anchors: lower case, punctuation dropped (but - and _), spaces to hyphens. */
function anchors(markdown: string): Set<string> {
  const slugs = new Set<string>();
  for (const m of prose(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = m[1]!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    let slug = base;
    for (let n = 1; slugs.has(slug); n++) slug = `${base}-${n}`;
    slugs.add(slug);
  }
  return slugs;
}

const isExternal = (t: string): boolean => /^[a-z][a-z0-9+.-]*:/i.test(t); // http:, https:, mailto: …

/** What is wrong with one relative link from `file`, or null. */
function linkProblem(file: string, target: string): string | null {
  if (target === '' || target.startsWith('#') || isExternal(target)) return null;
  const [pathPart, anchor] = target.split('#', 2) as [string, string | undefined];
  const path = decodeURIComponent(pathPart.split('?')[0]!);
  if (isAbsolute(path)) return `${target}: an absolute path (a reader of the repository does not have it)`;
  const to = resolve(dirname(file), path);
  const inside = relative(root, to);
  if (inside.startsWith('..') || isAbsolute(inside)) return `${target}: resolves outside the repository`;
  if (!existsSync(to)) return `${target}: no such file in the repository`;
  if (anchor && to.endsWith('.md') && !anchors(readFileSync(to, 'utf8')).has(anchor)) {
    return `${target}: ${rel(to)} has no heading with the anchor #${anchor}`;
  }
  return null;
}

describe('docs stand alone: README.md and docs/*.md', () => {
  it('finds the documents it checks (README.md, docs/rules.md, docs/formats.md, docs/scenario.md, docs/model.md)', () => {
    expect(docs.map(rel)).toEqual(
      expect.arrayContaining([
        'README.md',
        'docs/rules.md',
        'docs/formats.md',
        'docs/scenario.md',
        'docs/model.md',
      ]),
    );
  });

  it('every relative [text](target) link resolves inside the repository, to a file that exists (http(s) and #anchors ignored)', () => {
    const problems = docs.flatMap((f) =>
      linkTargets(readFileSync(f, 'utf8')).flatMap((t) => {
        const p = linkProblem(f, t);
        return p ? [`${rel(f)}: ${p}`] : [];
      }),
    );
    expect(problems).toEqual([]);
  });

  it('a file.md#anchor link names a heading of that file', () => {
    // Covered by the link check above; this one proves the anchor rule bites.
    expect(linkProblem(join(root, 'README.md'), 'docs/rules.md#no-such-heading')).toMatch(/no heading/);
    expect(linkProblem(join(root, 'README.md'), 'docs/rules.md#ntstatus-values')).toBeNull();
  });

  it('the link check rejects ../ outside the repository, absolute paths and missing files', () => {
    const readme = join(root, 'README.md');
    expect(linkProblem(readme, '../shared/spec/tdi-semantics.md')).toMatch(/outside the repository/);
    expect(linkProblem(join(root, 'docs', 'scenario.md'), '../../shared/spec/formats.md')).toMatch(
      /outside the repository/,
    );
    expect(linkProblem(readme, '/work/shared/spec/formats.md')).toMatch(/absolute path/);
    expect(linkProblem(readme, 'docs/nope.md')).toMatch(/no such file/);
    expect(linkProblem(readme, 'https://ui.perfetto.dev')).toBeNull();
    expect(linkProblem(readme, '#the-command-line')).toBeNull();
    expect(linkTargets('[a](x.md) ![b](y.png "t")\n```\n[c](z.md)\n```\n[r]: w.md')).toEqual([
      'x.md',
      'y.png',
      'w.md',
    ]);
  });

  it('a markdown file named in `code` (e.g. `docs/scenario.md`) exists in the repository, not only outside it', () => {
    const problems = docs.flatMap((f) =>
      [...prose(readFileSync(f, 'utf8')).matchAll(/`([\w./-]+\.md)`/g)].flatMap((m) => {
        const name = m[1]!;
        const candidates = [resolve(dirname(f), name), resolve(root, name)];
        const ok = candidates.some((c) => !relative(root, c).startsWith('..') && existsSync(c));
        return ok ? [] : [`${rel(f)}: \`${name}\` is not a file of the repository`];
      }),
    );
    expect(problems).toEqual([]);
  });
});

describe('docs/rules.md defines every rule and invariant the code cites', () => {
  const rules = readFileSync(join(root, 'docs', 'rules.md'), 'utf8');
  // A definition is a heading or a list item that starts with the number: `- **R13** · doc — …`.
  const defined = new Map<string, string>();
  const duplicates: string[] = [];
  for (const m of prose(rules).matchAll(/^(?:#{1,6}|[ \t]*[-*])[ \t]+\**([RI]\d{1,2})\b\**(.*)$/gm)) {
    const id = m[1]!;
    if (defined.has(id)) duplicates.push(id);
    else defined.set(id, m[2]!);
  }
  // This file names rule numbers only to test the check itself.
  const sources = walk(join(root, 'src'), (f) => f.endsWith('.ts') && rel(f) !== 'src/docs.test.ts');
  const cited = (re: RegExp): Map<string, string[]> => {
    const where = new Map<string, string[]>();
    for (const f of sources) {
      for (const m of readFileSync(f, 'utf8').matchAll(re)) {
        if (!where.has(m[0])) where.set(m[0], []);
        if (!where.get(m[0])!.includes(rel(f))) where.get(m[0])!.push(rel(f));
      }
    }
    return where;
  };

  it('finds the citations it checks (src/**/*.ts cites R13 and I2)', () => {
    expect(sources.map(rel)).toContain('src/model/rules.test.ts');
    const r = cited(/\bR\d{1,2}\b/g);
    expect(r.has('R13')).toBe(true);
    expect(cited(/\bI\d\b/g).has('I2')).toBe(true);
  });

  it('every rule number R1…R41 cited in src/**/*.ts (regex \\bR\\d{1,2}\\b) is a heading or definition in docs/rules.md', () => {
    const missing = [...cited(/\bR\d{1,2}\b/g)]
      .filter(([id]) => !defined.has(id))
      .map(([id, files]) => `${id} (cited in ${files.join(', ')})`);
    expect(missing).toEqual([]);
  });

  it('every invariant I1–I7 is a heading or definition in docs/rules.md, and src/**/*.ts cites no other I number', () => {
    for (let i = 1; i <= 7; i++) expect(defined.has(`I${i}`), `I${i}`).toBe(true);
    const unknown = [...cited(/\bI\d{1,2}\b/g)]
      .filter(([id]) => !defined.has(id))
      .map(([id, files]) => `${id} (cited in ${files.join(', ')})`);
    expect(unknown).toEqual([]);
  });

  it('docs/rules.md keeps the numbering R1–R3, R10–R16, R20–R26, R30–R36, R40–R41, each defined once and tagged doc, impl or model', () => {
    const expected = [
      1, 2, 3, 10, 11, 12, 13, 14, 15, 16, 20, 21, 22, 23, 24, 25, 26, 30, 31, 32, 33, 34, 35, 36, 40, 41,
    ].map((n) => `R${n}`);
    const rulesDefined = [...defined.keys()].filter((id) => id.startsWith('R'));
    expect(rulesDefined).toEqual(expected);
    expect(duplicates, 'defined more than once').toEqual([]);
    const untagged = rulesDefined.filter((id) => !/^\s*·\s*(doc|impl|model)\b/.test(defined.get(id)!));
    expect(untagged).toEqual([]);
  });
});
