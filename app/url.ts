// What the address bar can ask for: ?preset=NAME&seed=N&speed=X&projector=1&api=wsk. A hand-edited value that makes no
// sense is named in a notice and replaced by the default; it never blanks the page.
import { isPresetName, PRESET_NAMES, type PresetName } from '../src/scenario/presets.ts';
import { parseSpeedParam } from './store/speeds.ts';
import type { Api } from '../src/model/state.ts';

export interface UrlState {
  preset: PresetName;
  seed?: number;
  speed?: number;
  /** `projector=1` (or 0): projector mode (#8). */
  projector?: boolean;
  /** `api=wsk` (or tdi): the kernel interface the clients use (#20). */
  api?: Api;
  notices: string[];
}

export function readUrlState(search: string): UrlState {
  const q = new URLSearchParams(search);
  const out: UrlState = { preset: 'basics', notices: [] };
  const preset = q.get('preset');
  if (preset !== null) {
    if (isPresetName(preset)) out.preset = preset;
    else out.notices.push(`There is no preset "${preset}" (try ${PRESET_NAMES.join(', ')}): showing basics.`);
  }
  const seed = q.get('seed');
  if (seed !== null) {
    const n = Number(seed);
    if (/^\d+$/.test(seed) && n <= 0xffffffff) out.seed = n;
    else out.notices.push(`seed=${seed} is not a whole number from 0 to 4294967295: using the preset's seed.`);
  }
  const speed = q.get('speed');
  if (speed !== null) {
    const n = parseSpeedParam(speed);
    if (n !== null) out.speed = n;
    else out.notices.push(`speed=${speed} must be a decimal number above 0 and at most 1000: using the default.`);
  }
  const projector = q.get('projector');
  if (projector !== null) {
    if (projector === '1' || projector === 'true') out.projector = true;
    else if (projector === '0' || projector === 'false') out.projector = false;
    else out.notices.push(`projector=${projector} must be 1 or 0 (or true or false): projector mode stays off.`);
  }
  const api = q.get('api');
  if (api !== null) {
    if (api === 'tdi' || api === 'wsk') out.api = api;
    else out.notices.push(`api=${api} must be tdi or wsk (the kernel interface the clients use): showing TDI.`);
  }
  return out;
}

/** "0.0005× · 1 ms ≈ 2 s": teachers think in how long a simulated millisecond takes. */
export function speedLabel(speed: number): string {
  if (!(speed > 0)) return 'stopped';
  if (speed >= 1) return `${+speed.toPrecision(3)}×`;
  const realMsPerSimMs = 1 / speed;
  const per = realMsPerSimMs >= 1000 ? `${+(realMsPerSimMs / 1000).toPrecision(2)} s` : `${Math.round(realMsPerSimMs)} ms`;
  return `${+speed.toPrecision(2)}× · 1 ms ≈ ${per}`;
}
