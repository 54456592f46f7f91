// The scenario editor (#15), a lazily loaded chunk: an outline of the scenario's parts with add (+)
// and remove (Delete), a form per part with every field of docs/scenario.md, the workloads, the
// timed changes, Scale, a JSON tab in sync both ways, undo/redo, live validation whose problems link
// to their fields, and Play / Save. It edits a draft (model.ts); Play loads it as any file is loaded.
import { saveBlob } from '../exportPicture.ts';
import {
  useDeferredValue,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import { create } from 'zustand';
import { useActions, useApp } from '../store/hooks.ts';
import { validateScenario, splitProblem } from '../../src/scenario/validate.ts';
import { parseJsonText } from '../../src/scenario/jsonText.ts';
import {
  addSend,
  addThing,
  blankScenario,
  commit,
  DEFAULT_GENERATOR,
  fileNameFor,
  formatPath,
  getAt,
  idOf,
  items,
  MAX_SCALED_CONNECTIONS,
  moveConnection,
  nicIds,
  numberFromText,
  parsePath,
  redo,
  removeThing,
  renameId,
  scale,
  setAt,
  setForAll,
  startHistory,
  targetOfPath,
  undo,
  type Draft,
  type History,
  type ListName,
  type NewThing,
  type Obj,
  type PathKey,
  type Target,
} from './model.ts';
import {
  ADDRESS_FIELDS,
  CLIENT_FIELDS,
  CONNECTION_FIELDS,
  FAULT_FIELDS,
  GENERATOR_FIELDS,
  HANDLER_CHANGE_FIELDS,
  NIC_FIELDS,
  POLICY_CHANGE_FIELDS,
  PROTOCOL_FIELDS,
  SCENARIO_FIELDS,
  SEND_FLAGS,
  TRANSPORT_FIELDS,
  type FieldSpec,
} from './fields.ts';
import './editor.css';

// ---- State: kept in the module, so closing and reopening the editor loses nothing ------------------

interface EditorState {
  history: History | null;
  target: Target;
  /** A field to focus after the next render (a problem's link). */
  focusPath: string | null;
  /** The JSON view's text while it does not parse (kept, and named as a problem). */
  brokenJson: string | null;
  edit(next: Draft, typing?: string | null): void;
  set(p: Partial<Pick<EditorState, 'history' | 'target' | 'focusPath' | 'brokenJson'>>): void;
}

const useEditor = create<EditorState>((set, get) => ({
  history: null,
  target: { list: 'scenario' },
  focusPath: null,
  brokenJson: null,
  edit: (next, typing = null) => {
    const h = get().history;
    if (h) set({ history: commit(h, next, typing) });
  },
  set: (p) => set(p),
}));

/** The DOM id of a field: one per JSON path, so a problem can link to it. */
export const fieldDomId = (path: string): string => `ed-${path.replace(/[^A-Za-z0-9]+/g, '-')}`;

/** Problems by path, for the fields that show them. */
type ProblemMap = Map<string, string[]>;
const problemsUnder = (problems: ProblemMap, path: string): string[] => {
  const out: string[] = [];
  for (const [p, m] of problems)
    if (p === path || p.startsWith(`${path}.`) || p.startsWith(`${path}[`)) out.push(...m);
  return out;
};

/** Saves the scenario file through the Export dialog's download (exportPicture.ts). */
function download(text: string, fileName: string): void {
  saveBlob(new Blob([text], { type: 'application/json' }), fileName);
}

export default function Editor({ onClose }: { onClose: () => void }) {
  const history = useEditor((s) => s.history);
  const st = useEditor.getState();
  const stageScenario = useApp((s) => s.scenario);
  const actions = useActions();
  const [tab, setTab] = useState<'outline' | 'scale' | 'json'>('outline');
  // Below the toolbar, however many rows it wraps to.
  const [top, setTop] = useState(60);
  useLayoutEffect(() => {
    const bar = document.querySelector('.topbar');
    if (!bar) return;
    const measure = () => setTop(Math.round(bar.getBoundingClientRect().bottom) + 8);
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(bar);
    return () => ro.disconnect();
  }, []);

  // The stage's scenario, as it is on screen; it is followed until the first edit.
  useEffect(() => {
    const h = useEditor.getState().history;
    if (stageScenario && (!h || (h.past.length === 0 && h.future.length === 0)))
      useEditor.getState().set({ history: startHistory(structuredClone(stageScenario) as unknown as Draft) });
    else if (!h) useEditor.getState().set({ history: startHistory(blankScenario()) });
  }, [stageScenario]);

  const draft = history?.present;
  // Checking and the outline follow a moment behind the typing: on a scenario of thousands of
  // connections (stress) a keystroke is drawn at once, and they catch up when there is time.
  const checked = useDeferredValue(draft);
  const validation = useMemo(() => (checked ? validateScenario(checked) : null), [checked]);
  const problemLines = useMemo(() => (validation && !validation.ok ? validation.problems : []), [validation]);
  const problems: ProblemMap = useMemo(() => {
    const m: ProblemMap = new Map();
    for (const line of problemLines) {
      const { path, message } = splitProblem(line);
      m.set(path, [...(m.get(path) ?? []), message]);
    }
    return m;
  }, [problemLines]);
  const brokenJson = useEditor((s) => s.brokenJson);
  const jsonProblem = useMemo(() => (brokenJson === null ? null : jsonTextProblem(brokenJson)), [brokenJson]);
  const playable = validation?.ok === true && jsonProblem === null;

  // A click on the stage opens that part's form (found by id: the draft may have moved on from what
  // the stage shows).
  const selection = useApp((s) => s.selection);
  const layout = useApp((s) => s.layout);
  useEffect(() => {
    const h = useEditor.getState().history;
    if (!selection || !layout || !h) return;
    const [list, idValue]: [ListName, string | undefined] =
      selection.kind === 'connection'
        ? ['connections', layout.connectionIds[selection.index]]
        : selection.kind === 'address'
          ? ['addresses', layout.addressIds[selection.index]]
          : selection.kind === 'client'
            ? ['clients', layout.clientIds[selection.index]]
            : [
                layout.nodeKinds[selection.index] === 'transport' ? 'transports' : 'drivers',
                layout.nodeIds[selection.index],
              ];
    const index = items(h.present, list).findIndex((x) => idOf(x) === idValue);
    if (index >= 0) useEditor.getState().set({ target: { list, index } });
  }, [selection, layout]);

  // Ctrl+Z from outside the editor too (focus on the page, or on a button that just went disabled);
  // inside it, the section's own handler has it first and stops it.
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (!(e.ctrlKey || e.metaKey) || t?.closest('input, select, textarea')) return;
      const k = e.key.toLowerCase();
      if (k !== 'z' && k !== 'y') return;
      const h = useEditor.getState().history;
      if (!h) return;
      e.preventDefault();
      useEditor.getState().set({ history: k === 'y' || e.shiftKey ? redo(h) : undo(h) });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const onKeyDown = (e: KeyboardEvent) => {
    // The page's own keys (Space plays, arrows step, R resets) stay out of the editor.
    e.stopPropagation();
    const mod = e.ctrlKey || e.metaKey;
    const k = e.key.toLowerCase();
    if (mod && (k === 'z' || k === 'y')) {
      e.preventDefault();
      const h = useEditor.getState().history;
      if (h) useEditor.getState().set({ history: k === 'y' || e.shiftKey ? redo(h) : undo(h) });
    }
  };

  const goTo = (path: string) => {
    setTab('outline');
    st.set({ target: targetOfPath(parsePath(path)), focusPath: path });
  };

  if (!history || !draft) return null;
  return (
    <section
      id="scenario-editor"
      className="scenario-editor panel"
      aria-label="Scenario editor"
      style={{ top }}
      onKeyDown={onKeyDown}
    >
      <div className="editor-bar" role="toolbar" aria-label="Editor">
        <h2>Edit scenario</h2>
        <button
          aria-label="Undo"
          title="Undo (Ctrl+Z)"
          disabled={history.past.length === 0}
          onClick={() => st.set({ history: undo(history) })}
        >
          ↶ Undo
        </button>
        <button
          aria-label="Redo"
          title="Redo (Ctrl+Shift+Z)"
          disabled={history.future.length === 0}
          onClick={() => st.set({ history: redo(history) })}
        >
          ↷ Redo
        </button>
        <button
          title="Start from a blank page (Undo brings the scenario back)"
          onClick={() => (st.edit(blankScenario()), st.set({ target: { list: 'scenario' } }))}
        >
          Blank
        </button>
        <button
          title="Edit what is on the stage now (Undo brings the draft back)"
          disabled={!stageScenario}
          onClick={() => stageScenario && st.edit(structuredClone(stageScenario) as unknown as Draft)}
        >
          From stage
        </button>
        <span className="spacer" />
        <button
          className="primary"
          aria-label="Play the edited scenario"
          disabled={!playable}
          aria-describedby="editor-problems"
          title={playable ? 'Load the edited scenario and play it' : 'Fix the problems listed first'}
          onClick={() => {
            actions.loadScenario(structuredClone(draft));
            actions.play();
          }}
        >
          ▶ Play
        </button>
        <button
          title="Download the scenario file (tdi-flow validate and tdi-flow run take it as it is)"
          disabled={!playable}
          onClick={() => download(JSON.stringify(draft, null, 2) + '\n', fileNameFor(draft))}
        >
          Save
        </button>
        <button
          aria-label="Close the editor"
          title="Close (the draft is kept until you reload)"
          onClick={onClose}
        >
          ✕
        </button>
      </div>
      <ProblemList lines={problemLines} jsonProblem={jsonProblem} onGo={goTo} />
      <div
        className="editor-tabs"
        role="tablist"
        aria-label="Editor views"
        onKeyDown={(e) => {
          // The tab pattern: arrows (and Home/End) move between the views.
          const order = ['outline', 'scale', 'json'] as const;
          const i = order.indexOf(tab);
          const next =
            e.key === 'ArrowRight'
              ? order[(i + 1) % 3]
              : e.key === 'ArrowLeft'
                ? order[(i + 2) % 3]
                : e.key === 'Home'
                  ? order[0]
                  : e.key === 'End'
                    ? order[2]
                    : undefined;
          if (!next) return;
          e.preventDefault();
          setTab(next);
          requestAnimationFrame(() => document.getElementById(`editor-tab-${next}`)?.focus());
        }}
      >
        {(
          [
            ['outline', 'Parts'],
            ['scale', 'Scale'],
            ['json', 'JSON'],
          ] as const
        ).map(([k, label]) => (
          <button
            key={k}
            role="tab"
            id={`editor-tab-${k}`}
            aria-selected={tab === k}
            aria-controls={`editor-pane-${k}`}
            tabIndex={tab === k ? 0 : -1}
            onClick={() => setTab(k)}
          >
            {label}
          </button>
        ))}
      </div>
      {tab === 'outline' && (
        <div
          className="editor-body"
          role="tabpanel"
          id="editor-pane-outline"
          aria-labelledby="editor-tab-outline"
        >
          <Outline draft={checked ?? draft} problems={problems} />
          <FormPane draft={draft} problems={problems} />
        </div>
      )}
      {tab === 'scale' && (
        <div
          className="editor-pane"
          role="tabpanel"
          id="editor-pane-scale"
          aria-labelledby="editor-tab-scale"
        >
          <ScalePane draft={draft} />
        </div>
      )}
      {tab === 'json' && (
        <div className="editor-pane" role="tabpanel" id="editor-pane-json" aria-labelledby="editor-tab-json">
          <JsonPane draft={draft} />
        </div>
      )}
    </section>
  );
}

function ProblemList({
  lines,
  jsonProblem,
  onGo,
}: {
  lines: string[];
  jsonProblem: string | null;
  onGo: (path: string) => void;
}) {
  const n = lines.length + (jsonProblem ? 1 : 0);
  return (
    <div id="editor-problems" className={`editor-problems ${n > 0 ? 'bad' : 'good'}`} aria-live="polite">
      {n === 0 ? (
        <p>Valid: ready to play.</p>
      ) : (
        <>
          <p>
            {n} problem{n === 1 ? '' : 's'} — Play and Save wait until {n === 1 ? 'it is' : 'they are'} fixed:
          </p>
          <ul>
            {jsonProblem && (
              <li>
                JSON: {jsonProblem}{' '}
                <button
                  className="link"
                  title="Drop the JSON text that does not parse; the JSON view shows the scenario again"
                  onClick={() => useEditor.getState().set({ brokenJson: null })}
                >
                  discard that text
                </button>
              </li>
            )}
            {lines.map((line) => {
              const { path, message } = splitProblem(line);
              return (
                <li key={line}>
                  <button className="link" onClick={() => onGo(path)}>
                    <code>{path}</code>: {message}
                  </button>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </div>
  );
}

// ---- Outline -------------------------------------------------------------------------------------

/** Connections listed per address before "and N more" (a stress-sized scenario has thousands). */
const OUTLINE_CONNECTIONS = 12;

const sameTarget = (a: Target, b: Target): boolean =>
  a.list === b.list && (a.list === 'scenario' || (b.list !== 'scenario' && a.index === b.index));

function Outline({ draft, problems }: { draft: Draft; problems: ProblemMap }) {
  const target = useEditor((s) => s.target);
  const st = useEditor.getState();
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const add = (what: NewThing, parent?: string) => {
    const r = addThing(draft, what, parent);
    st.edit(r.draft);
    // The new part's form, its heading focused: Tab goes on to its fields.
    st.set({
      target: r.target,
      focusPath: r.target.list === 'scenario' ? null : `${r.target.list}[${r.target.index}]`,
    });
  };
  const item = (t: Target, label: string, aria: string, children?: ReactNode, plus?: ReactNode) => {
    const path = t.list === 'scenario' ? '(root)' : `${t.list}[${t.index}]`;
    const bad =
      t.list === 'scenario'
        ? [...problems.keys()].some(
            (p) =>
              !/^(drivers|transports|clients|addresses|connections|faults|handlerChanges|policyChanges)\[/.test(
                p,
              ),
          )
        : problemsUnder(problems, path).length > 0;
    return (
      <li key={path}>
        <span className="outline-row">
          <button
            className={`outline-item${bad ? ' bad' : ''}`}
            aria-current={sameTarget(target, t) ? 'true' : undefined}
            // What it is, then what the row shows: the visible text is part of the name (WCAG 2.5.3).
            aria-label={`${aria}${bad ? ' (has problems)' : ''}: ${label}`}
            title={t.list === 'scenario' ? undefined : 'Delete removes it'}
            onClick={() => st.set({ target: t })}
            onKeyDown={(e) => {
              if ((e.key === 'Delete' || e.key === 'Backspace') && t.list !== 'scenario') {
                e.preventDefault();
                st.edit(removeThing(draft, t));
                st.set({ target: { list: 'scenario' } });
              }
            }}
          >
            {label}
            {bad && <span aria-hidden="true"> ⚠</span>}
          </button>
          {plus}
        </span>
        {children}
      </li>
    );
  };
  const plus = (label: string, onClick: () => void, text = '+') => (
    <button className="plus" aria-label={label} title={label} onClick={onClick}>
      {text}
    </button>
  );
  const drivers = items(draft, 'drivers');
  const transports = items(draft, 'transports');
  const clients = items(draft, 'clients');
  const addresses = items(draft, 'addresses');
  const connections = items(draft, 'connections');
  const clientIds = new Set(clients.map(idOf));
  const addressIds = new Set(addresses.map(idOf));
  const connItems = (address: string) => {
    const mine = connections.flatMap((c, ci) => (c.address === address ? [ci] : []));
    const shown = expanded.has(address) ? mine : mine.slice(0, OUTLINE_CONNECTIONS);
    const rows = shown.map((ci) =>
      item(
        { list: 'connections', index: ci },
        `${idOf(connections[ci]!) || '(no id)'} ${workloadLabel(connections[ci]!)}`,
        `Connection ${idOf(connections[ci]!)}`,
      ),
    );
    if (shown.length < mine.length) {
      rows.push(
        <li key="more">
          <button className="link" onClick={() => setExpanded(new Set([...expanded, address]))}>
            and {mine.length - shown.length} more connections of {address}
          </button>
        </li>,
      );
    }
    return rows;
  };
  const addrItems = (client: string) =>
    addresses.map((a, ai) =>
      a.client === client
        ? item(
            { list: 'addresses', index: ai },
            `${idOf(a) || '(no id)'} → ${Array.isArray(a.nics) ? (a.nics as string[]).join(', ') : ''}`,
            `Address ${idOf(a)}`,
            <ul>{connItems(idOf(a))}</ul>,
            plus(`Add a connection to address ${idOf(a)}`, () => add('connection', idOf(a))),
          )
        : null,
    );
  const timed = (
    list: 'faults' | 'handlerChanges' | 'policyChanges',
    describe: (o: Obj) => string,
    noun: string,
  ) =>
    items(draft, list)
      .map((o, i) => ({ o, i, at: typeof o.atUs === 'number' ? o.atUs : Number.POSITIVE_INFINITY }))
      .sort((a, b) => a.at - b.at || a.i - b.i)
      .map(({ o, i }) =>
        item(
          { list, index: i },
          `${String(o.atUs ?? '?')} µs · ${describe(o)}`,
          `${noun} at ${String(o.atUs ?? '?')} µs`,
        ),
      );
  return (
    <nav className="editor-outline" aria-label="Scenario parts">
      <ul>
        {item(
          { list: 'scenario' },
          `Scenario: ${typeof draft.title === 'string' && draft.title ? draft.title : '(untitled)'}`,
          'Scenario settings',
        )}
      </ul>
      <h3>
        Drivers {plus('Add a NIC', () => add('nic'), '+ NIC')}{' '}
        {plus('Add a protocol layer', () => add('protocol'), '+ layer')}
      </h3>
      <ul>
        {drivers.map((x, i) =>
          item(
            { list: 'drivers', index: i },
            `${idOf(x) || '(no id)'} · ${x.kind === 'nic' ? `NIC ${String(x.linkBytesPerMs ?? '?')} B/ms` : `layer over ${Array.isArray(x.lower) ? x.lower.join(', ') : '?'}`}`,
            `${x.kind === 'nic' ? 'NIC' : 'Protocol layer'} ${idOf(x)}`,
          ),
        )}
      </ul>
      <h3>Transports {plus('Add a transport', () => add('transport'))}</h3>
      <ul>
        {transports.map((x, i) =>
          item(
            { list: 'transports', index: i },
            `${idOf(x) || '(no id)'} · pool ${String(x.sendBufferBytes ?? '?')} B`,
            `Transport ${idOf(x)}`,
          ),
        )}
      </ul>
      <h3>Clients {plus('Add a client', () => add('client'))}</h3>
      <ul>
        {clients.map((c, i) =>
          item(
            { list: 'clients', index: i },
            `${idOf(c) || '(no id)'} · ${resubmitLabel(c)}`,
            `Client ${idOf(c)}`,
            <ul>{addrItems(idOf(c))}</ul>,
            plus(`Add an address to client ${idOf(c)}`, () => add('address', idOf(c))),
          ),
        )}
      </ul>
      {addresses.some((a) => !clientIds.has(String(a.client))) && (
        <>
          <h3>Addresses of no client</h3>
          <ul>
            {addresses.map((a, ai) =>
              clientIds.has(String(a.client))
                ? null
                : item(
                    { list: 'addresses', index: ai },
                    idOf(a) || '(no id)',
                    `Address ${idOf(a)}`,
                    <ul>{connItems(idOf(a))}</ul>,
                  ),
            )}
          </ul>
        </>
      )}
      {connections.some((c) => !addressIds.has(String(c.address))) && (
        <>
          <h3>Connections of no address</h3>
          <ul>
            {connections.map((c, ci) =>
              addressIds.has(String(c.address))
                ? null
                : item({ list: 'connections', index: ci }, idOf(c) || '(no id)', `Connection ${idOf(c)}`),
            )}
          </ul>
        </>
      )}
      <h3>Faults {plus('Add a fault', () => add('fault'))}</h3>
      <ul>{timed('faults', (f) => `${String(f.driver)} fails`, 'Fault')}</ul>
      <h3>Handler changes {plus('Add a handler change', () => add('handlerChange'))}</h3>
      <ul>
        {timed(
          'handlerChanges',
          (h) => `${String(h.address)} ${h.registered ? 'registers' : 'clears'} ${String(h.handler)}`,
          'Handler change',
        )}
      </ul>
      <h3>Policy changes {plus('Add a policy change', () => add('policyChange'))}</h3>
      <ul>
        {timed(
          'policyChanges',
          (p) =>
            `${p.client ? String(p.client) : ''}${p.transport ? ` ${String(p.transport)}` : ''}${!p.client && !p.transport ? 'everyone' : ''}`,
          'Policy change',
        )}
      </ul>
    </nav>
  );
}

const resubmitLabel = (c: Obj): string => {
  const r = (c.resubmit ?? {}) as Obj;
  return `${String(r.from ?? 'handler')}${r.delayUs ? ` +${String(r.delayUs)} µs` : ''}`;
};
const workloadLabel = (c: Obj): string => {
  const n = Array.isArray(c.sends) ? c.sends.length : 0;
  const g = c.generator as Obj | undefined;
  return [n > 0 ? `${n} send${n === 1 ? '' : 's'}` : '', g ? `${String(g.count)}×${String(g.bytes)} B` : '']
    .filter(Boolean)
    .join(' + ');
};

// ---- Forms ---------------------------------------------------------------------------------------

function fieldsOf(
  draft: Draft,
  target: Target,
): { title: string; fields: FieldSpec[]; base: PathKey[] } | null {
  if (target.list === 'scenario') return { title: 'Scenario', fields: SCENARIO_FIELDS, base: [] };
  const item = items(draft, target.list)[target.index];
  if (!item) return null;
  const base: PathKey[] = [target.list, target.index];
  const name = idOf(item);
  switch (target.list) {
    case 'drivers':
      return item.kind === 'protocol'
        ? { title: `Protocol layer ${name}`, fields: PROTOCOL_FIELDS, base }
        : { title: `NIC ${name}`, fields: NIC_FIELDS, base };
    case 'transports':
      return { title: `Transport ${name}`, fields: TRANSPORT_FIELDS, base };
    case 'clients':
      return { title: `Client ${name}`, fields: CLIENT_FIELDS, base };
    case 'addresses':
      return { title: `Address ${name}`, fields: ADDRESS_FIELDS, base };
    case 'connections':
      return { title: `Connection ${name}`, fields: CONNECTION_FIELDS, base };
    case 'faults':
      return { title: `Fault ${target.index + 1}`, fields: FAULT_FIELDS, base };
    case 'handlerChanges':
      return { title: `Handler change ${target.index + 1}`, fields: HANDLER_CHANGE_FIELDS, base };
    case 'policyChanges':
      return { title: `Policy change ${target.index + 1}`, fields: POLICY_CHANGE_FIELDS, base };
  }
}

function FormPane({ draft, problems }: { draft: Draft; problems: ProblemMap }) {
  const target = useEditor((s) => s.target);
  const focusPath = useEditor((s) => s.focusPath);
  const st = useEditor.getState();
  const form = fieldsOf(draft, target);
  const ref = useRef<HTMLDivElement>(null);

  // A problem's link: focus its field, or the nearest thing above it that has one.
  useLayoutEffect(() => {
    if (focusPath === null) return;
    let path = parsePath(focusPath);
    for (;;) {
      const el = document.getElementById(fieldDomId(formatPath(path)));
      if (el) {
        el.focus();
        el.scrollIntoView({ block: 'nearest' });
        break;
      }
      if (path.length === 0) {
        ref.current?.querySelector<HTMLElement>('h3')?.focus();
        break;
      }
      path = path.slice(0, -1);
    }
    st.set({ focusPath: null });
  }, [focusPath, target, st]);

  if (!form) return <div className="editor-form" ref={ref} />;
  const item = (getAt(draft, form.base) ?? {}) as Obj;
  const removable = target.list !== 'scenario';
  return (
    <div className="editor-form" ref={ref} aria-label={`${form.title}: its fields`} role="group">
      <div className="panel-head">
        <h3 tabIndex={-1} id={fieldDomId(formatPath(form.base))}>
          {form.title}
        </h3>
        {removable && (
          <button
            aria-label={`Remove ${form.title}`}
            onClick={() => {
              st.edit(removeThing(draft, target));
              st.set({ target: { list: 'scenario' } });
            }}
          >
            Remove
          </button>
        )}
      </div>
      <FieldList
        draft={draft}
        item={item}
        base={form.base}
        fields={form.fields}
        problems={problems}
        target={target}
      />
      {target.list === 'connections' && <Workload draft={draft} index={target.index} problems={problems} />}
    </div>
  );
}

function FieldList({
  draft,
  item,
  base,
  fields,
  problems,
  target,
}: {
  draft: Draft;
  item: Obj;
  base: PathKey[];
  fields: FieldSpec[];
  problems: ProblemMap;
  target: Target;
}) {
  const st = useEditor.getState();
  return (
    <div className="editor-fields">
      {fields.map((f) => {
        const full = [...base, ...f.path];
        const key = formatPath(full);
        if (
          f.path[0] === 'handlerMisbehaviour' &&
          f.path[1] === 'does' &&
          item.handlerMisbehaviour === undefined
        )
          return null;
        const set = (value: unknown, typing: boolean) => {
          let next: Draft;
          if (f.kind === 'id') next = renameId(draft, target, value);
          else if (target.list === 'connections' && f.path[0] === 'address' && typeof value === 'string')
            next = moveConnection(draft, (target as { index: number }).index, value);
          else if (value === undefined && f.removesParent) next = setAt(draft, full.slice(0, -1), undefined);
          else if (
            f.path[0] === 'handlerMisbehaviour' &&
            f.path[1] === 'handler' &&
            item.handlerMisbehaviour === undefined
          )
            next = setAt(draft, full.slice(0, -1), { handler: value, does: 'wait' });
          else next = setAt(draft, full, value);
          st.edit(next, typing ? key : null);
        };
        return (
          <Field
            key={key}
            spec={f}
            path={key}
            value={getAt(draft, full)}
            draft={draft}
            item={item}
            problems={problemsUnder(problems, key)}
            onChange={set}
          />
        );
      })}
    </div>
  );
}

/** One field: a number, a choice, on/off, or a set of choices; its problems under it, marked. */
function Field({
  spec,
  path,
  value,
  draft,
  item,
  problems,
  onChange,
}: {
  spec: FieldSpec;
  path: string;
  value: unknown;
  draft: Draft;
  item: Obj;
  problems: string[];
  onChange: (v: unknown, typing: boolean) => void;
}) {
  const domId = fieldDomId(path);
  const noteId = `${domId}-note`;
  const invalid = problems.length > 0;
  const note = (
    <span className="field-note" id={noteId}>
      {problems.map((p) => (
        <span key={p} className="field-problem">
          {p}
        </span>
      ))}
      {spec.hint && <span className="field-hint">{spec.hint}</span>}
    </span>
  );
  const label = `${spec.label}${spec.unit ? ` (${spec.unit})` : ''}`;
  let control: ReactNode;
  switch (spec.kind) {
    case 'int':
      control = (
        <NumberInput
          id={domId}
          value={value}
          invalid={invalid}
          describedBy={noteId}
          optional={spec.optional === true}
          onChange={(v) => onChange(v, true)}
          min={spec.min}
          max={spec.max}
        />
      );
      break;
    case 'text':
    case 'id':
      control =
        spec.kind === 'text' && spec.long ? (
          <textarea
            id={domId}
            rows={3}
            value={typeof value === 'string' ? value : ''}
            aria-invalid={invalid || undefined}
            aria-describedby={noteId}
            onChange={(e) =>
              onChange(e.target.value === '' && spec.optional ? undefined : e.target.value, true)
            }
          />
        ) : (
          <input
            id={domId}
            type="text"
            spellCheck={false}
            value={typeof value === 'string' ? value : value === undefined ? '' : String(value)}
            aria-invalid={invalid || undefined}
            aria-describedby={noteId}
            onChange={(e) =>
              onChange(e.target.value === '' && spec.optional ? undefined : e.target.value, true)
            }
          />
        );
      break;
    case 'bool':
      control = (
        <input
          id={domId}
          type="checkbox"
          checked={typeof value === 'boolean' ? value : spec.defaultValue}
          aria-invalid={invalid || undefined}
          aria-describedby={noteId}
          onChange={(e) => onChange(e.target.checked, false)}
        />
      );
      break;
    case 'choice': {
      const options = spec.options(draft, item);
      const current = typeof value === 'string' ? value : '';
      control = (
        <select
          id={domId}
          value={current}
          aria-invalid={invalid || undefined}
          aria-describedby={noteId}
          onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value, false)}
        >
          {(spec.optional || current === '' || !options.includes(current)) && (
            <option value={options.includes(current) || current === '' ? '' : current}>
              {options.includes(current) || current === ''
                ? (spec.noneLabel ?? (spec.defaultValue ? `(default: ${spec.defaultValue})` : '(choose)'))
                : `${current} (unknown)`}
            </option>
          )}
          {options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      );
      break;
    }
    case 'choices': {
      const options = spec.options(draft, item);
      const chosen = Array.isArray(value) ? (value as unknown[]) : [];
      const unknown = chosen.filter((c) => typeof c !== 'string' || !options.includes(c));
      control = (
        <fieldset
          id={domId}
          tabIndex={-1}
          className="choices"
          aria-invalid={invalid || undefined}
          aria-describedby={noteId}
        >
          <legend className="sr-only">{label}</legend>
          {options.length === 0 && unknown.length === 0 && (
            <span className="field-hint">(nothing to choose yet)</span>
          )}
          {[...options, ...unknown.map(String)].map((o) => (
            <label key={o}>
              <input
                type="checkbox"
                checked={chosen.includes(o)}
                onChange={(e) =>
                  onChange(
                    e.target.checked ? [...chosen.filter((c) => c !== o), o] : chosen.filter((c) => c !== o),
                    false,
                  )
                }
              />
              {o}
            </label>
          ))}
        </fieldset>
      );
      break;
    }
  }
  return (
    <div className={`editor-field${invalid ? ' invalid' : ''}`}>
      {spec.kind === 'choices' ? (
        <span className="field-label">{label}</span>
      ) : (
        <label htmlFor={domId}>{label}</label>
      )}
      {control}
      {note}
    </div>
  );
}

/**
 * A whole-number field that keeps what was typed: "12a" stays in the field (and in the draft, where
 * validation names it) instead of snapping back; undo and the JSON tab bring the field up to date.
 */
function NumberInput({
  id,
  value,
  invalid,
  describedBy,
  optional,
  onChange,
  min,
  max,
  ariaLabel,
}: {
  id: string;
  value: unknown;
  invalid: boolean;
  describedBy: string;
  optional: boolean;
  onChange: (v: unknown) => void;
  min?: number;
  max?: number;
  ariaLabel?: string;
}) {
  const shown = value === undefined ? '' : String(value);
  const [text, setText] = useState(shown);
  useEffect(() => {
    // The draft changed from elsewhere (undo, JSON): show it, unless it is what this text means.
    setText((t) => (numberFromText(t) === value || (t.trim() === '' && value === undefined) ? t : shown));
  }, [value, shown]);
  return (
    <input
      id={id}
      type="text"
      inputMode="numeric"
      autoComplete="off"
      value={text}
      aria-invalid={invalid || undefined}
      aria-describedby={describedBy}
      aria-label={ariaLabel}
      data-min={min}
      data-max={max}
      placeholder={optional ? '(default)' : undefined}
      onChange={(e) => {
        setText(e.target.value);
        onChange(numberFromText(e.target.value));
      }}
    />
  );
}

// ---- A connection's workload -----------------------------------------------------------------------

function Workload({ draft, index, problems }: { draft: Draft; index: number; problems: ProblemMap }) {
  const st = useEditor.getState();
  const c = items(draft, 'connections')[index] ?? {};
  const sends = Array.isArray(c.sends) ? (c.sends as unknown[]) : [];
  const base: PathKey[] = ['connections', index];
  const generator = c.generator as Obj | undefined;
  const caption = useId();
  return (
    <div className="workload">
      <h4 id={caption}>Explicit sends</h4>
      {sends.length > 0 && (
        <table className="sends" aria-labelledby={caption}>
          <thead>
            <tr>
              <th scope="col">At (µs)</th>
              <th scope="col">Bytes</th>
              <th scope="col">Flags</th>
              <th scope="col">
                <span className="sr-only">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sends.map((s, j) => {
              const row = [...base, 'sends', j];
              const cell = (key: 'atUs' | 'bytes', label: string) => {
                const p = formatPath([...row, key]);
                const bad = problemsUnder(problems, p);
                return (
                  <td>
                    <NumberInput
                      id={fieldDomId(p)}
                      ariaLabel={label}
                      value={getAt(s, [key])}
                      invalid={bad.length > 0}
                      describedBy={`${fieldDomId(p)}-note`}
                      optional={false}
                      onChange={(v) => st.edit(setAt(draft, [...row, key], v), p)}
                    />
                    <span className="field-note" id={`${fieldDomId(p)}-note`}>
                      {bad.map((m) => (
                        <span key={m} className="field-problem">
                          {m}
                        </span>
                      ))}
                    </span>
                  </td>
                );
              };
              const flags = Array.isArray(getAt(s, ['flags'])) ? (getAt(s, ['flags']) as unknown[]) : [];
              return (
                <tr key={j}>
                  {cell('atUs', `Send ${j + 1} at (µs)`)}
                  {cell('bytes', `Send ${j + 1} bytes`)}
                  <td>
                    <fieldset
                      className="choices small"
                      id={fieldDomId(formatPath([...row, 'flags']))}
                      tabIndex={-1}
                    >
                      <legend className="sr-only">Send {j + 1} flags</legend>
                      {SEND_FLAGS.map((f) => (
                        <label key={f} title={f}>
                          <input
                            type="checkbox"
                            checked={flags.includes(f)}
                            onChange={(e) =>
                              st.edit(
                                setAt(
                                  draft,
                                  [...row, 'flags'],
                                  e.target.checked ? [...flags, f] : flags.filter((x) => x !== f),
                                ),
                              )
                            }
                          />
                          {FLAG_SHORT[f] ?? f}
                        </label>
                      ))}
                    </fieldset>
                  </td>
                  <td>
                    <button
                      aria-label={`Remove send ${j + 1}`}
                      onClick={() =>
                        st.edit(
                          setAt(
                            draft,
                            [...base, 'sends'],
                            sends.filter((_, x) => x !== j),
                          ),
                        )
                      }
                    >
                      ✕
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <button onClick={() => st.edit(addSend(draft, index))}>+ Add a send</button>
      <h4>Generator</h4>
      <label className="inline">
        <input
          type="checkbox"
          checked={generator !== undefined}
          onChange={(e) =>
            st.edit(
              setAt(
                draft,
                [...base, 'generator'],
                e.target.checked ? structuredClone(DEFAULT_GENERATOR) : undefined,
              ),
            )
          }
        />
        sends generated at a steady rate
      </label>
      {generator !== undefined && (
        <>
          <FieldList
            draft={draft}
            item={c}
            base={base}
            fields={GENERATOR_FIELDS}
            problems={problems}
            target={{ list: 'connections', index }}
          />
          <OfferedLoad draft={draft} connection={c} />
        </>
      )}
    </div>
  );
}

const FLAG_SHORT: Record<string, string> = {
  NON_BLOCKING: 'NB',
  EXPEDITED: 'EXP',
  PARTIAL: 'PART',
  NO_RESPONSE_EXPECTED: 'NRE',
  AND_DISCONNECT: 'DISC',
};

/** The generator's offered load against its NIC's link rate: more than 100% and the queue grows. */
function OfferedLoad({ draft, connection }: { draft: Draft; connection: Obj }) {
  const g = connection.generator as Obj;
  const nic = items(draft, 'drivers').find((x) => idOf(x) === connection.nic && x.kind === 'nic');
  if (typeof g.bytes !== 'number' || typeof g.everyUs !== 'number' || g.everyUs <= 0) return null;
  const offered = (g.bytes * 1000) / g.everyUs;
  const rate = typeof nic?.linkBytesPerMs === 'number' ? nic.linkBytesPerMs : undefined;
  const share = rate ? offered / rate : undefined;
  return (
    <p className="offered">
      Offers {Math.round(offered)} B/ms
      {rate !== undefined && share !== undefined && (
        <>
          {' '}
          against {idOf(nic!)}’s {rate} B/ms:{' '}
          <strong className={share > 1 ? 'over' : undefined}>{Math.round(share * 100)}%</strong>
          <span className="load-bar" aria-hidden="true">
            <span style={{ width: `${Math.min(100, share * 100)}%` }} />
          </span>
        </>
      )}
    </p>
  );
}

// ---- Scale and change many at once -------------------------------------------------------------

function ScalePane({ draft }: { draft: Draft }) {
  const st = useEditor.getState();
  const transports = items(draft, 'transports').map(idOf);
  const connections = items(draft, 'connections');
  const [spec, setSpec] = useState({
    clients: '2',
    addresses: '2',
    connections: '4',
    stagger: '7',
    transport: transports[0] ?? '',
    template: connections.length > 0 ? '0' : '',
  });
  const [pool, setPool] = useState('');
  const [rate, setRate] = useState('');
  const n = (t: string) => (/^\d+$/.test(t.trim()) ? Number(t) : NaN);
  const total = n(spec.clients) * n(spec.addresses) * n(spec.connections);
  const problems: string[] = [];
  for (const [k, label] of [
    ['clients', 'Clients'],
    ['addresses', 'Addresses per client'],
    ['connections', 'Connections per address'],
  ] as const) {
    if (!(n(spec[k]) >= 1)) problems.push(`${label} must be a whole number, at least 1`);
  }
  if (!(n(spec.stagger) >= 0)) problems.push('Stagger must be a whole number of µs, 0 or more');
  if (total > MAX_SCALED_CONNECTIONS)
    problems.push(`${total} connections is more than ${MAX_SCALED_CONNECTIONS}`);
  if (!transports.includes(spec.transport)) problems.push('Choose a transport (add one under Parts first)');
  const template = connections[Number(spec.template)];
  const input = (key: keyof typeof spec, label: string, unit?: string) => (
    <div className="editor-field">
      <label htmlFor={`scale-${key}`}>
        {label}
        {unit ? ` (${unit})` : ''}
      </label>
      <input
        id={`scale-${key}`}
        type="text"
        inputMode="numeric"
        value={spec[key]}
        onChange={(e) => setSpec({ ...spec, [key]: e.target.value })}
      />
    </div>
  );
  const bulk = (
    label: string,
    id: string,
    value: string,
    setValue: (v: string) => void,
    apply: (v: number) => void,
    count: number,
  ) => {
    const v = n(value);
    const ok = v >= 1 && Number.isSafeInteger(v);
    return (
      <div className="editor-field bulk">
        <label htmlFor={id}>{label}</label>
        <input
          id={id}
          type="text"
          inputMode="numeric"
          value={value}
          aria-invalid={value !== '' && !ok ? true : undefined}
          onChange={(e) => setValue(e.target.value)}
        />
        <button
          disabled={!ok || count === 0}
          aria-label={`Set for ${count}: ${label}`}
          onClick={() => apply(v)}
        >
          Set for {count}
        </button>
      </div>
    );
  };
  return (
    <div className="scale-pane">
      <h3>Make N clients × M addresses × K connections</h3>
      <p className="field-hint">
        As the <code>stress</code> preset is made: the clients there are kept, new ones copy the last one;
        addresses go round the transport’s NICs; every connection gets the template’s workload, each generator
        starting a little after the one before. The old addresses and connections are replaced (Undo brings
        them back).
      </p>
      <div className="editor-fields">
        {input('clients', 'Clients')}
        {input('addresses', 'Addresses per client')}
        {input('connections', 'Connections per address')}
        <div className="editor-field">
          <label htmlFor="scale-transport">Transport</label>
          <select
            id="scale-transport"
            value={spec.transport}
            onChange={(e) => setSpec({ ...spec, transport: e.target.value })}
          >
            {!transports.includes(spec.transport) && <option value="">(choose)</option>}
            {transports.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </div>
        <div className="editor-field">
          <label htmlFor="scale-template">Workload like</label>
          <select
            id="scale-template"
            value={spec.template}
            onChange={(e) => setSpec({ ...spec, template: e.target.value })}
          >
            <option value="">
              a generator: {DEFAULT_GENERATOR.count} × {DEFAULT_GENERATOR.bytes} B every{' '}
              {DEFAULT_GENERATOR.everyUs} µs
            </option>
            {connections.map((c, i) => (
              <option key={i} value={String(i)}>
                connection {idOf(c)} ({workloadLabel(c) || 'no sends'})
              </option>
            ))}
          </select>
        </div>
        {input('stagger', 'Stagger', 'µs')}
      </div>
      <p>{Number.isFinite(total) ? `${total} connections` : ''}</p>
      {problems.length > 0 && (
        <ul className="scale-problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <button
        className="primary"
        disabled={problems.length > 0}
        onClick={() =>
          st.edit(
            scale(draft, {
              clients: n(spec.clients),
              addressesPerClient: n(spec.addresses),
              connectionsPerAddress: n(spec.connections),
              transport: spec.transport,
              staggerUs: n(spec.stagger),
              workload: template
                ? { sends: template.sends, generator: template.generator }
                : { generator: DEFAULT_GENERATOR },
            }),
          )
        }
      >
        Make {Number.isFinite(total) ? total : ''} connections
      </button>
      <h3>Change many at once</h3>
      {bulk(
        'Every transport’s send pool (B)',
        'bulk-pool',
        pool,
        setPool,
        (v) => st.edit(setForAll(draft, 'transports', ['sendBufferBytes'], v)),
        items(draft, 'transports').length,
      )}
      {bulk(
        'Every NIC’s link rate (B/ms)',
        'bulk-rate',
        rate,
        setRate,
        (v) => st.edit(setForAll(draft, 'drivers', ['linkBytesPerMs'], v, (x) => x.kind === 'nic')),
        nicIds(draft).length,
      )}
    </div>
  );
}

// ---- JSON, in sync both ways ---------------------------------------------------------------------

/** What a JSON text that does not parse says is wrong (null: it parses, to one object). */
export function jsonTextProblem(text: string): string | null {
  const j = parseJsonText(text);
  if (!j.ok) return j.problems[0]!.replace(/^\(root\): /, '');
  return typeof j.json === 'object' && j.json !== null && !Array.isArray(j.json)
    ? null
    : 'a scenario is one JSON object { … }';
}

function JsonPane({ draft }: { draft: Draft }) {
  const st = useEditor.getState();
  // Text that does not parse yet lives in the editor's state: it survives a change of view.
  const broken = useEditor((s) => s.brokenJson);
  const [text, setText] = useState(() => broken ?? JSON.stringify(draft, null, 2));
  const mine = useRef<Draft | null>(null);
  const problem = broken === null ? null : jsonTextProblem(broken);
  // The draft changed from elsewhere (a form, undo): the text follows, unless it is being typed and
  // does not parse yet (nothing typed is lost).
  useEffect(() => {
    if (draft !== mine.current && useEditor.getState().brokenJson === null)
      setText(JSON.stringify(draft, null, 2));
  }, [draft]);
  return (
    <div className="json-pane">
      <label htmlFor="editor-json">The scenario file (edits here and in the forms follow each other)</label>
      <textarea
        id="editor-json"
        spellCheck={false}
        value={text}
        aria-invalid={problem !== null || undefined}
        aria-describedby="editor-json-problem"
        onChange={(e) => {
          const t = e.target.value;
          setText(t);
          if (jsonTextProblem(t) !== null) return st.set({ brokenJson: t });
          st.set({ brokenJson: null });
          mine.current = JSON.parse(t) as Draft;
          st.edit(mine.current, 'json');
        }}
      />
      <p id="editor-json-problem" className={problem ? 'field-problem' : 'field-hint'}>
        {problem ?? 'Valid JSON. Problems with the scenario itself are listed above.'}
      </p>
    </div>
  );
}

export type { ListName };
