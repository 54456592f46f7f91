// Shareable links that restore the moment: the scenario (with the faults and policy changes made by
// hand), the time and record count, speed, theme, branches and the current one, and the selection
// travel in the URL fragment. A preset's moment carries only what changed from the preset (v3); any
// other scenario travels whole, as one deflated JSON document (v2), whichever link is shorter:
//
//   #v=3&p=<preset>&h=<preset hash>&t=<µs>&n=<records>&speed=…&theme=…&api=wsk&sel=<kind>:<id>&c=<base64url(deflate-raw(JSON changes))>
//   #v=2&s=<base64url(deflate-raw(JSON))>     JSON: { format: 'tdi-flow-lab/share@2', scenario, … }
//
// Old links (`#scenario=<base64url(deflate-raw(scenario JSON))>`) still open, at 0 µs. A link that is
// cut short, hand-edited or too big is named in one sentence; a field that makes no sense is named and
// left out, and the rest of the link is still used.
import { MAX_SPEED } from './store/speeds.ts';

export const SHARE_FORMAT = 'tdi-flow-lab/share@2';
/** The newest link format this page writes and reads (v2 and v3 are both written, v1 read). */
export const SHARE_VERSION = 3;
/** Nothing bigger than this is unpacked (a link is small; a zip bomb is not). */
export const MAX_INFLATED_BYTES = 8 * 1024 * 1024;
const LEGACY_PREFIX = 'scenario=';

export type ShareTheme = 'system' | 'light' | 'dark';
export type ShareSelectionKind = 'connection' | 'address' | 'node' | 'client';

/** What a link restores. Only `scenario` is required (it is validated by the engine when it loads). */
export interface ShareMoment {
  scenario: unknown;
  /** The preset the scenario came from, if any (the preset menu and file names show it). */
  preset?: string;
  timeUs?: number;
  /** Trace records at that moment: a step can stop part-way through an instant. */
  events?: number;
  speed?: number;
  theme?: ShareTheme;
  /** Projector mode (#8); absent: off. */
  projector?: boolean;
  /** The kernel interface the clients use (#20); absent: TDI. */
  api?: 'tdi' | 'wsk';
  /** Every branch of the run; `scenario` is the current one's. */
  branches?: { label: string; scenario: unknown; forkUs: number | null }[];
  branch?: number;
  selection?: { kind: ShareSelectionKind; id: string };
}

export type ShareDecoded = { ok: true; moment: ShareMoment; problems: string[] } | { ok: false; problem: string };

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream, maxBytes = Infinity): Promise<Uint8Array> {
  return read(new Blob([bytes as BlobPart]).stream().pipeThrough(stream), maxBytes);
}

class TooBig extends Error {}

/**
 * Deflate never inflates more than ~1,032× (258-byte copies of one or two bits): the input goes to the
 * decompressor this many bytes at a time, so no single step can unpack more than ~1 MB.
 */
const INFLATE_INPUT_CHUNK = 1024;

/**
 * Inflates a link's bytes, stopping at `maxBytes` (#17: a 1.9 MB link of 1.4 GB of spaces was refused only
 * after the heap held all of it). The decompressor turns each input chunk it is given into output at
 * once, so the input is handed over a small chunk at a time, pulled only as the output is read: memory
 * stays within the limit and one chunk's output, whatever the link.
 */
async function inflateBounded(bytes: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  let at = 0;
  const input = new ReadableStream<BufferSource>(
    {
      pull(controller) {
        if (at >= bytes.length) controller.close();
        else controller.enqueue(bytes.slice(at, (at += INFLATE_INPUT_CHUNK)));
      },
    },
    { highWaterMark: 0 },
  );
  return read(input.pipeThrough(new DecompressionStream('deflate-raw')), maxBytes);
}

/** Reads a stream whole, counting as it goes: over `maxBytes`, it stops reading and throws TooBig. */
async function read(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new TooBig();
    }
    parts.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

async function deflateJson(doc: unknown): Promise<string> {
  return toBase64Url(await pipe(new TextEncoder().encode(JSON.stringify(doc)), new CompressionStream('deflate-raw')));
}

/** The fragment (without '#') that carries a moment: the shorter of v3 (a preset plus what changed) and v2 (whole). */
export async function encodeShareFragment(moment: ShareMoment): Promise<string> {
  const whole = `v=2&s=${await deflateJson({ format: SHARE_FORMAT, ...moment })}`;
  const short = moment.preset === undefined ? null : await encodePresetFragment(moment, moment.preset);
  return short !== null && short.length < whole.length ? short : whole;
}

/** v3: the preset's name and hash, the moment as plain parameters, and the changes deflated; null if not from that preset. */
async function encodePresetFragment(moment: ShareMoment, preset: string): Promise<string | null> {
  const { presetBase, diffScenario } = await import('./sharePreset.ts');
  const base = await presetBase(preset);
  if (!base) return null;
  const diff = diffScenario(base.scenario, moment.scenario);
  if (!diff) return null;
  const changes: Record<string, unknown> = {};
  if (Object.keys(diff).length) changes.diff = diff;
  if (moment.branches && moment.branch !== undefined) {
    const branches = [];
    for (const b of moment.branches) {
      const d = diffScenario(base.scenario, b.scenario);
      if (!d) return null;
      branches.push({ label: b.label, forkUs: b.forkUs, diff: d });
    }
    changes.branches = branches;
    changes.branch = moment.branch;
  }
  const q: string[] = [`v=3`, `p=${encodeURIComponent(preset)}`, `h=${base.hash}`];
  if (moment.timeUs !== undefined) q.push(`t=${moment.timeUs}`);
  if (moment.events !== undefined) q.push(`n=${moment.events}`);
  if (moment.speed !== undefined) q.push(`speed=${moment.speed}`);
  if (moment.theme !== undefined && moment.theme !== 'system') q.push(`theme=${moment.theme}`);
  if (moment.projector) q.push('projector=1');
  if (moment.api === 'wsk') q.push('api=wsk');
  if (moment.selection) q.push(`sel=${encodeURIComponent(`${moment.selection.kind}:${moment.selection.id}`)}`);
  if (Object.keys(changes).length) q.push(`c=${await deflateJson(changes)}`);
  return q.join('&');
}

/** A v3 fragment's parameters as the v2 document they stand for; the preset's changes applied. */
async function decodePresetFragment(q: URLSearchParams): Promise<ShareDecoded> {
  const preset = q.get('p') ?? '';
  const { presetBase, applyScenarioDiff } = await import('./sharePreset.ts');
  const base = await presetBase(preset);
  if (!base) return { ok: false, problem: `The link names the preset ${show(preset)}, which this page does not have.` };
  const problems: string[] = [];
  if (q.get('h') !== base.hash) problems.push(`The link was made with another version of the ${preset} preset: what it shows may differ from what was shared.`);
  let changes: Record<string, unknown> = {};
  const c = q.get('c');
  if (c !== null) {
    const r = await unpack(c, 'c=');
    if (!r.ok) return r;
    if (!isObject(r.json)) return { ok: false, problem: "The link's c= part is not a JSON object." };
    changes = r.json;
  }
  const doc: Record<string, unknown> = { format: SHARE_FORMAT, preset, scenario: applyScenarioDiff(base.scenario, changes.diff, problems) };
  const number = (x: string) => (/^-?\d+(\.\d+)?(e-?\d+)?$/.test(x) ? Number(x) : x);
  for (const [key, field] of [['t', 'timeUs'], ['n', 'events'], ['speed', 'speed']] as const) {
    const x = q.get(key);
    if (x !== null) doc[field] = number(x);
  }
  doc.theme = q.get('theme') ?? 'system'; // written only when not the default
  if (q.has('projector')) doc.projector = q.get('projector') === '1' ? true : q.get('projector');
  if (q.has('api')) doc.api = q.get('api');
  const sel = q.get('sel');
  if (sel !== null) {
    const i = sel.indexOf(':');
    doc.selection = i > 0 ? { kind: sel.slice(0, i), id: sel.slice(i + 1) } : sel;
  }
  if (changes.branches !== undefined) {
    doc.branches = Array.isArray(changes.branches)
      ? changes.branches.map((b: unknown) => (isObject(b) ? { label: b.label, forkUs: b.forkUs, scenario: applyScenarioDiff(base.scenario, b.diff, problems) } : b))
      : changes.branches;
    doc.branch = changes.branch;
  }
  const read = readShareDocument(doc);
  return read.ok ? { ...read, problems: [...problems, ...read.problems] } : read;
}

/** A link to this page that restores the moment. The query keeps the preset (the fallback of a broken link). */
export async function shareUrl(moment: ShareMoment, base: string): Promise<string> {
  const url = new URL(base);
  for (const k of ['seed', 'speed', 't']) url.searchParams.delete(k);
  url.hash = await encodeShareFragment(moment);
  return url.toString();
}

async function unpack(data: string, part: string): Promise<{ ok: true; json: unknown } | { ok: false; problem: string }> {
  if (data.length > MAX_INFLATED_BYTES) return { ok: false, problem: `The link's ${part} part is longer than ${MAX_INFLATED_BYTES / 1024 / 1024} MB; it is not opened.` };
  let bytes: Uint8Array;
  try {
    bytes = fromBase64Url(data);
  } catch {
    return { ok: false, problem: `The link's ${part} part is not valid base64url (was it cut short or edited when copied?).` };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(await inflateBounded(bytes, MAX_INFLATED_BYTES));
  } catch (e) {
    if (e instanceof TooBig) return { ok: false, problem: `The link's ${part} part unpacks to more than ${MAX_INFLATED_BYTES / 1024 / 1024} MB; it is not opened.` };
    return { ok: false, problem: `The link's ${part} part does not unpack (was it cut short when copied?).` };
  }
  try {
    return { ok: true, json: JSON.parse(text) };
  } catch {
    return { ok: false, problem: `The link's ${part} part unpacks, but not to valid JSON.` };
  }
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const show = (x: unknown): string => {
  const s = JSON.stringify(x) ?? String(x);
  return s.length > 40 ? `${s.slice(0, 37)}…` : s;
};

/** Checks each field of a version-2 document; a field that makes no sense is named and left out. */
export function readShareDocument(doc: unknown): ShareDecoded {
  if (!isObject(doc)) return { ok: false, problem: "The link's state is not a JSON object." };
  if (doc.format !== SHARE_FORMAT) return { ok: false, problem: `The link's state has format ${show(doc.format)}, not "${SHARE_FORMAT}".` };
  if (!isObject(doc.scenario)) return { ok: false, problem: "The link's state has no scenario." };
  const m: ShareMoment = { scenario: doc.scenario };
  const problems: string[] = [];
  const bad = (field: string, why: string, instead: string) => problems.push(`The link's ${field} ${show(doc[field])} ${why}: ${instead}.`);
  const num = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  if (doc.preset !== undefined) {
    if (typeof doc.preset === 'string' && doc.preset.length <= 64) m.preset = doc.preset;
    else bad('preset', 'is not a preset name', 'ignored');
  }
  if (doc.timeUs !== undefined) {
    if (num(doc.timeUs) && doc.timeUs >= 0) m.timeUs = Math.round(doc.timeUs);
    else bad('timeUs', 'is not a time in µs', 'starting at 0 µs');
  }
  if (doc.events !== undefined) {
    if (num(doc.events) && Number.isInteger(doc.events) && doc.events >= 0) m.events = doc.events;
    else bad('events', 'is not a count of records', 'ignored');
  }
  if (doc.speed !== undefined) {
    if (num(doc.speed) && doc.speed > 0 && doc.speed <= MAX_SPEED) m.speed = doc.speed;
    else bad('speed', 'must be a number above 0 and at most 1000', 'using the default');
  }
  if (doc.theme !== undefined) {
    if (doc.theme === 'system' || doc.theme === 'light' || doc.theme === 'dark') m.theme = doc.theme;
    else bad('theme', 'is not light, dark or system', 'keeping this page’s theme');
  }
  if (doc.projector !== undefined) {
    if (typeof doc.projector === 'boolean') m.projector = doc.projector;
    else bad('projector', 'is not true or false', 'keeping this page’s projector mode');
  }
  if (doc.api !== undefined) {
    if (doc.api === 'tdi' || doc.api === 'wsk') m.api = doc.api;
    else bad('api', 'is not tdi or wsk', 'showing TDI');
  }
  if (doc.branches !== undefined) {
    const ok =
      Array.isArray(doc.branches) &&
      doc.branches.length >= 1 &&
      doc.branches.length <= 256 &&
      doc.branches.every((b) => isObject(b) && typeof b.label === 'string' && isObject(b.scenario) && (b.forkUs === null || (num(b.forkUs) && b.forkUs >= 0)));
    if (ok) m.branches = (doc.branches as { label: string; scenario: unknown; forkUs: number | null }[]).map((b) => ({ label: b.label, scenario: b.scenario, forkUs: b.forkUs }));
    else problems.push("The link's branches are not a list of {label, scenario, forkUs}: only the current branch is shown.");
  }
  if (doc.branch !== undefined) {
    if (m.branches && Number.isInteger(doc.branch) && (doc.branch as number) >= 0 && (doc.branch as number) < m.branches.length) m.branch = doc.branch as number;
    else if (m.branches) {
      bad('branch', `is not one of its ${m.branches.length} branches`, 'only the current branch is shown');
      delete m.branches;
    }
  }
  if (m.branches && m.branch === undefined) delete m.branches;
  if (doc.selection !== undefined && doc.selection !== null) {
    const s = doc.selection;
    if (isObject(s) && (s.kind === 'connection' || s.kind === 'address' || s.kind === 'node' || s.kind === 'client') && typeof s.id === 'string') m.selection = { kind: s.kind, id: s.id };
    else bad('selection', 'is not {kind, id}', 'nothing is selected');
  }
  return { ok: true, moment: m, problems };
}

/**
 * The moment in a link's fragment: null when the fragment carries none; otherwise the moment (and
 * what was left out of it, named), or one sentence naming why the link cannot be used at all.
 */
export async function decodeShareFragment(hash: string): Promise<ShareDecoded | null> {
  const h = hash.startsWith('#') ? hash.slice(1) : hash;
  if (h.startsWith(LEGACY_PREFIX)) {
    const r = await unpack(h.slice(LEGACY_PREFIX.length), '#scenario=');
    return r.ok ? { ok: true, moment: { scenario: r.json }, problems: [] } : r;
  }
  if (!/^v=/.test(h)) return null;
  const q = new URLSearchParams(h);
  const v = q.get('v')!;
  if (!/^\d+$/.test(v)) return { ok: false, problem: `The link's v=${show(v)} is not a version number.` };
  if (Number(v) > SHARE_VERSION) return { ok: false, problem: `The link was made by a newer TDI Flow Lab (link format v${v}); this page reads v${SHARE_VERSION} and older. Reload to get the newer page.` };
  if (Number(v) === 3) return decodePresetFragment(q);
  if (Number(v) !== 2) return { ok: false, problem: `The link's format v${v} is unknown (this page reads #scenario= links, v2 and v${SHARE_VERSION}).` };
  const s = q.get('s');
  if (s === null || s === '') return { ok: false, problem: "The link has v=2 but no s= part (was it cut short when copied?)." };
  // URLSearchParams turns '+' into ' '; base64url has neither, so both are named as damage.
  const r = await unpack(s, 's=');
  return r.ok ? readShareDocument(r.json) : r;
}

/** The scenario alone (old callers): null when there is none; a message naming what is wrong when it is broken. */
export async function scenarioFromHash(hash: string): Promise<{ ok: true; json: unknown } | { ok: false; problem: string } | null> {
  const d = await decodeShareFragment(hash);
  return d === null ? null : d.ok ? { ok: true, json: d.moment.scenario } : d;
}

// ---- Lessons (#8): `#lesson=<name>` for a built-in, `#lesson=<base64url(deflate-raw(JSON))>` for a file ----

/** The fragment value (after `lesson=`) that carries a lesson document, packed as a share link's state. */
export async function packLesson(doc: unknown): Promise<string> {
  return toBase64Url(await pipe(new TextEncoder().encode(JSON.stringify(doc)), new CompressionStream('deflate-raw')));
}

/** A `#lesson=` fragment's value unpacked to JSON, or the problem with it in a sentence. */
export function unpackLesson(data: string): Promise<{ ok: true; json: unknown } | { ok: false; problem: string }> {
  return unpack(data, 'lesson=');
}
