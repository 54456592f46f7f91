// Compare: the same scenario and seed twice, side by side, each in its own worker, differing in
// policy options — or run through TDI (A) and through its replacement, WSK (B, #20); played and
// scrubbed together; a difference table of their outcomes.
import { useEffect, useRef, useState } from 'react';
import { appStore } from '../store/store.ts';
import { useActions, useApp } from '../store/hooks.ts';
import { SimClient } from '../simClient.ts';
import { createStackView } from '../viz/stackView.ts';
import { applyVariant, describeVariant, type Variant } from '../../src/scenario/variant.ts';
import type { Summary } from '../../src/trace/summary.ts';
import type { Topology } from '../../src/model/topology.ts';
import { fmtBytes, fmtUs } from '../format.ts';
import { useDialogFocus } from '../hooks/useDialogFocus.ts';
import { NOTIFY_POLICIES, RESUBMIT_FROM, RESUBMIT_SIZES } from '../../src/scenario/options.ts';

type Side = 'A' | 'B';
/** What A and B differ in: policy options (under the page's API), or the kernel interface (#20). */
type CompareMode = 'policies' | 'apis';
const API_CAPTION = { A: 'TDI — TdiSend, SendPossible, ClientEventError', B: 'WSK — WskSend IRPs that pend, WskSendBacklogEvent, WskDisconnectEvent' } as const;

export function CompareDialog() {
  const open = useApp((s) => s.compareOpen);
  const scenario = useApp((s) => s.scenario);
  const given = useApp((s) => s.compareWith);
  const actions = useActions();
  const [va, setVa] = useState<Variant>({});
  const [vb, setVb] = useState<Variant>({ notify: 'oldest' });
  const [mode, setMode] = useState<CompareMode>('policies');
  const [serial, setSerial] = useState(0);
  const [summaries, setSummaries] = useState<Record<Side, Summary | null>>({ A: null, B: null });
  // The shared time is written by the frame listener through refs: frames never re-render React.
  const timeText = useRef<HTMLSpanElement>(null);
  const timeSlider = useRef<HTMLInputElement>(null);
  const clients = useRef<Record<Side, SimClient | null>>({ A: null, B: null });
  const hosts = { A: useRef<HTMLDivElement>(null), B: useRef<HTMLDivElement>(null) };
  const dialogRef = useRef<HTMLDivElement>(null);
  useDialogFocus(dialogRef, open && !!scenario);

  useEffect(() => {
    if (!open || !scenario) return;
    const made: Record<Side, SimClient> = { A: new SimClient(), B: new SimClient() };
    // Both start at the main view's moment (the table compares the runs up to there at once);
    // after Run A and B they play from there.
    const startUs = actions.shareMoment()?.timeUs ?? 0;
    const playAfterLoad = serial > 0;
    clients.current = made;
    const cleanups: (() => void)[] = [];
    (['A', 'B'] as const).forEach((side) => {
      const c = made[side];
      let layout: Topology | null = null;
      let view: ReturnType<typeof createStackView> | null = null;
      cleanups.push(
        c.onEvent((e) => {
          if (e.op === 'ready') {
            c.send({ op: 'setSpeed', speed: appStore.getState().speed });
            // Two branches as they are, the scenario through TDI and through WSK, or two policy variants of it.
            const apis = !given && mode === 'apis';
            const run = given ? (side === 'A' ? given.a : given.b) : apis ? scenario : applyVariant(scenario, side === 'A' ? va : vb);
            const api = apis ? (side === 'A' ? 'tdi' : 'wsk') : appStore.getState().api;
            c.send({ op: 'load', source: { kind: 'json', scenario: run }, api });
          } else if (e.op === 'loaded' && hosts[side].current) {
            layout = e.topology;
            view?.destroy();
            view = createStackView(hosts[side].current!, layout, { onSelect: () => undefined, onNodeMenu: () => undefined }, { api: e.api ?? 'tdi' });
            if (startUs > 0) c.send({ op: 'seek', timeUs: startUs });
            if (playAfterLoad) c.send({ op: 'play' });
          }
        }),
        c.onFrame((f) => {
          view?.update(f);
          if (side === 'A') {
            if (timeText.current) timeText.current.textContent = `t = ${fmtUs(f.nowUs)}`;
            if (timeSlider.current && document.activeElement !== timeSlider.current) timeSlider.current.value = String(f.nowUs);
          }
        }),
        () => view?.destroy(),
      );
    });
    const poll = setInterval(() => {
      for (const side of ['A', 'B'] as const) {
        made[side].request('summary', {}).then(
          (reply) => setSummaries((s) => ({ ...s, [side]: reply.summary })),
          () => undefined, // superseded by the next poll, or the dialog closed
        );
      }
    }, 400);
    return () => {
      clearInterval(poll);
      for (const f of cleanups) f();
      made.A.destroy();
      made.B.destroy();
      clients.current = { A: null, B: null };
      setSummaries({ A: null, B: null });
    };
    // Variants apply when the user presses Run (serial), not on every change of a select; `hosts` is
    // two refs (stable elements in a new object each render) and `actions` the store's stable object.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, scenario, serial, given, mode]);

  if (!open || !scenario) return null;
  const both = (cmd: Parameters<SimClient['send']>[0]) => {
    clients.current.A?.send(cmd);
    clients.current.B?.send(cmd);
  };
  const close = actions.closeCompare;
  const apis = !given && mode === 'apis';
  const caption = (side: Side) =>
    given ? (side === 'A' ? given.aLabel : given.bLabel) : apis ? API_CAPTION[side] : describeVariant(side === 'A' ? va : vb) || 'as the scenario says';
  return (
    <div className="overlay compare" role="dialog" aria-modal="true" aria-label={apis ? 'Compare TDI and WSK' : 'Compare two policies'} ref={dialogRef} data-mode={given ? 'branches' : mode}>
      <div className="overlay-body compare-body">
        <div className="panel-head">
          <h2>Compare: {scenario.title}</h2>
          <button className="icon" aria-label="Close compare" onClick={close}>
            ×
          </button>
        </div>
        <div className="compare-controls">
          {!given && (
            <label className="field compare-mode">
              <span>Compare</span>
              <select aria-label="What A and B differ in" value={mode} onChange={(e) => setMode(e.target.value === 'apis' ? 'apis' : 'policies')}>
                <option value="policies">two policies</option>
                <option value="apis">TDI vs WSK</option>
              </select>
            </label>
          )}
          {!given && !apis && <VariantPicker side="A" value={va} onChange={setVa} clients={scenario.clients.map((c) => c.id)} transports={scenario.transports.map((t) => t.id)} />}
          {!given && !apis && <VariantPicker side="B" value={vb} onChange={setVb} clients={scenario.clients.map((c) => c.id)} transports={scenario.transports.map((t) => t.id)} />}
          <div className="transport-controls">
            <button className="primary" onClick={() => setSerial((n) => n + 1)}>
              Run A and B
            </button>
            <button onClick={() => both({ op: 'play' })}>Play both</button>
            <button onClick={() => both({ op: 'pause' })}>Pause</button>
            <button onClick={() => both({ op: 'runToEnd' })}>Both to end</button>
          </div>
          <label className="field compare-time">
            <span ref={timeText}>t = {fmtUs(0)}</span>
            <input
              type="range"
              aria-label="Time of both runs"
              min={0}
              max={scenario.durationUs}
              ref={timeSlider}
              defaultValue={0}
              onChange={(e) => both({ op: 'seek', timeUs: Number(e.target.value) })}
            />
          </label>
        </div>
        <div className="compare-views">
          {(['A', 'B'] as const).map((side) => (
            <figure key={side} className="compare-view">
              <figcaption>
                <strong>{side}</strong> — {caption(side)}
              </figcaption>
              <div className="stack-host" ref={hosts[side]} data-testid={`compare-${side}`} />
            </figure>
          ))}
        </div>
        <DiffTable a={summaries.A} b={summaries.B} apis={apis} />
      </div>
    </div>
  );
}

function VariantPicker({ side, value, onChange, clients, transports }: { side: Side; value: Variant; onChange: (v: Variant) => void; clients: string[]; transports: string[] }) {
  const set = (k: keyof Variant, v: string) => {
    const next = { ...value } as Record<string, unknown>;
    if (v === '') delete next[k];
    else next[k] = k === 'delayUs' || k === 'thresholdBytes' ? Number(v) : v;
    onChange(next as Variant);
  };
  return (
    <fieldset className="variant">
      <legend>{side}</legend>
      <label>
        notify
        <select aria-label={`${side} notify`} value={value.notify ?? ''} onChange={(e) => set('notify', e.target.value)}>
          <AsIsOptions options={NOTIFY_POLICIES} />
        </select>
      </label>
      {transports.length > 1 && (
        <label>
          on
          <select aria-label={`${side} which transport`} value={value.transport ?? ''} onChange={(e) => set('transport', e.target.value)}>
            <option value="">every transport</option>
            {transports.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        resubmit of
        <select aria-label={`${side} which client`} value={value.client ?? ''} onChange={(e) => set('client', e.target.value)}>
          <option value="">every client</option>
          {clients.map((c) => (
            <option key={c} value={c}>
              client {c}
            </option>
          ))}
        </select>
      </label>
      <label>
        resubmit from
        <select aria-label={`${side} resubmit from`} value={value.from ?? ''} onChange={(e) => set('from', e.target.value)}>
          <AsIsOptions options={RESUBMIT_FROM} />
        </select>
      </label>
      <label>
        delay µs
        <input aria-label={`${side} delay`} type="number" min={0} value={value.delayUs ?? ''} placeholder="as is" onChange={(e) => set('delayUs', e.target.value)} />
      </label>
      <label>
        size
        <select aria-label={`${side} size`} value={value.size ?? ''} onChange={(e) => set('size', e.target.value)}>
          <AsIsOptions options={RESUBMIT_SIZES} />
        </select>
      </label>
    </fieldset>
  );
}

/** "as is" (the scenario's own value) and then every option of the list. */
function AsIsOptions({ options }: { options: readonly string[] }) {
  return (
    <>
      <option value="">as is</option>
      {options.map((o) => (
        <option key={o} value={o}>
          {o}
        </option>
      ))}
    </>
  );
}

type Row = [name: string, get: (s: Summary) => number | null, fmt: (v: number) => string, better: 'higher' | 'lower'];

/** Callbacks the clients were called with: TDI's SendPossible and ClientEventError(Ex), WSK's WskSendBacklogEvent and WskDisconnectEvent. */
export function callbacksMade(s: Summary): number {
  const errors = Object.values(s.clients).reduce((n, c) => n + c.errorCallbacks, 0);
  return s.total.sendPossible + errors + (s.wsk ? s.wsk.total.backlogEvents + s.wsk.total.disconnects : 0);
}

/** How many clients learn of a failure: under TDI those a ClientEventError reached; under WSK those whose sockets' IRPs failed or were disconnected (W5). */
export function clientsReached(s: Summary): number {
  const wsk = s.wsk;
  if (wsk) return Object.values(wsk.clients).filter((c) => c.irpsFailed > 0 || c.disconnects > 0).length;
  return Object.values(s.clients).filter((c) => c.errorCallbacks > 0).length;
}

/** What a failure reaches, and how: "ClientEventError to 1 client (2 calls)" vs "2 sockets' IRPs failed, 2 disconnect events". */
export function failureReach(s: Summary): string {
  const wsk = s.wsk;
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  if (wsk) return `${plural(wsk.total.socketsFailed, "socket's IRPs", "sockets' IRPs")} failed, ${plural(wsk.total.disconnects, 'disconnect event', 'disconnect events')}`;
  const calls = Object.values(s.clients).reduce((n, c) => n + c.errorCallbacks, 0);
  return `ClientEventError to ${plural(clientsReached(s), 'client', 'clients')} (${plural(calls, 'call', 'calls')})`;
}

function DiffTable({ a, b, apis }: { a: Summary | null; b: Summary | null; apis: boolean }) {
  // Per client too: a policy change often moves the race from one client to another rather than
  // ending it, and only per-client rows show that.
  const clientIds = Object.keys(a?.clients ?? b?.clients ?? {});
  const seconds = (s: Summary) => Math.max(1e-9, s.simulatedUs / 1e6);
  const perClient: Row[] = clientIds.flatMap((id): Row[] => [
    [`lost races · client ${id}`, (s) => s.clients[id]?.lostRaces ?? null, String, 'lower'],
    [`throughput · client ${id}`, (s) => (s.clients[id] ? s.clients[id].bytesTransmitted / seconds(s) : null), (v) => `${fmtBytes(Math.round(v))}/s`, 'higher'],
    // TDI vs WSK (#20): how long each client's sends wait (refusal to acceptance; a WskSend from its call to its completion).
    ...(apis
      ? ([
          [`wait p50 · client ${id}`, (s) => s.clients[id]?.waitP50Us ?? null, (v) => fmtUs(v), 'lower'],
          [`wait p95 · client ${id}`, (s) => s.clients[id]?.waitP95Us ?? null, (v) => fmtUs(v), 'lower'],
        ] satisfies Row[])
      : []),
  ]);
  const wskRows = apis || a?.wsk || b?.wsk;
  const rows: Row[] = [
    ['throughput', (s) => s.total.throughputBytesPerS, (v) => `${fmtBytes(Math.round(v))}/s`, 'higher'],
    ['refusals (DEVICE_NOT_READY)', (s) => s.total.deviceNotReady, String, 'lower'],
    ['SendPossible calls', (s) => s.total.sendPossible, String, 'lower'],
    ['lost races', (s) => s.total.lostRaces, String, 'lower'],
    ["Jain's fairness", (s) => s.jainFairness, (v) => v.toFixed(3), 'higher'],
    ['wait p50', (s) => s.total.waitP50Us, (v) => fmtUs(v), 'lower'],
    ['wait p95', (s) => s.total.waitP95Us, (v) => fmtUs(v), 'lower'],
    ...(wskRows
      ? ([
          ['callbacks made', callbacksMade, String, 'lower'],
          // W1: what WSK costs the client instead: its buffers stay locked until the IRP completes (TDI copies and returns).
          ['peak bytes locked in pending IRPs', (s) => s.wsk?.total.peakLockedBytes ?? 0, (v) => fmtBytes(v), 'lower'],
          ['clients told of a failure', clientsReached, String, 'higher'],
        ] satisfies Row[])
      : []),
  ];
  return (
    <table className="diff-table" data-testid="diff-table">
      <thead>
        <tr>
          <th />
          <th>A</th>
          <th>B</th>
          <th>B − A</th>
        </tr>
      </thead>
      <tbody>
        {[...rows, ...perClient].map(([name, get, fmt, better], i) => {
          const va = a ? get(a) : null;
          const vb = b ? get(b) : null;
          const d = va !== null && vb !== null ? vb - va : null;
          const good = d === null || d === 0 ? '' : (d > 0) === (better === 'higher') ? 'better' : 'worse';
          const row = (
            <tr key={name} data-row={name}>
              <th scope="row">{name}</th>
              <td>{va === null ? '–' : fmt(va)}</td>
              <td>{vb === null ? '–' : fmt(vb)}</td>
              <td className={good}>{d === null ? '–' : `${d > 0 ? '+' : ''}${name === "Jain's fairness" ? d.toFixed(3) : name.startsWith('wait') ? fmtUs(d) : name.startsWith('throughput') ? fmtBytes(Math.round(d)) + '/s' : name.startsWith('peak bytes') ? fmtBytes(d) : d}`}</td>
            </tr>
          );
          // The failure's reach, in words, right after the totals (before the per-client rows).
          if (!wskRows || i !== rows.length - 1) return row;
          return [
            row,
            <tr key="what a failure reaches" data-row="what a failure reaches">
              <th scope="row">what a failure reaches</th>
              <td>{a ? failureReach(a) : '–'}</td>
              <td>{b ? failureReach(b) : '–'}</td>
              <td>–</td>
            </tr>,
          ];
        })}
      </tbody>
    </table>
  );
}
