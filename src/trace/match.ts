// A record filter a host can name (the embed API's subscribe / find / seek-to-first, `pauseAt=first:…`):
// one record type and public field values, compared with === on the decoded record (formats.md § Trace).
import { fieldOf, type TraceEvent } from './names.ts';

/** A record of one type whose public fields equal these values (`{ type: 'send.complete', where: { lostRace: true } }`). */
export interface RecordMatch {
  type: string;
  where?: Record<string, string | number | boolean>;
}

export function recordMatches(m: RecordMatch, ev: TraceEvent): boolean {
  if (ev.type !== m.type) return false;
  if (m.where) for (const [k, v] of Object.entries(m.where)) if (fieldOf(ev, k) !== v) return false;
  return true;
}

export function describeMatch(m: RecordMatch): string {
  const where = m.where ? Object.entries(m.where).map(([k, v]) => `${k}=${String(v)}`).join(', ') : '';
  return where ? `${m.type} with ${where}` : m.type;
}
