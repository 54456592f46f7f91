// What embed.html's address can ask for (docs/embedding.md § Parameters). Like the app's url.ts, a
// hand-edited value that makes no sense is named in a notice and replaced by the default: the embed
// still shows. Pure: unit-tested without a DOM.
import { isPresetName, PRESET_NAMES, type PresetName } from '../../src/scenario/presets.ts';
import type { RecordMatch } from '../../src/trace/match.ts';
import { parseSpeedParam } from '../store/speeds.ts';

export type Controls = 'none' | 'minimal' | 'full';
/** The caption line and the legend strip: shown where the frame has room for them (auto), always, or never. */
export type Explain = 'auto' | 'on' | 'off';
export type Panel = 'log' | 'charts' | 'why';
export const PANELS: readonly Panel[] = ['log', 'charts', 'why'];

export interface EmbedParams {
  preset: PresetName;
  seed?: number;
  speed?: number;
  /** Start at this simulated time (µs). */
  t?: number;
  autoplay: boolean;
  /** Playing stops here: a time, or the first record matching. */
  pauseAt?: { timeUs: number } | { first: RecordMatch };
  loop: boolean;
  controls: Controls;
  panels: Panel[];
  theme: 'light' | 'dark' | 'system';
  /** The caption under the stage: what just happened, in plain words (as the app's). */
  caption: Explain;
  /** The compact legend: what the stage's dots, beams, ⚑n and badges mean. */
  legend: Explain;
  /** Exact origins whose commands are accepted; '*' lets any page read (getState, subscribe, find). */
  allowOrigins: string[];
  /**
   * A built-in lesson to open (#8): its scenario replaces preset=. Only its form is checked here;
   * whether it exists is the lesson player's to say (the list is not part of the first load).
   */
  lesson?: string;
  notices: string[];
}

const KNOWN = ['preset', 'seed', 'speed', 't', 'autoplay', 'pauseAt', 'loop', 'controls', 'panels', 'caption', 'legend', 'theme', 'allowOrigins', 'lesson', 'embed'];

/** A flag is on when present and not "0"/"false"/"no". */
function flag(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  return v !== null && !['0', 'false', 'no', 'off'].includes(v.toLowerCase());
}

/** `5800`, `5800us`, `5.8ms`, `0.0058s` → µs; null when it is not a time. */
export function parseTimeUs(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(us|µs|ms|s)?\s*$/.exec(text);
  if (!m) return null;
  const n = Number(m[1]) * (m[2] === 'ms' ? 1000 : m[2] === 's' ? 1_000_000 : 1);
  return Number.isFinite(n) ? Math.round(n) : null;
}

/**
 * `first:send.complete` or `first:send.complete,lostRace=true` (values: true/false, numbers, text).
 * Only the form is checked here; whether the type exists is checked against the record table once
 * the API's code has loaded (it is not part of the first load).
 */
export function parseFirst(text: string): RecordMatch | string {
  const [type = '', ...conds] = text.slice('first:'.length).split(',');
  if (!/^[a-z]+(\.[A-Za-z]+)?$/.test(type)) return `"${type}" is not a record type name (e.g. send.complete, callback.sendPossible)`;
  const where: Record<string, string | number | boolean> = {};
  for (const c of conds) {
    const eq = c.indexOf('=');
    if (eq <= 0) return `"${c}" is not field=value`;
    const v = c.slice(eq + 1);
    where[c.slice(0, eq)] = v === 'true' ? true : v === 'false' ? false : v !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
  }
  return conds.length ? { type, where } : { type };
}

export function readEmbedParams(search: string): EmbedParams {
  const q = new URLSearchParams(search);
  const out: EmbedParams = { preset: 'basics', autoplay: flag(q, 'autoplay'), loop: flag(q, 'loop'), controls: 'full', panels: [], caption: 'auto', legend: 'auto', theme: 'system', allowOrigins: [], notices: [] };
  const bad = (msg: string) => out.notices.push(msg);

  const preset = q.get('preset');
  if (preset !== null) {
    if (isPresetName(preset)) out.preset = preset;
    else bad(`preset=${preset} is not a preset (${PRESET_NAMES.join(', ')}): showing basics.`);
  }
  const seed = q.get('seed');
  if (seed !== null) {
    if (/^\d+$/.test(seed) && Number(seed) <= 0xffffffff) out.seed = Number(seed);
    else bad(`seed=${seed} is not a whole number from 0 to 4294967295: using the scenario's seed.`);
  }
  const speed = q.get('speed');
  if (speed !== null) {
    const n = parseSpeedParam(speed);
    if (n !== null) out.speed = n;
    else bad(`speed=${speed} must be a decimal number above 0 and at most 1000: using the default.`);
  }
  const t = q.get('t');
  if (t !== null) {
    const us = parseTimeUs(t);
    if (us !== null) out.t = us;
    else bad(`t=${t} is not a time (µs, or with ms / s): starting at 0.`);
  }
  const pauseAt = q.get('pauseAt');
  if (pauseAt !== null) {
    if (pauseAt.startsWith('first:')) {
      const m = parseFirst(pauseAt);
      if (typeof m === 'string') bad(`pauseAt=${pauseAt}: ${m}; not pausing.`);
      else out.pauseAt = { first: m };
    } else {
      const us = parseTimeUs(pauseAt);
      if (us !== null) out.pauseAt = { timeUs: us };
      else bad(`pauseAt=${pauseAt} is neither a time nor first:<record type>: not pausing.`);
    }
  }
  const controls = q.get('controls');
  if (controls !== null) {
    if (controls === 'none' || controls === 'minimal' || controls === 'full') out.controls = controls;
    else bad(`controls=${controls} must be none, minimal or full: showing full.`);
  }
  const panels = q.get('panels');
  if (panels !== null && panels !== '') {
    for (const p of panels.split(',')) {
      if ((PANELS as readonly string[]).includes(p)) {
        if (!out.panels.includes(p as Panel)) out.panels.push(p as Panel);
      } else bad(`panels: "${p}" is not a panel (log, charts, why).`);
    }
  }
  for (const name of ['caption', 'legend'] as const) {
    const v = q.get(name);
    if (v === null) continue;
    const word = v.toLowerCase();
    // A bare `caption` (a flag, as the element's boolean attribute passes it) means on.
    if (['', 'on', '1', 'true', 'yes'].includes(word)) out[name] = 'on';
    else if (['off', '0', 'false', 'no', 'none'].includes(word)) out[name] = 'off';
    else if (word === 'auto') out[name] = 'auto';
    else bad(`${name}=${v} must be on, off or auto: shown where there is room.`);
  }
  const theme = q.get('theme');
  if (theme !== null) {
    if (theme === 'light' || theme === 'dark') out.theme = theme;
    else if (theme === 'auto' || theme === 'system') out.theme = 'system';
    else bad(`theme=${theme} must be light, dark or auto: following the system.`);
  }
  const allow = q.get('allowOrigins');
  if (allow !== null) {
    for (const o of allow.split(/[\s,]+/).filter(Boolean)) {
      if (o === '*') out.allowOrigins.push('*');
      else {
        let origin: string | null;
        try {
          const u = new URL(o);
          origin = u.origin !== 'null' && (u.protocol === 'https:' || u.protocol === 'http:') ? u.origin : null;
        } catch {
          origin = null;
        }
        if (origin && origin === o.replace(/\/$/, '')) out.allowOrigins.push(origin);
        else bad(`allowOrigins: "${o}" is not an origin (scheme://host[:port], nothing after it): ignored.`);
      }
    }
  }
  const lesson = q.get('lesson');
  if (lesson !== null) {
    if (/^[a-z][a-z-]{0,39}$/.test(lesson)) out.lesson = lesson;
    else bad(`lesson=${lesson.slice(0, 60)} is not a lesson name (lower-case letters and -, e.g. race): showing ${out.preset} without a lesson.`);
  }
  for (const k of q.keys()) if (!KNOWN.includes(k)) bad(`${k}= is not an embed parameter (${KNOWN.filter((n) => n !== 'embed').join(', ')}): ignored.`);
  return out;
}
