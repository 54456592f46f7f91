// Fuzz (issue 10, "Done when": a fuzz test finds no crash, hang or stack trace). Generated bad
// scenario files — truncations, random bytes, deep nesting, huge numbers, odd ids, control
// characters, BOMs, values swapped for random JSON — go to parseScenarioText (what the page uses)
// and to the command line's input path in-process; a handful go through the real `tdi-flow`
// binary. Every answer is a valid scenario or problem lines that each start with a JSON path.
// Sizes are bounded, so nothing can hang. FUZZ_RUNS sets the number of files (default 300):
// `FUZZ_RUNS=5000 npx vitest run src/scenario/fuzz.test.ts` locally.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scenarioArb } from './arbitrary.ts';
import { MAX_PROBLEMS, parseScenarioText } from './validate.ts';
import { load } from '../cli/input.ts';
import { Engine } from '../model/engine.ts';
import { summarize } from '../trace/summary.ts';

const RUNS = Math.max(1, Number(process.env.FUZZ_RUNS) || 300);
const BINARY_RUNS = Math.min(6, RUNS);

/** A problem line: a JSON path (or `(root)`), ": ", then a message; nothing a terminal would act on. */
const PROBLEM = /^(\(root\)|[A-Za-z]\w*(\[\d+\]|\.[A-Za-z]\w*)*): \S/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const ODD_IDS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '', 'x'.repeat(65), 'a\u0000b', 'é', '0', '-', 'valueOf'];
const ODD_NUMBERS = ['9007199254740992', '1e308', '-1e308', '1e999', '-0', '1.5', '1e-300', '4294967296', '-1', '0.0', '123456789012345678901234567890'];
const CONTROLS = ['\u0000', '\u0007', '\u001b[31m', '\u001b]0;x\u0007', '\r', '\u007f', '\u009b', '\u2028', '\u202e', '\ud800'];

const validText = scenarioArb.map((s) => JSON.stringify(s, null, 1));

/** Sets a random place in a JSON value (found by walking `steps`) to `value`. */
function setSomewhere(root: unknown, steps: number[], value: unknown): unknown {
  if (typeof root !== 'object' || root === null) return value;
  let node = root as Record<string, unknown>;
  for (const step of steps) {
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const k = keys[step % keys.length]!;
    const child = node[k];
    if (typeof child !== 'object' || child === null || step % 5 === 0) {
      node[k] = value;
      return root;
    }
    node = child as Record<string, unknown>;
  }
  if (Array.isArray(node)) node.push(value);
  else node[`k${steps[0] ?? 0}`] = value;
  return root;
}

const badText: fc.Arbitrary<string> = fc.oneof(
  // Truncated anywhere.
  fc.tuple(validText, fc.double({ min: 0, max: 1, noNaN: true })).map(([t, f]) => t.slice(0, Math.floor(t.length * f))),
  // Random bytes, decoded as the CLI and the page decode them.
  fc.uint8Array({ maxLength: 2000 }).map((b) => new TextDecoder().decode(b)),
  fc.string({ unit: 'binary', maxLength: 500 }),
  // Deep nesting, closed or not, of arrays or objects, alone or inside a scenario.
  fc.tuple(fc.integer({ min: 1, max: 200_000 }), fc.constantFrom('[', '{"a":'), fc.boolean(), validText).map(([n, open, closed, t]) => {
    const deep = open.repeat(n) + (closed ? '1' + (open === '[' ? ']' : '}').repeat(n) : '');
    return closed ? t.replace(/"title": "[^"]*"/, `"title": ${deep}`) : deep;
  }),
  // Huge and odd numbers in place of any number.
  fc.tuple(validText, fc.nat(), fc.constantFrom(...ODD_NUMBERS)).map(([t, k, num]) => {
    let i = 0;
    return t.replace(/(?<=[:[,] ?)-?\d+(?=[,\]\n}])/g, (m) => (i++ % 7 === k % 7 ? num : m));
  }),
  // Odd ids.
  fc.tuple(validText, fc.constantFrom(...ODD_IDS), fc.nat()).map(([t, odd, k]) => {
    let i = 0;
    return t.replace(/"(id|client|address|transport|nic|driver)": "[^"]*"/g, (m, key) => (i++ % 3 === k % 3 ? `"${key}": ${JSON.stringify(odd)}` : m));
  }),
  // Control characters in titles, ids and unknown field names (raw, as the JSON escapes them).
  fc.tuple(validText, fc.constantFrom(...CONTROLS), fc.boolean()).map(([t, ch, asKey]) =>
    asKey ? t.replace('{', `{${JSON.stringify('k' + ch)}: 1,`) : t.replace(/"title": "[^"]*"/, `"title": ${JSON.stringify('t' + ch)}`).replace(/"id": "[^"]*"/, `"id": ${JSON.stringify(ch)}`),
  ),
  // Raw control characters inside strings (invalid JSON).
  fc.tuple(validText, fc.constantFrom('\u0000', '\u0007', '\u001b', '\n')).map(([t, ch]) => t.replace(/"title": "/, `"title": "${ch}`)),
  // Byte order marks, one or two, and other odd starts.
  fc.tuple(validText, fc.constantFrom('\uFEFF', '\uFEFF\uFEFF', ' \uFEFF', '\u0000', '\uFFFE')).map(([t, p]) => p + t),
  // Any value swapped for random JSON.
  fc.tuple(scenarioArb, fc.array(fc.nat(), { maxLength: 6 }), fc.jsonValue({ maxDepth: 4 })).map(([s, steps, v]) => JSON.stringify(setSomewhere(structuredClone(s), steps, v))),
);

/** What every answer must be: a runnable scenario, or bounded problem lines that each name a path. */
function checkAnswer(text: string, v: ReturnType<typeof parseScenarioText>, prefix = ''): void {
  if (v.ok) {
    // Valid after all (an odd id that is allowed, a number in range): the engine takes it too.
    const e = new Engine(v.scenario, { trace: null });
    e.runUntil(v.scenario.durationUs, 2000);
    expect(() => JSON.stringify(summarize(e))).not.toThrow();
    return;
  }
  expect(v.problems.length, text.slice(0, 200)).toBeGreaterThan(0);
  expect(v.problems.length).toBeLessThanOrEqual(MAX_PROBLEMS + 1);
  for (const line of v.problems) {
    expect(line.startsWith(prefix), line).toBe(true);
    expect(line.slice(prefix.length), line).toMatch(PROBLEM);
    expect(line, line).not.toMatch(CONTROL);
    expect(line, line).not.toMatch(/\n|\bat .*:\d+:\d+|Maximum call stack/);
  }
}

describe(`fuzz: ${RUNS} generated bad files (FUZZ_RUNS)`, () => {
  it('parseScenarioText (the page and the CLI): never throws; a scenario or problem lines naming paths', () => {
    fc.assert(
      fc.property(badText, (text) => {
        checkAnswer(text, parseScenarioText(text));
      }),
      { numRuns: RUNS },
    );
  });

  const dir = mkdtempSync(join(tmpdir(), 'tdi-flow-fuzz-'));

  it('the command line input path, in-process: the same, prefixed with the file name', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(badText, async (text) => {
        const file = join(dir, `in-${n++ % 8}.json`);
        writeFileSync(file, text);
        checkAnswer(text, await load(file), `${file}: `);
      }),
      { numRuns: Math.max(1, Math.floor(RUNS / 3)) },
    );
  });

  it(`${BINARY_RUNS} of them through the real binary: exit 0 or 2, no stack trace`, () => {
    const bin = new URL('../../bin/tdi-flow.mjs', import.meta.url).pathname;
    const texts = fc.sample(badText, { numRuns: BINARY_RUNS, seed: Number(process.env.FUZZ_SEED) || 10 });
    texts.forEach((text, i) => {
      const file = join(dir, `bin-${i}.json`);
      writeFileSync(file, text);
      const r = spawnSync(process.execPath, [bin, 'validate', file], { encoding: 'utf8', timeout: 110_000 });
      expect([0, 2], r.stderr).toContain(r.status);
      const lines = (r.status === 0 ? r.stdout : r.stderr).trimEnd().split('\n');
      if (r.status === 2) {
        expect(lines.length).toBeLessThanOrEqual(MAX_PROBLEMS + 1);
        for (const line of lines) {
          expect(line.startsWith(`${file}: `), line).toBe(true);
          expect(line.slice(file.length + 2)).toMatch(PROBLEM);
        }
      }
      expect(r.stderr + r.stdout).not.toMatch(/\n\s+at |internal error|Unhandled/);
      expect((r.stderr + r.stdout).replace(/\n/g, ' ')).not.toMatch(CONTROL);
    });
  });
});
