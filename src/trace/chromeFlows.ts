// Checks the flow arrows of a Trace Event Format file (the chrome-trace export): Perfetto joins an
// `f` to the `s` with the same id, so an id shared by two starts, or an end with no start, draws
// arrows between the wrong slices or none at all. Pure, so property tests can call it on any run.

interface FlowEvent {
  ph: string;
  id?: unknown;
  pid?: unknown;
  tid?: unknown;
  ts?: unknown;
}

/**
 * Problems with the flow events (`ph` 's' and 'f'), one sentence each; [] when every `f` ends
 * exactly one earlier `s` with its id on the same track (pid, tid), and no two `s` share an id.
 */
export function checkChromeFlows(trace: string | { traceEvents: readonly FlowEvent[] }): string[] {
  const events = (typeof trace === 'string' ? (JSON.parse(trace) as { traceEvents: FlowEvent[] }) : trace).traceEvents;
  const problems: string[] = [];
  const starts = new Map<string, FlowEvent>();
  const ended = new Set<string>();
  events.forEach((e, i) => {
    if (e.ph !== 's' && e.ph !== 'f') return;
    const id = String(e.id);
    if (e.ph === 's') {
      if (starts.has(id)) problems.push(`event ${i}: flow start id ${id} is used by an earlier start too`);
      else starts.set(id, e);
      return;
    }
    const s = starts.get(id);
    if (!s) problems.push(`event ${i}: flow end id ${id} has no earlier start`);
    else if (s.pid !== e.pid || s.tid !== e.tid) problems.push(`event ${i}: flow end id ${id} is on pid ${String(e.pid)} tid ${String(e.tid)}, its start on pid ${String(s.pid)} tid ${String(s.tid)}`);
    else if ((s.ts as number) > (e.ts as number)) problems.push(`event ${i}: flow end id ${id} at ${String(e.ts)} precedes its start at ${String(s.ts)}`);
    if (ended.has(id)) problems.push(`event ${i}: flow id ${id} is ended twice`);
    ended.add(id);
  });
  return problems;
}
