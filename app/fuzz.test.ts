// Fuzz (issue 10, "Done when": a few hundred generated bad URLs, share links and host messages per
// run, more locally, find no crash, hang or stack trace). What the page reads from outside — the
// address bar's query, a share link's fragment, an embed host's postMessage — is generated from the
// real keys with hostile values; every answer must be a value or a sentence that names what is wrong,
// never an exception. FUZZ_RUNS sets the count (default 300): `FUZZ_RUNS=3000 npx vitest run app/fuzz.test.ts`.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readUrlState } from './url.ts';
import { readEmbedParams } from './embed/params.ts';
import { decodeShareFragment, encodeShareFragment, readShareDocument, SHARE_FORMAT } from './share.ts';
import { parseEmbedCommand, EMBED_PROTOCOL } from '../src/protocol/embed.ts';
import { loadPreset, PRESET_NAMES } from '../src/scenario/presets.ts';

const RUNS = Math.max(1, Number(process.env.FUZZ_RUNS) || 300);
/** A stack trace's frame line, or an engine's internal error: what a user must never read. */
const STACKY = /\n\s+at |TypeError|ReferenceError|RangeError|Maximum call stack|undefined is not|\[object Object\]/;

const HOSTILE = [
  '', ' ', '0x10', '1e999', '-0', 'NaN', 'Infinity', '9007199254740993', '1e308', '__proto__', 'constructor', '%00', '\u0000', '\u202e',
  '<script>alert(1)</script>', 'a'.repeat(5000), '1.5', '-1', '0.37', 'first:', 'first:send.complete,lostRace', 'dark', 'full', '*', 'https://x.test',
];
const value = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 40 }), fc.double().map(String), fc.integer().map(String));

function query(keys: readonly string[]) {
  return fc.array(fc.tuple(fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 12 })), value, fc.boolean()), { maxLength: 8 }).map((pairs) =>
    '?' + pairs.map(([k, v, bare]) => (bare ? encodeURIComponent(k) : `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)).join('&'),
  );
}

describe(`fuzz (#10): ${RUNS} generated addresses, links and host messages (FUZZ_RUNS)`, () => {
  it('the page query (?preset, ?seed, ?speed): a state and notices, each naming its parameter', () => {
    fc.assert(
      fc.property(query(['preset', 'seed', 'speed', 'projector']), (search) => {
        const s = readUrlState(search);
        expect(PRESET_NAMES).toContain(s.preset);
        if (s.speed !== undefined) expect(s.speed > 0 && s.speed <= 1000).toBe(true);
        if (s.seed !== undefined) expect(Number.isInteger(s.seed) && s.seed >= 0 && s.seed <= 0xffffffff).toBe(true);
        for (const n of s.notices) {
          expect(n).toMatch(/preset|seed=|speed=|projector=/);
          expect(n).not.toMatch(STACKY);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('the embed query: parameters or notices naming them, never an exception', () => {
    const keys = ['preset', 'seed', 'speed', 't', 'autoplay', 'pauseAt', 'loop', 'controls', 'panels', 'theme', 'allowOrigins', 'embed'];
    fc.assert(
      fc.property(query(keys), (search) => {
        const p = readEmbedParams(search);
        for (const n of p.notices) expect(n).not.toMatch(STACKY);
      }),
      { numRuns: RUNS },
    );
  });

  it('share documents with hostile fields: the moment without them, each left-out field named', () => {
    const field = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(-1, 1e308, Number.NaN, 2 ** 53 + 2, '__proto__', null));
    const doc = fc.record(
      {
        format: fc.oneof(fc.constant(SHARE_FORMAT), field),
        scenario: fc.oneof(fc.constant({ title: 'x' }), field),
        timeUs: field,
        events: field,
        speed: field,
        theme: field,
        branches: fc.oneof(field, fc.array(fc.record({ label: field, scenario: field, forkUs: field }, { requiredKeys: [] }), { maxLength: 3 })),
        branch: field,
        selection: fc.oneof(field, fc.record({ kind: field, id: field }, { requiredKeys: [] })),
        preset: field,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(doc, (d) => {
        const r = readShareDocument(d);
        if (!r.ok) return void expect(r.problem).not.toMatch(STACKY);
        expect(typeof r.moment.scenario).toBe('object');
        for (const p of r.problems) expect(p).not.toMatch(STACKY);
        if (r.moment.timeUs !== undefined) expect(Number.isFinite(r.moment.timeUs) && r.moment.timeUs >= 0).toBe(true);
        if (r.moment.speed !== undefined) expect(r.moment.speed > 0 && r.moment.speed <= 1000).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('share fragments cut short, edited or made up: null, a moment, or one sentence', async () => {
    const good = await encodeShareFragment({ scenario: await loadPreset('race'), timeUs: 1000, speed: 0.01 });
    const damaged = fc.oneof(
      fc.nat(good.length).map((n) => good.slice(0, n)),
      fc.tuple(fc.nat(good.length - 1), fc.string({ minLength: 1, maxLength: 3 })).map(([i, s]) => good.slice(0, i) + s + good.slice(i + 1)),
      fc.string({ maxLength: 60 }).map((s) => `v=2&s=${s}`),
      fc.string({ maxLength: 60 }).map((s) => `scenario=${s}`),
      fc.string({ maxLength: 60 }),
      value.map((v) => `v=${v}&s=abc`),
    );
    await fc.assert(
      fc.asyncProperty(damaged, async (hash) => {
        const r = await decodeShareFragment(`#${hash}`);
        if (r === null) return;
        if (r.ok) for (const p of r.problems) expect(p).not.toMatch(STACKY);
        else {
          expect(r.problem).toMatch(/^The link/);
          expect(r.problem).not.toMatch(STACKY);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('host messages (postMessage): a command, or a problem naming the op and the field', () => {
    const ops = ['load', 'play', 'pause', 'step', 'stepBack', 'seek', 'setSpeed', 'injectFault', 'getState', 'export', 'subscribe', 'unsubscribe', 'find', 'nope', '__proto__'];
    const msg = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.record(
        {
          protocol: fc.oneof(fc.constant(EMBED_PROTOCOL), fc.jsonValue({ maxDepth: 1 })),
          op: fc.oneof(fc.constantFrom(...ops), fc.jsonValue({ maxDepth: 1 })),
          id: fc.oneof(fc.integer(), fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 })),
          preset: value,
          scenario: fc.jsonValue({ maxDepth: 3 }),
          timeUs: fc.oneof(fc.double(), value),
          speed: fc.oneof(fc.double(), value),
          driver: value,
          status: value,
          format: value,
          first: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.record({ type: value, where: fc.jsonValue({ maxDepth: 2 }) })),
          subscription: fc.oneof(fc.integer(), value),
        },
        { requiredKeys: ['protocol', 'op'] },
      ),
    );
    fc.assert(
      fc.property(msg, (data) => {
        const r = parseEmbedCommand(data);
        if (r.ok) return void expect(ops).toContain(r.command.op);
        expect(r.problem).not.toMatch(STACKY);
        const op = (data as { op?: unknown } | null)?.op;
        if (typeof op === 'string' && ops.slice(0, -2).includes(op) && (data as { protocol?: unknown }).protocol === EMBED_PROTOCOL) {
          expect(r.problem.startsWith(`${op}: `)).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
