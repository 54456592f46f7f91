import { useCallback, useEffect, useRef, useState } from 'react';
import type { Selection } from '../store/store.ts';
import { useActions, useApp } from '../store/hooks.ts';
import { createLogView, type LogView } from './logView.ts';
import { LogModel, LOG_CAPACITY, LOG_GROUPS, SEARCH_BATCH, type LogGroup } from './logModel.ts';
import { STATUS_NAMES } from '../../src/base/status.ts';
import { ConnectionFilter } from '../components/ConnectionFilter.tsx';
import { useSimContext as useSim } from '../simContext.ts';
import { lowRate } from '../viz/lowRate.ts';
import { setText } from '../viz/dom.ts';
import { useViewFactory } from '../hooks/useViewFactory.ts';
import { useLogPlain } from './useLogPlain.ts';
import { fmtUs } from '../format.ts';

const NO_IDS: readonly string[] = [];

export function EventLog() {
  const sim = useSim();
  const actions = useActions();
  const layout = useApp((s) => s.layout);
  const loadSerial = useApp((s) => s.loadSerial);
  const hostRef = useRef<HTMLDivElement>(null);
  const countRef = useRef<HTMLSpanElement>(null);
  const searchRef = useRef<HTMLButtonElement>(null);
  const [groups, setGroups] = useState<Set<LogGroup>>(new Set());
  const [clientF, setClientF] = useState(-1);
  const [connF, setConnF] = useState(-1);
  const [statusF, setStatusF] = useState('');
  const modelRef = useRef<LogModel | null>(null);
  const viewRef = useRef<LogView | null>(null);
  const [plain, setPlain] = useLogPlain();
  const plainRef = useRef(plain);
  plainRef.current = plain;
  useEffect(() => viewRef.current?.setPlain(plain), [plain]);

  const onRow = useCallback(
    (abs: number) => {
      const m = modelRef.current;
      if (!m || !layout || !m.has(abs)) return; // a row still loading
      const ev = m.event(abs);
      viewRef.current?.select(abs);
      const conn = typeof ev.connection === 'string' ? layout.connectionIds.indexOf(ev.connection) : -1;
      const addr = typeof ev.address === 'string' ? layout.addressIds.indexOf(ev.address) : -1;
      const node = typeof ev.driver === 'string' ? layout.nodeIds.indexOf(ev.driver) : typeof ev.nic === 'string' ? layout.nodeIds.indexOf(ev.nic) : -1;
      const sel: Selection = conn >= 0 ? { kind: 'connection', index: conn } : addr >= 0 ? { kind: 'address', index: addr } : node >= 0 ? { kind: 'node', index: node } : null;
      actions.select(sel, { highlightSeq: ev.seq });
      // Refusals, lost races, error callbacks and breaks can say why they happened.
      const explainable = (ev.type === 'send.complete' && (ev.status === 'STATUS_DEVICE_NOT_READY' || ev.lostRace === true)) || ev.type === 'callback.error' || ev.type === 'connection.broken';
      // The Why? panel is about the row chosen: another row that cannot say why closes it (it went on explaining the last one).
      if (explainable) void actions.why(ev.seq);
      else actions.closeWhy();
    },
    [layout, actions],
  );

  // The row count, at the log's low rate (#10), written only when it changes.
  const countText = useRef(
    lowRate(() => {
      const model = modelRef.current;
      const el = countRef.current;
      if (!model || !el) return;
      // Unfiltered, every row of the run can be scrolled to (older ones load on demand); a filter
      // applies to the rows the log holds until it searches back through the run.
      const rows = `${model.visibleCount.toLocaleString('en-US')} rows`;
      const back = model.searchedBack;
      const text =
        model.olderCount > 0 || (!back && model.ringStart === 0)
          ? rows
          : !back
            ? `${rows} in the newest ${LOG_CAPACITY.toLocaleString('en-US')}`
            : back.row === 0
              ? `${rows} in the whole run`
              : `${rows} · searched back to t = ${fmtUs(back.us)}`;
      setText(el, text);
      const button = searchRef.current;
      if (button) {
        const hidden = !model.canSearchEarlier;
        if (button.hidden !== hidden) button.hidden = hidden;
        const label = model.searching ? 'searching…' : back ? 'search earlier' : 'search the whole run';
        setText(button, label);
        button.disabled = model.searching;
      }
    }),
  );
  useEffect(() => () => countText.current.cancel(), []);

  // A new load starts a new log (loadSerial).
  useViewFactory(
    hostRef,
    sim && layout
      ? (el) => {
          const model = new LogModel(layout);
          modelRef.current = model;
          const view = createLogView(el, model, onRow, { plain: plainRef.current });
          viewRef.current = view;
          // #10: rows older than the log holds come from the worker, regenerated from checkpoints.
          model.fetchRows = async (fromRow, count) => (await sim.request('records', { fromRow, count }, { channel: `log-rows:${fromRow}` })).records;
          model.onRowsLoaded = () => view.refresh();
          // #10: a filter reaches back past the rows held: the worker searches the run, a batch at a time.
          model.searchRows = async (beforeRow, limit, filter) => {
            const { op: _op, id: _id, ...found } = await sim.request('findRows', { beforeRow, limit, filter }, { channel: 'log-search' });
            return found;
          };
          model.onEarlierFound = (added) => {
            view.prepended(added);
            countText.current.request(true);
          };
          // A reply that comes after this view is gone (a new load, a rebuild) must not draw into it.
          return {
            ...view,
            destroy() {
              model.fetchRows = null;
              model.onRowsLoaded = null;
              model.searchRows = null;
              model.onEarlierFound = null;
              view.destroy();
            },
          };
        }
      : null,
    [sim, layout, loadSerial, onRow],
    {
      sim,
      first: true,
      onFrame: (view, f) => {
        const model = modelRef.current!;
        if (f.rewound) model.clear();
        if (f.events.length > 0 || f.rewound) {
          model.append(f.events);
          if (f.rewound) view.setModel(model);
          else view.refresh(!f.playing);
        }
        countText.current.request(!f.playing || f.rewound);
      },
    },
  );

  useEffect(() => {
    modelRef.current?.setFilter({ groups, client: clientF, connection: connF, status: statusF });
    viewRef.current?.setModel(modelRef.current!);
    countText.current.request(true);
  }, [groups, clientF, connF, statusF]);

  const toggle = (g: LogGroup) =>
    setGroups((prev) => {
      const next = new Set(prev);
      if (next.has(g)) next.delete(g);
      else next.add(g);
      return next;
    });

  return (
    <section className="log" id="event-log" aria-label="Event log">
      <div className="log-head">
        <strong>Event log</strong>
        <button className={plain ? 'chip on' : 'chip'} aria-pressed={plain} title="Rows as plain sentences or as the C calls (remembered)" onClick={() => setPlain(!plain)}>
          plain words
        </button>
        <div className="chips" role="group" aria-label="Filter by type">
          {(Object.keys(LOG_GROUPS) as LogGroup[]).map((g) => (
            <button key={g} className={groups.has(g) ? 'chip on' : 'chip'} aria-pressed={groups.has(g)} onClick={() => toggle(g)}>
              {g}
            </button>
          ))}
        </div>
        <select aria-label="Filter by client" value={clientF} onChange={(e) => setClientF(Number(e.target.value))}>
          <option value={-1}>all clients</option>
          {layout?.clientIds.map((id, i) => (
            <option key={id} value={i}>
              client {id}
            </option>
          ))}
        </select>
        <ConnectionFilter ids={layout?.connectionIds ?? NO_IDS} value={connF} onChange={setConnF} />
        <select aria-label="Filter by status" value={statusF} onChange={(e) => setStatusF(e.target.value)}>
          <option value="">any status</option>
          <option value="error">failures only</option>
          {STATUS_NAMES.map((s) => (
            <option key={s} value={s}>
              {s.replace('STATUS_', '')}
            </option>
          ))}
        </select>
        <span className="log-count" ref={countRef} />
        <button
          ref={searchRef}
          className="chip log-search"
          hidden
          title={`Find the next ${SEARCH_BATCH} matching rows before these, replaying the run from its checkpoints`}
          onClick={() => {
            const model = modelRef.current;
            if (!model) return;
            // A failed search (the worker restarting) leaves the list as it was; the button asks again.
            void model
              .searchEarlier()
              .catch(() => undefined)
              .finally(() => countText.current.request(true));
            countText.current.request(true);
          }}
        >
          search the whole run
        </button>
      </div>
      <div className="log-host" ref={hostRef} data-testid="log" />
    </section>
  );
}
