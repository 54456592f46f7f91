// The inspector: what the selected thing is, its handlers and contexts, its queue and counters.
// Live values are sampled a few times a second (not per frame) into React state.
import { useEffect, useState } from 'react';
import { useActions, useApp } from '../store/hooks.ts';
import { useSimContext } from '../simContext.ts';
import type { ConnectionDetail } from '../../src/model/engine.ts';
import type { Frame } from '../../src/protocol/messages.ts';
import { HANDLER_NAMES } from '../../src/base/status.ts';
import { connectionStateName } from '../viz/stackView.ts';
import { clientColor } from '../viz/colors.ts';
import { IRQL_NAMES, NOTIFY_POLICIES, RESUBMIT_FROM, RESUBMIT_SIZES, pick, type NotifyPolicy, type ResubmitFrom, type ResubmitSize } from '../../src/scenario/options.ts';
import { withCallbackIrql, type Irql } from '../irql.ts';
import { fmtBytes } from '../format.ts';

const SAMPLE_MS = 250;

export function Inspector() {
  const sim = useSimContext();
  const actions = useActions();
  const sel = useApp((s) => s.selection);
  const layout = useApp((s) => s.layout);
  const scenario = useApp((s) => s.scenario);
  const [frame, setFrame] = useState<Frame | null>(null);
  const [detail, setDetail] = useState<ConnectionDetail | null>(null);

  useEffect(() => {
    if (!sim || !sel) return;
    let live = true;
    const sample = () => {
      setFrame(sim.lastFrame);
      // Each sample supersedes the previous one: an old answer never replaces a newer one.
      if (sel.kind === 'connection') {
        actions.inspect(sel.index, { channel: 'inspector' }).then(
          (d) => live && setDetail(d),
          () => undefined, // superseded, or nothing loaded: the rows keep showing '–' or the last answer
        );
      }
    };
    sample();
    const timer = setInterval(sample, SAMPLE_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [sim, sel, actions]);

  if (!sel || !layout || !scenario) {
    return (
      <section className="panel inspector" aria-label="Inspector">
        <h2>Inspector</h2>
        <p className="hint">Click a connection, address, client, pool or driver to see its handlers, queue and counters. Click a NIC, a protocol layer or the pool to fail it.</p>
      </section>
    );
  }
  const close = () => actions.select(null);
  const handlersOf = (a: number) => (frame ? HANDLER_NAMES.filter((_, h) => frame.addressHandlers[a]! & (1 << h)) : []);

  let body: React.ReactNode;
  let title: string;
  if (sel.kind === 'connection') {
    const c = sel.index;
    const a = layout.connectionAddress[c]!;
    const cl = layout.addressClient[a]!;
    title = `Connection ${layout.connectionIds[c]}`;
    const state = frame ? connectionStateName(frame.connState[c]!) : 'ok';
    body = (
      <>
        <Row k="client">
          <Swatch i={cl} /> {layout.clientIds[cl]}
        </Row>
        <Row k="address">{layout.addressIds[a]}</Row>
        <Row k="route">{layout.nodeIds[layout.connectionNicNode[c]!]}</Row>
        <Row k="state">
          <span className={`state-pill ${state}`} data-testid="inspector-state">
            {STATE_TEXT[state]}
          </span>
        </Row>
        <Row k="in the pool">{frame ? fmtBytes(frame.buffered[c]!) : '–'}</Row>
        <Row k="transmitted">{frame ? fmtBytes(frame.transmitted[c]!) : '–'}</Row>
        <Row k="lost races (R24)">
          <span data-testid="inspector-lost-races">{frame ? frame.lostRaces[c] : 0}</span>
        </Row>
        <Row k="SendPossible owed (R21)">{detail ? (detail.debt ? 'yes' : 'no') : '–'}</Row>
        <Row k="last BytesAvailable told">{detail && detail.told > 0 ? fmtBytes(detail.told) : '–'}</Row>
        <Row k="IRQL of last callback">{detail?.lastIrql ?? '–'}</Row>
        <h3>Client's waiting queue</h3>
        {detail && detail.held.length > 0 ? (
          <ol className="queue-list">
            {detail.held.slice(0, 12).map((h, i) => (
              <li key={i}>
                {fmtBytes(h.bytes)} {h.origin >= 0 ? <span className="muted">(send #{h.origin})</span> : <span className="muted">(not yet submitted)</span>}
              </li>
            ))}
            {detail.held.length > 12 && <li className="muted">… {detail.held.length - 12} more</li>}
          </ol>
        ) : (
          <p className="muted">empty</p>
        )}
        {detail && detail.pending.length > 0 && (
          <>
            <h3>Pending in the transport (R14)</h3>
            <ol className="queue-list">
              {detail.pending.slice(0, 8).map((p) => (
                <li key={p.sendId}>
                  #{p.sendId}: {fmtBytes(p.bytes)} to copy{p.expedited ? ' · EXPEDITED' : ''}
                </li>
              ))}
            </ol>
          </>
        )}
        <Handlers handlers={handlersOf(a)} client={layout.clientIds[cl]!} address={layout.addressIds[a]!} />
      </>
    );
  } else if (sel.kind === 'address') {
    const a = sel.index;
    const cl = layout.addressClient[a]!;
    const open = frame ? (frame.addressState[a]! & 1) !== 0 : true;
    const usable = frame ? (frame.addressState[a]! & 2) !== 0 : true;
    title = `Address ${layout.addressIds[a]}`;
    body = (
      <>
        <Row k="client">
          <Swatch i={cl} /> {layout.clientIds[cl]}
        </Row>
        <Row k="transport">{layout.nodeIds[layout.transportNodes[layout.addressTransport[a]!]!]}</Row>
        <Row k="bound to">{layout.addressNics[a]!.map((n) => layout.nodeIds[n]).join(', ')}</Row>
        <Row k="depends on (R30)">{Array.from(layout.addressDeps[a]!, (n) => layout.nodeIds[n]).join(', ')}</Row>
        <Row k="file object">{!open ? 'closed' : usable ? 'open' : 'open, unusable (R31)'}</Row>
        <Row k="connections">{Array.from(layout.addressConnections[a]!.subarray(0, 16), (c) => layout.connectionIds[c]).join(', ')}</Row>
        <Handlers handlers={handlersOf(a)} client={layout.clientIds[cl]!} address={layout.addressIds[a]!} />
      </>
    );
  } else if (sel.kind === 'client') {
    const cl = sel.index;
    const spec = scenario.clients[cl]!;
    title = `Client ${spec.id}`;
    body = (
      <>
        <Row k="colour">
          <Swatch i={cl} />
        </Row>
        <Row k="registers">{spec.handlers.join(', ') || 'nothing'}</Row>
        <Row k="resubmits (R25)">
          from {spec.resubmit.from}
          {spec.resubmit.from !== 'handler' ? ` after ${spec.resubmit.delayUs} µs` : ''}, size {spec.resubmit.size}
        </Row>
        <Row k="on error (R34)">
          close after {spec.onError.closeAfterUs} µs{spec.onError.reopenAfterUs ? `, reopen after ${spec.onError.reopenAfterUs} µs` : ', no reopen'}
        </Row>
        {spec.handlerMisbehaviour && (
          <Row k="misbehaves (R41)">
            {spec.handlerMisbehaviour.handler}: {spec.handlerMisbehaviour.does}
          </Row>
        )}
        <Row k="addresses">{Array.from(layout.addressClient).flatMap((x, a) => (x === cl ? [layout.addressIds[a]] : [])).join(', ')}</Row>
        <ResubmitChanger client={spec.id} current={spec.resubmit} />
      </>
    );
  } else {
    const n = sel.index;
    const kind = layout.nodeKinds[n]!;
    title = `${kind === 'nic' ? 'NIC' : kind === 'protocol' ? 'Protocol layer' : 'Transport'} ${layout.nodeIds[n]}`;
    const failed = frame ? frame.nodeFailed[n] === 1 : false;
    const dependents = layout.addressIds.filter((_, a) => layout.addressDeps[a]!.includes(n));
    body = (
      <>
        <Row k="state">
          <span className={`state-pill ${failed ? 'broken' : 'ok'}`}>{failed ? 'failed' : 'working'}</span>
        </Row>
        {kind === 'transport' && <Row k="send pool">{fmtBytes(layout.transportCapacity[layout.transportNodes.indexOf(n)]!)}</Row>}
        <Row k="below it">{layout.nodeLower[n]!.map((l) => layout.nodeIds[l]).join(', ') || '—'}</Row>
        <Row k="addresses that depend on it">{dependents.join(', ') || 'none'}</Row>
        {kind === 'transport' && <NotifyChanger transport={layout.nodeIds[n]!} current={scenario.transports.find((t) => t.id === layout.nodeIds[n])!.sendPossible.notify} />}
        {kind === 'transport' && <IrqlChanger transport={layout.nodeIds[n]!} current={scenario.transports.find((t) => t.id === layout.nodeIds[n])!.callbackIrql} />}
        <button
          className="danger"
          onClick={(e) => {
            const r = (e.currentTarget as HTMLElement).getBoundingClientRect();
            actions.openFaultMenu(n, r.x, r.bottom);
          }}
        >
          Fail now…
        </button>
      </>
    );
  }

  return (
    <section className="panel inspector" aria-label="Inspector">
      <div className="panel-head">
        <h2 data-testid="inspector-title">{title}</h2>
        <button className="icon" aria-label="Close inspector" onClick={close}>
          ×
        </button>
      </div>
      <div className="kv">{body}</div>
    </section>
  );
}

/** Changes a client's resubmit policy from now on (R25); in the past that forks a branch. */
function ResubmitChanger({ client, current }: { client: string; current: { from: ResubmitFrom; delayUs: number; size: ResubmitSize } }) {
  const actions = useActions();
  const [from, setFrom] = useState(current.from);
  const [delayUs, setDelay] = useState(current.delayUs);
  const [size, setSize] = useState(current.size);
  return (
    <div className="changer" role="group" aria-label="Change the resubmit policy from now">
      <h3>Change from now (R25)</h3>
      <select aria-label="Resubmit from" value={from} onChange={(e) => setFrom(pick(RESUBMIT_FROM, e.target.value) ?? from)}>
        {RESUBMIT_FROM.map((x) => (
          <option key={x}>{x}</option>
        ))}
      </select>
      <input aria-label="Resubmit delay µs" type="number" min={from === 'timer' ? 1 : 0} value={delayUs} onChange={(e) => setDelay(Math.max(0, Number(e.target.value) || 0))} />
      <select aria-label="Resubmit size" value={size} onChange={(e) => setSize(pick(RESUBMIT_SIZES, e.target.value) ?? size)}>
        {RESUBMIT_SIZES.map((x) => (
          <option key={x}>{x}</option>
        ))}
      </select>
      <button
        onClick={() => actions.changePolicy({ client, resubmit: { from, delayUs: from === 'timer' ? Math.max(1, delayUs) : delayUs, size } })}
      >
        Apply from now
      </button>
    </div>
  );
}

/** R40: the IRQL a transport calls handlers at; a property of the scenario, so the run starts over. */
function IrqlChanger({ transport, current }: { transport: string; current: Irql }) {
  const actions = useActions();
  const scenario = useApp((s) => s.scenario);
  const [irql, setIrql] = useState<Irql>(current);
  return (
    <div className="changer" role="group" aria-label="Callback IRQL">
      <h3>Callbacks at (R40)</h3>
      <select aria-label="Callback IRQL" value={irql} onChange={(e) => setIrql(pick(IRQL_NAMES, e.target.value) ?? irql)}>
        {IRQL_NAMES.map((x) => (
          <option key={x}>{x}</option>
        ))}
      </select>
      <button disabled={!scenario} onClick={() => scenario && actions.loadScenario(withCallbackIrql(scenario, irql, transport))}>
        Run again with it
      </button>
    </div>
  );
}

/** Changes a transport's SendPossible notification policy from now on (R22). */
function NotifyChanger({ transport, current }: { transport: string; current: NotifyPolicy }) {
  const actions = useActions();
  const [notify, setNotify] = useState(current);
  return (
    <div className="changer" role="group" aria-label="Change notify from now">
      <h3>Change from now (R22)</h3>
      <select aria-label="Notify" value={notify} onChange={(e) => setNotify(pick(NOTIFY_POLICIES, e.target.value) ?? notify)}>
        {NOTIFY_POLICIES.map((x) => (
          <option key={x}>{x}</option>
        ))}
      </select>
      <button onClick={() => actions.changePolicy({ transport, sendPossible: { notify } })}>Apply from now</button>
    </div>
  );
}

const STATE_TEXT = {
  ok: 'sending',
  pending: 'blocking send pending (R14)',
  waiting: 'waiting (resubmission scheduled)',
  refused: 'refused — waiting for SendPossible',
  broken: 'broken (R31)',
} as const;

/** One key and value: a definition list of its own (the panel's grid also holds headings and lists). */
function Row({ k, children }: { k: string; children: React.ReactNode }) {
  return (
    <dl>
      <dt>{k}</dt>
      <dd>{children}</dd>
    </dl>
  );
}

function Swatch({ i }: { i: number }) {
  return <span className="swatch" style={{ background: clientColor(i) }} aria-hidden="true" />;
}

function Handlers({ handlers, client, address }: { handlers: string[]; client: string; address: string }) {
  return (
    <>
      <h3>Registered handlers (R2)</h3>
      {handlers.length === 0 ? (
        <p className="muted">none — this address is never called back</p>
      ) : (
        <ul className="handlers">
          {handlers.map((h) => (
            <li key={h}>
              <code>ClientEvent{h}</code> <span className="muted">TdiEventContext = {client}:{address}</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
