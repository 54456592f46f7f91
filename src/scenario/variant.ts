// A policy variant of a scenario, for side-by-side comparison: the same seed and workload with one or
// more options changed on every transport or client, or on one of them (as `policyChanges` can).
import type { Scenario } from './schema.ts';
import type { NotifyPolicy, ResubmitFrom, ResubmitSize } from './options.ts';

export interface Variant {
  notify?: NotifyPolicy; // R22, every transport (or `transport`)
  thresholdBytes?: number; // R22, every transport (or `transport`)
  from?: ResubmitFrom; // R25, every client (or `client`)
  delayUs?: number; // R25, every client (or `client`)
  size?: ResubmitSize; // R25, every client (or `client`)
  /** The one transport the R22 options apply to; absent: every transport. */
  transport?: string;
  /** The one client the R25 options apply to; absent: every client. */
  client?: string;
}

export function applyVariant(s: Scenario, v: Variant): Scenario {
  const out = structuredClone(s);
  for (const t of out.transports) {
    if (v.transport !== undefined && t.id !== v.transport) continue;
    if (v.notify) t.sendPossible.notify = v.notify;
    if (v.thresholdBytes !== undefined) t.sendPossible.thresholdBytes = v.thresholdBytes;
  }
  for (const c of out.clients) {
    if (v.client !== undefined && c.id !== v.client) continue;
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
  const r22 = v.notify !== undefined || v.thresholdBytes !== undefined;
  const r25 = v.from !== undefined || v.delayUs !== undefined || v.size !== undefined;
  const where = [r22 && v.transport !== undefined ? `on ${v.transport}` : '', r25 && v.client !== undefined ? `for client ${v.client}` : ''].filter(Boolean);
  return parts.join(', ') + (parts.length && where.length ? ` (${where.join(', ')})` : '');
}
