import { useCallback, useEffect, useRef, useState } from 'react';
import { SimClient } from './simClient.ts';
import { appStore, DEFAULT_SPEED, SPEEDS, useApp, type Selection } from './store/store.ts';
import { isPresetName, PRESET_NAMES, type PresetName } from '../src/scenario/presets.ts';
import type { Topology } from '../src/model/topology.ts';
import { createStackView, type Entity, type StackView } from './viz/stackView.ts';
import { createLogView, fmtUs, type LogView } from './log/logView.ts';
import { LogModel, LOG_GROUPS, type LogGroup } from './log/logModel.ts';
import { PROTOCOL_VERSION, type Command, type Frame } from '../src/protocol/messages.ts';
import type { PolicyChange, Scenario } from '../src/scenario/schema.ts';
import { STATUS_NAMES } from '../src/base/status.ts';
import { Inspector } from './components/Inspector.tsx';
import { Legend } from './components/Legend.tsx';
import { HelpOverlay } from './components/HelpOverlay.tsx';
import { FaultMenu } from './components/FaultMenu.tsx';
import { BugcheckScreen } from './components/BugcheckScreen.tsx';
import { readUrlState, speedLabel } from './url.ts';
import { scenarioFromHash, shareUrl } from './share.ts';
import { SimContext, useSimContext } from './simContext.ts';
import { WhyPanel } from './components/WhyPanel.tsx';
import { CompareDialog } from './components/CompareDialog.tsx';
import { ChartsPanel } from './components/ChartsPanel.tsx';
import { createScrubber } from './viz/timelineView.ts';

/** Set while a branch is being loaded: after it loads, seek back to this moment. */
let branchSwitch: { t: number } | null = null;
export function switchBranch(sim: SimClient | null, i: number): void {
  const st = appStore.getState();
  const b = st.branches[i];
  if (!sim || !b) return;
  branchSwitch = { t: sim.lastFrame?.nowUs ?? 0 };
  appStore.setState({ branch: i });
  sim.send({ op: 'load', source: { kind: 'json', scenario: b.scenario } });
}

function recordBranch(scenario: Scenario, forked: boolean, what: string, atUs: number): void {
  const st = appStore.getState();
  if (forked) {
    const branches = [...st.branches, { label: `branch ${st.branches.length + 1}: ${what} at ${fmtUs(atUs)}`, scenario, forkUs: atUs }];
    appStore.setState({ branches, branch: branches.length - 1, scenario });
  } else {
    appStore.setState({ branches: st.branches.map((b, i) => (i === st.branch ? { ...b, scenario } : b)), scenario });
  }
}

function describePolicy(p: PolicyChange): string {
  const parts: string[] = [];
  if (p.resubmit) parts.push(`${p.client ? `client ${p.client}` : 'every client'} resubmits${p.resubmit.from ? ` from ${p.resubmit.from}` : ''}${p.resubmit.delayUs !== undefined ? ` after ${p.resubmit.delayUs} µs` : ''}${p.resubmit.size ? `, size ${p.resubmit.size}` : ''}`);
  if (p.sendPossible) parts.push(`${p.transport ?? 'every transport'} notifies ${p.sendPossible.notify ?? ''}`.trim());
  return parts.join('; ');
}

export function App() {
  const [client, setClient] = useState<SimClient | null>(null);
  const theme = useApp((s) => s.theme);

  useEffect(() => {
    const c = new SimClient();
    setClient(c);
    // A small handle for scripts (benchmarks, automation, a host page): send a command, read the last frame.
    (window as unknown as { tdiFlowLab: unknown }).tdiFlowLab = {
      protocolVersion: PROTOCOL_VERSION,
      command: (cmd: Command) => c.send(cmd),
      lastFrame: () => c.lastFrame,
    };
    const url = readUrlState(location.search);
    appStore.setState({ speed: url.speed ?? DEFAULT_SPEED, notice: url.notices.join(' ') || null });
    const off = c.onEvent((e) => {
      switch (e.op) {
        case 'ready':
          appStore.setState({ ready: true, presetName: url.preset });
          c.send({ op: 'setSpeed', speed: appStore.getState().speed });
          // A shared link carries its scenario in the fragment; otherwise the preset of the query.
          void scenarioFromHash(location.hash).then((shared) => {
            if (shared?.ok) {
              appStore.setState({ presetName: null });
              c.send({ op: 'load', source: { kind: 'json', scenario: shared.json } });
              return;
            }
            if (shared && !shared.ok) appStore.setState({ notice: `${shared.problem} Showing ${url.preset} instead.` });
            c.send({ op: 'load', source: { kind: 'preset', name: url.preset }, ...(url.seed !== undefined ? { seed: url.seed } : {}) });
          });
          break;
        case 'versionMismatch':
          appStore.setState({ fatal: `The simulation worker speaks protocol ${e.worker}, the page ${e.main}: reload the page.` });
          break;
        case 'loaded': {
          const st = appStore.getState();
          // A branch switch keeps the branches and returns to the same moment; a reset keeps them
          // too; any other load (preset, file, seed, a script) starts a new run with one branch.
          const switching = branchSwitch;
          branchSwitch = null;
          const branches =
            switching || e.reason === 'reset'
              ? st.branches.map((b, i) => (i === st.branch && !switching ? { ...b, scenario: e.scenario } : b))
              : [{ label: 'main', scenario: e.scenario, forkUs: null }];
          appStore.setState({ scenario: e.scenario, layout: e.topology, problems: [], selection: null, playing: false, finished: false, bugcheck: null, loadSerial: st.loadSerial + 1, branches: branches.length ? branches : [{ label: 'main', scenario: e.scenario, forkUs: null }], why: null });
          if (switching) c.send({ op: 'seek', timeUs: switching.t });
          break;
        }
        case 'invalid':
          // The scenario the user had stays loaded; the problems are shown with their JSON paths.
          appStore.setState({ problems: e.problems });
          break;
        case 'faultInjected':
          recordBranch(e.scenario, e.forked, `${e.fault.status.replace('STATUS_', '')} on ${e.fault.driver}`, e.fault.atUs);
          appStore.setState({
            notice: `Injected ${e.fault.status} on ${e.fault.driver} at ${fmtUs(e.fault.atUs)} — added to the scenario's faults, so a reset replays it.${e.forked ? ' This changed the past: a new branch; the old one is kept.' : ''}`,
          });
          break;
        case 'policyChanged':
          recordBranch(e.scenario, e.forked, describePolicy(e.change), e.change.atUs);
          appStore.setState({ notice: `From ${fmtUs(e.change.atUs)}: ${describePolicy(e.change)}.${e.forked ? ' This changed the past: a new branch; the old one is kept.' : ''}` });
          break;
        case 'why':
          if (appStore.getState().why?.seq === e.seq) appStore.setState({ why: { seq: e.seq, pending: false, chain: e.chain, ...(e.reason ? { reason: e.reason } : {}) } });
          break;
        case 'failure':
          appStore.setState({ notice: `Something went wrong in the simulation: ${e.message}` });
          break;
        default:
          break;
      }
    });
    const offFrame = c.onFrame((f) => {
      const s = appStore.getState();
      const bug = f.bugcheck;
      if (s.playing !== f.playing || s.finished !== f.finished || (bug && !s.bugcheck)) {
        appStore.setState({ playing: f.playing, finished: f.finished, bugcheck: bug });
      }
    });
    return () => {
      off();
      offFrame();
      c.destroy();
    };
  }, []);

  useKeyboard(client);

  return (
    <SimContext.Provider value={client}>
      <div className="app" data-theme={theme}>
        <TopBar />
        <Banners />
        <main className="workspace">
          <Stage />
          <aside className="side" aria-label="Inspector and legend">
            <WhyPanel />
            <Inspector />
            <ChartsPanel />
            <Legend />
          </aside>
          <EventLog />
        </main>
        <FaultMenu />
        <CompareDialog />
        <HelpOverlay />
        <BugcheckScreen />
      </div>
    </SimContext.Provider>
  );
}

const useSim = useSimContext;

function TopBar() {
  const sim = useSim();
  const playing = useApp((s) => s.playing);
  const finished = useApp((s) => s.finished);
  const speed = useApp((s) => s.speed);
  const preset = useApp((s) => s.presetName);
  const seed = useApp((s) => s.scenario?.seed ?? 0);
  const theme = useApp((s) => s.theme);
  const fileRef = useRef<HTMLInputElement>(null);

  const loadPreset = (name: PresetName) => {
    appStore.setState({ presetName: name, notice: null });
    sim?.send({ op: 'load', source: { kind: 'preset', name } });
    const url = new URL(location.href);
    url.searchParams.set('preset', name);
    url.searchParams.delete('seed');
    history.replaceState(null, '', url);
  };
  const openFile = async (file: File) => {
    const text = await file.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      // Let the engine's validator locate the error (it reports line and column).
      const { parseScenarioText } = await import('../src/scenario/validate.ts');
      const v = parseScenarioText(text);
      appStore.setState({ problems: v.ok ? [] : v.problems.map((p) => `${file.name}: ${p}`) });
      return;
    }
    appStore.setState({ presetName: null });
    sim?.send({ op: 'load', source: { kind: 'json', scenario: json } });
  };

  return (
    <header className="topbar">
      <div className="brand">
        <svg viewBox="0 0 32 32" width="22" height="22" aria-hidden="true">
          <rect width="32" height="32" rx="6" fill="var(--accent)" />
          <rect x="6" y="18" width="20" height="8" rx="2" fill="#fff" opacity=".35" />
          <rect x="6" y="18" width="13" height="8" rx="2" fill="#fff" />
          <path d="M16 5v9m-4-4 4 4 4-4" stroke="#fff" strokeWidth="2.5" fill="none" strokeLinecap="round" />
        </svg>
        <span>TDI Flow Lab</span>
      </div>
      <label className="field">
        <span>Scenario</span>
        <select aria-label="Preset" value={preset ?? ''} onChange={(e) => isPresetName(e.target.value) && loadPreset(e.target.value)}>
          {preset === null && <option value="">(your file)</option>}
          {PRESET_NAMES.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <div className="transport-controls" role="group" aria-label="Playback">
        <button className="primary" aria-label={playing ? 'Pause' : 'Play'} title="Play / pause (Space)" disabled={finished && !playing} onClick={() => sim?.send({ op: playing ? 'pause' : 'play' })}>
          <Icon name={playing ? 'pause' : 'play'} /> {playing ? 'Pause' : 'Play'}
        </button>
        <button aria-label="Step one event" title="Step one event (→)" onClick={() => sim?.send({ op: 'step' })}>
          <Icon name="step" /> Step
        </button>
        <button aria-label="Run to end" title="Run to the end" onClick={() => sim?.send({ op: 'runToEnd' })}>
          <Icon name="end" /> End
        </button>
        <button aria-label="Reset" title="Reset (R)" onClick={() => sim?.send({ op: 'reset' })}>
          <Icon name="reset" /> Reset
        </button>
      </div>
      <label className="field speed">
        <span>Speed</span>
        <select aria-label="Speed" value={speed} onChange={(e) => setSpeed(sim, Number(e.target.value))}>
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {speedLabel(s)}
            </option>
          ))}
        </select>
      </label>
      <label className="field seed">
        <span>Seed</span>
        <input
          aria-label="Seed"
          type="number"
          min={0}
          value={seed}
          onChange={(e) => {
            const v = Number(e.target.value);
            if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) return;
            const s = appStore.getState().scenario;
                    if (s) sim?.send({ op: 'load', source: { kind: 'json', scenario: { ...s, seed: v } } });
          }}
        />
      </label>
      <div className="spacer" />
      <input ref={fileRef} type="file" accept=".json,application/json" hidden onChange={(e) => e.target.files?.[0] && void openFile(e.target.files[0])} />
      <button
        title="A link that replays this scenario, with the faults and policy changes you made"
        onClick={async () => {
          const s = appStore.getState().scenario;
          if (!s) return;
          const link = await shareUrl(s, location.href);
          history.replaceState(null, '', link);
          appStore.setState({ shareLink: link });
          try {
            await navigator.clipboard.writeText(link);
          } catch {
            // No clipboard (an insecure page, a denied permission): the link is shown to copy by hand.
          }
        }}
      >
        Share
      </button>
      <button title="Run two policies side by side" onClick={() => appStore.setState({ compareOpen: true })}>
        Compare…
      </button>
      <button title="Open a scenario file" onClick={() => fileRef.current?.click()}>
        Open…
      </button>
      <button aria-label="Toggle theme" title="Light / dark" onClick={() => appStore.setState({ theme: theme === 'dark' ? 'light' : theme === 'light' ? 'system' : 'dark' })}>
        {theme === 'dark' ? '☾' : theme === 'light' ? '☀' : '◐'}
      </button>
      <button aria-label="Help" title="Help and shortcuts (?)" onClick={() => appStore.setState({ helpOpen: true })}>
        ?
      </button>
    </header>
  );
}

/** Playback icons as inline SVG: font glyphs for ⏭/⏩ are missing on many machines. */
function Icon({ name }: { name: 'play' | 'pause' | 'step' | 'end' | 'reset' }) {
  const paths = {
    play: 'M4 2.5v11l9-5.5z',
    pause: 'M4 2.5h3v11H4zM9 2.5h3v11H9z',
    step: 'M3 2.5v11l7-5.5zM11 2.5h2.5v11H11z',
    end: 'M1.5 2.5v11l6-5.5zM7.5 2.5v11l6-5.5zM13.5 2.5H15v11h-1.5z',
    reset: 'M8 2.5a5.5 5.5 0 1 1-5.3 7h1.9A3.7 3.7 0 1 0 8 4.3V6.5L4.5 3.4 8 0.3z',
  } as const;
  return (
    <svg className="icon-svg" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <path d={paths[name]} fill="currentColor" />
    </svg>
  );
}

function setSpeed(sim: SimClient | null, speed: number): void {
  appStore.setState({ speed });
  sim?.send({ op: 'setSpeed', speed });
}

function Banners() {
  const problems = useApp((s) => s.problems);
  const notice = useApp((s) => s.notice);
  const shareLink = useApp((s) => s.shareLink);
  const fatal = useApp((s) => s.fatal);
  return (
    <>
      {fatal && (
        <div className="banner bad" role="alert">
          {fatal}
        </div>
      )}
      {problems.length > 0 && (
        <div className="banner bad" role="alert" data-testid="problems">
          <strong>That scenario was not loaded — {problems.length === 1 ? 'one problem' : `${problems.length} problems`}:</strong>
          <ul>
            {problems.slice(0, 12).map((p) => (
              <li key={p}>
                <code>{p}</code>
              </li>
            ))}
          </ul>
          <span>The scenario you had is still loaded.</span>
          <button onClick={() => appStore.setState({ problems: [] })}>Dismiss</button>
        </div>
      )}
      {shareLink && (
        <div className="banner info" role="status" data-testid="share">
          <span>Link to this scenario (copied if the browser allowed it):</span>
          <input className="share-link" aria-label="Share link" readOnly value={shareLink} onFocus={(e) => e.currentTarget.select()} />
          <button onClick={() => appStore.setState({ shareLink: null })}>Dismiss</button>
        </div>
      )}
      {notice && (
        <div className="banner info" role="status" data-testid="notice">
          <span>{notice}</span>
          <button onClick={() => appStore.setState({ notice: null })}>Dismiss</button>
        </div>
      )}
    </>
  );
}

function Stage() {
  const sim = useSim();
  const layout = useApp((s) => s.layout);
  const scenario = useApp((s) => s.scenario);
  const selection = useApp((s) => s.selection);
  const hostRef = useRef<HTMLDivElement>(null);
  const viewRef = useRef<StackView | null>(null);
  const timeRef = useRef<HTMLSpanElement>(null);
  const eventsRef = useRef<HTMLSpanElement>(null);
  const speedRef = useRef<HTMLSpanElement>(null);
  const scrubRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!sim || !layout || !hostRef.current) return;
    const view = createStackView(hostRef.current, layout, {
      onSelect: (e) => appStore.setState({ selection: e as Selection, faultMenu: null }),
      onNodeMenu: (node, x, y) => appStore.setState({ faultMenu: { node, x, y } }),
    });
    viewRef.current = view;
    const scrubber = scrubRef.current && scenario ? createScrubber(scrubRef.current, scenario.durationUs, { onSeek: (t) => sim.send({ op: 'seek', timeUs: t }) }) : null;
    const off = sim.onFrame((f: Frame) => {
      view.update(f);
      scrubber?.update(f);
      if (timeRef.current) timeRef.current.textContent = `${fmtUs(f.nowUs)} / ${fmtUs(f.durationUs)}`;
      if (eventsRef.current) eventsRef.current.textContent = f.eventCount.toLocaleString('en-US');
      if (speedRef.current) {
        speedRef.current.textContent = f.behind ? `can't keep up — running at ${speedLabel(f.achievedSpeed)}` : f.playing ? '' : f.finished ? 'finished' : 'paused';
        speedRef.current.className = f.behind ? 'behind' : '';
      }
    });
    return () => {
      off();
      scrubber?.destroy();
      view.destroy();
      viewRef.current = null;
    };
  }, [sim, layout]);

  useEffect(() => {
    viewRef.current?.highlight(selectionEntities(selection, layout));
  }, [selection, layout]);

  return (
    <section className="stage" aria-label="Driver stack">
      <div className="stage-head">
        <div className="title-row">
          <h1 data-testid="title">{scenario?.title ?? 'Loading…'}</h1>
          <BranchBar />
        </div>
        {scenario?.description && (
          <p className="description" title={scenario.description}>
            {scenario.description}
          </p>
        )}
      </div>
      <div className="stack-host" ref={hostRef} data-testid="stack" />
      <div className="status" aria-live="off">
        <div className="scrubber-host" ref={scrubRef} data-testid="scrubber" />
        <span>
          t = <span ref={timeRef} data-testid="sim-time">0 µs</span>
        </span>
        <span>
          events <span ref={eventsRef} data-testid="event-count">0</span>
        </span>
        <span ref={speedRef} data-testid="play-state" />
      </div>
    </section>
  );
}

function BranchBar() {
  const sim = useSim();
  const branches = useApp((s) => s.branches);
  const branch = useApp((s) => s.branch);
  if (branches.length < 2) return null;
  const other = branch === 0 ? 1 : branch - 1;
  return (
    <div className="branch-bar">
      <select aria-label="Branch" value={branch} onChange={(e) => switchBranch(sim, Number(e.target.value))}>
        {branches.map((b, i) => (
          <option key={i} value={i}>
            {b.label}
          </option>
        ))}
      </select>
      <button
        onClick={() =>
          appStore.setState({
            compareOpen: true,
            compareWith: { a: branches[other]!.scenario, b: branches[branch]!.scenario, aLabel: branches[other]!.label, bLabel: branches[branch]!.label },
          })
        }
      >
        Compare branches
      </button>
    </div>
  );
}

export function selectionEntities(sel: Selection, layout: Pick<Topology, 'connectionAddress' | 'addressClient'> | null): Entity[] {
  if (!sel || !layout) return [];
  if (sel.kind === 'connection') {
    const a = layout.connectionAddress[sel.index]!;
    return [sel, { kind: 'address', index: a }, { kind: 'client', index: layout.addressClient[a]! }];
  }
  if (sel.kind === 'address') return [sel, { kind: 'client', index: layout.addressClient[sel.index]! }];
  return [sel];
}

function EventLog() {
  const sim = useSim();
  const layout = useApp((s) => s.layout);
  const loadSerial = useApp((s) => s.loadSerial);
  const hostRef = useRef<HTMLDivElement>(null);
  const countRef = useRef<HTMLSpanElement>(null);
  const [groups, setGroups] = useState<Set<LogGroup>>(new Set());
  const [clientF, setClientF] = useState(-1);
  const [connF, setConnF] = useState(-1);
  const [statusF, setStatusF] = useState('');
  const modelRef = useRef<LogModel | null>(null);
  const viewRef = useRef<LogView | null>(null);

  const onRow = useCallback(
    (abs: number) => {
      const m = modelRef.current;
      if (!m || !layout) return;
      const ev = m.event(abs);
      viewRef.current?.select(abs);
      const conn = typeof ev.connection === 'string' ? layout.connectionIds.indexOf(ev.connection) : -1;
      const addr = typeof ev.address === 'string' ? layout.addressIds.indexOf(ev.address) : -1;
      const node = typeof ev.driver === 'string' ? layout.nodeIds.indexOf(ev.driver) : typeof ev.nic === 'string' ? layout.nodeIds.indexOf(ev.nic) : -1;
      const sel: Selection = conn >= 0 ? { kind: 'connection', index: conn } : addr >= 0 ? { kind: 'address', index: addr } : node >= 0 ? { kind: 'node', index: node } : null;
      appStore.setState({ selection: sel, highlightSeq: ev.seq });
      // Refusals, lost races, error callbacks and breaks can say why they happened.
      const explainable = (ev.type === 'send.complete' && (ev.status === 'STATUS_DEVICE_NOT_READY' || ev.lostRace === true)) || ev.type === 'callback.error' || ev.type === 'connection.broken';
      if (explainable) {
        appStore.setState({ why: { seq: ev.seq, pending: true, chain: null } });
        sim?.send({ op: 'why', seq: ev.seq });
      }
    },
    [layout, sim],
  );

  useEffect(() => {
    if (!sim || !layout || !hostRef.current) return;
    const model = new LogModel(layout);
    modelRef.current = model;
    const view = createLogView(hostRef.current, model, onRow);
    viewRef.current = view;
    const off = sim.onFrame((f) => {
      if (f.rewound) model.clear();
      if (f.events.length > 0 || f.rewound) {
        model.append(f.events);
        if (f.rewound) view.setModel(model);
        else view.refresh();
      }
      if (countRef.current) countRef.current.textContent = `${model.visibleCount.toLocaleString('en-US')} rows${model.dropped ? ` (${model.dropped.toLocaleString('en-US')} not shown: too fast)` : ''}`;
    }, { first: true });
    return () => {
      off();
      view.destroy();
    };
    // A new load starts a new log.
  }, [sim, layout, loadSerial, onRow]);

  useEffect(() => {
    modelRef.current?.setFilter({ groups, client: clientF, connection: connF, status: statusF });
    viewRef.current?.setModel(modelRef.current!);
  }, [groups, clientF, connF, statusF]);

  const toggle = (g: LogGroup) =>
    setGroups((prev) => {
      const next = new Set(prev);
      if (next.has(g)) next.delete(g);
      else next.add(g);
      return next;
    });

  return (
    <section className="log" aria-label="Event log">
      <div className="log-head">
        <strong>Event log</strong>
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
        <select aria-label="Filter by connection" value={connF} onChange={(e) => setConnF(Number(e.target.value))}>
          <option value={-1}>all connections</option>
          {layout?.connectionIds.slice(0, 300).map((id, i) => (
            <option key={id} value={i}>
              {id}
            </option>
          ))}
        </select>
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
      </div>
      <div className="log-host" ref={hostRef} data-testid="log" />
    </section>
  );
}

function useKeyboard(sim: SimClient | null): void {
  useEffect(() => {
    if (!sim) return;
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (t.closest('input, select, textarea') || e.ctrlKey || e.metaKey || e.altKey) return;
      const s = appStore.getState();
      switch (e.key) {
        case ' ':
          e.preventDefault();
          sim.send({ op: s.playing ? 'pause' : 'play' });
          break;
        case 'ArrowRight':
          e.preventDefault();
          sim.send({ op: 'step' });
          break;
        case 'ArrowLeft':
          e.preventDefault();
          sim.send({ op: 'stepBack' });
          break;
        case '+':
        case '=': {
          const i = SPEEDS.findIndex((x) => x >= s.speed);
          setSpeed(sim, SPEEDS[Math.min(SPEEDS.length - 1, i + 1)]!);
          break;
        }
        case '-':
        case '_': {
          const i = SPEEDS.findIndex((x) => x >= s.speed);
          setSpeed(sim, SPEEDS[Math.max(0, i - 1)]!);
          break;
        }
        case 'r':
        case 'R':
          sim.send({ op: 'reset' });
          break;
        case '?':
          appStore.setState({ helpOpen: !s.helpOpen });
          break;
        case 'Escape':
          appStore.setState({ helpOpen: false, faultMenu: null, selection: null, compareOpen: false, compareWith: null });
          break;
        default:
          break;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [sim]);
}
