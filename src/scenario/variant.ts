// A policy variant of a scenario, for side-by-side comparison: the same seed and workload with one or
// more options changed on every transport or client.
import type { Scenario } from './schema.ts';
import type { NotifyPolicy, ResubmitFrom, ResubmitSize } from './options.ts';

export interface Variant {
  notify?: NotifyPolicy; // R22, every transport
  thresholdBytes?: number; // R22, every transport
  from?: ResubmitFrom; // R25, every client
  delayUs?: number; // R25, every client
  size?: ResubmitSize; // R25, every client
}

export function applyVariant(s: Scenario, v: Variant): Scenario {
  const out = structuredClone(s);
  for (const t of out.transports) {
    if (v.notify) t.sendPossible.notify = v.notify;
    if (v.thresholdBytes !== undefined) t.sendPossible.thresholdBytes = v.thresholdBytes;
  }
  for (const c of out.clients) {
    if (v.from) c.resubmit.from = v.from;
    if (v.delayUs !== undefined) c.resubmit.delayUs = v.from === 'timer' ? Math.max(1, v.delayUs) : v.delayUs;
    if (v.size) c.resubmit.size = v.size;
  }
  out.title = `${s.title} — ${describeVariant(v) || 'unchanged'}`;
  return out;
}

export function describeVariant(v: Variant): string {
  const parts: string[] = [];
  if (v.notify) parts.push(`notify: ${v.notify}`);
  if (v.thresholdBytes !== undefined) parts.push(`threshold ${v.thresholdBytes} B`);
  if (v.from) parts.push(`resubmit from ${v.from}${v.delayUs !== undefined && v.from !== 'handler' ? ` after ${v.delayUs} µs` : ''}`);
  else if (v.delayUs !== undefined) parts.push(`resubmit delay ${v.delayUs} µs`);
  if (v.size) parts.push(`size: ${v.size}`);
  return parts.join(', ');
}
