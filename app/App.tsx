import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { SimClient } from './simClient.ts';
import { focusStage, spaceBelongsTo } from './hooks/stageFocus.ts';
import { appStore, type Selection } from './store/store.ts';
import { useActions, useApp } from './store/hooks.ts';
import { speedChoices } from './store/speeds.ts';
import { enableLessons } from './store/actions.ts';
import { isPresetName, PRESET_NAMES } from '../src/scenario/presets.ts';
import { createStackView, type Entity } from './viz/stackView.ts';
import type { Topology } from '../src/model/topology.ts';
import { createLogView, fmtUs, type LogView } from './log/logView.ts';
import { LogModel, LOG_CAPACITY, LOG_GROUPS, SEARCH_BATCH, type LogGroup } from './log/logModel.ts';
import { PROTOCOL_VERSION, type Frame } from '../src/protocol/messages.ts';
import { STATUS_NAMES } from '../src/base/status.ts';
import { Legend } from './components/Legend.tsx';
// Parts the first frame does not show load on first use (#19).
import { BugcheckScreen, CompareDialog, ExportDialog, FaultMenu, HelpOverlay, Inspector, LessonPanel } from './components/later.tsx';
import { Toasts } from './components/Toasts.tsx';
import { ConnectionFilter } from './components/ConnectionFilter.tsx';
import { InspectorJump } from './components/InspectorJump.tsx';
import { readUrlState, speedLabel } from './url.ts';
import { SimContext, useSimContext } from './simContext.ts';
import { WhyPanel } from './components/WhyPanel.tsx';
import { ChartsPanel } from './components/ChartsPanel.tsx';
import { createScrubber } from './viz/timelineView.ts';
import { lowRate } from './viz/lowRate.ts';
import { setText } from './viz/dom.ts';
import { useFrames, useViewFactory } from './hooks/useViewFactory.ts';
import { EmbedButton } from './components/EmbedButton.tsx';
import { Narration } from './narration/Narration.tsx';
import { useLogPlain } from './log/useLogPlain.ts';
import { focusEntities } from './lesson/focus.ts';
import { LessonsMenu, LessonProblems } from './lesson/LessonsMenu.tsx';
import { ProblemsBanner } from './components/ProblemsBanner.tsx';
import { ToolbarMore } from './components/ToolbarMore.tsx';
import { EditButton, EditorMount } from './editor/EditButton.tsx';
import { WorkerSilence, useWorkerSilence } from './components/WorkerSilence.tsx';
import { LoadProgress } from './components/LoadProgress.tsx';

const NO_IDS: readonly string[] = [];

// The lesson player loads when a lesson is first opened.
enableLessons(() => import('./lesson/controller.ts'));

export function App() {
  const [client, setClient] = useState<SimClient | null>(null);
  const theme = useApp((s) => s.theme);
  const projector = useApp((s) => s.projector);
  // Projector mode on a short screen (projector.css) shows the stage alone: the side column comes
  // back for a lesson, a why? chain or a selection, and the Panels button brings it and the log (#8).
  const sideWanted = useApp((s) => s.lesson !== null || s.why !== null || s.selection !== null);
  const [panelsOpen, setPanelsOpen] = useState(false);
  const togglePanels = useCallback(() => setPanelsOpen((o) => !o), []);

  // A worker that dies is replaced: the next generation boots from the moment the old one showed.
  const [generation, setGeneration] = useState<{ n: number; hash?: string; notice?: string }>({ n: 0 });

  useEffect(() => {
    const c = new SimClient();
    setClient(c);
    const actions = appStore.getState().actions;
    // A small handle for scripts (benchmarks, automation, a host page): the page's own actions, a
    // protocol command carried out through them, the last frame drawn.
    (window as unknown as { tdiFlowLab: unknown }).tdiFlowLab = {
      protocolVersion: PROTOCOL_VERSION,
      actions,
      command: actions.command,
      lastFrame: () => c.lastFrame,
    };
    const url = readUrlState(location.search);
    const restarted = generation.n > 0;
    if (url.projector !== undefined && !restarted) actions.setProjector(url.projector);
    const disconnect = actions.connect(c, {
      preset: url.preset,
      ...(url.seed !== undefined && !restarted ? { seed: url.seed } : {}),
      ...(url.speed !== undefined && !restarted ? { speed: url.speed } : {}),
      notices: generation.notice ? [generation.notice] : url.notices,
      hash: generation.hash ?? location.hash,
    });
    const offDead = c.onDead((reason) => {
      // The scenario, branches, time, speed and selection, as a share link carries them, reopened in
      // a new worker: the class sees a notice, not a frozen page.
      const moment = actions.shareMoment();
      void (moment ? import('./share.ts').then(({ shareUrl }) => shareUrl(moment, location.href)).then((u) => new URL(u).hash) : Promise.resolve(location.hash)).then((hash) =>
        setGeneration((g) => ({ n: g.n + 1, hash, notice: `The simulation worker stopped (${reason}); a new one took over at the same moment.` })),
      );
    });
    return () => {
      offDead();
      disconnect();
      c.destroy();
    };
  }, [generation]);

  useKeyboard();
  // The theme's variables hang on <html> (styles.css): a plain attribute match, cheap to keep.
  useLayoutEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  return (
    <SimContext.Provider value={client}>
      <div className="app" data-theme={theme} data-projector={projector ? '' : undefined} data-side={sideWanted ? '' : undefined} data-panels={panelsOpen ? '' : undefined}>
        <TopBar />
        <main className="workspace">
          <Stage panelsOpen={panelsOpen} onTogglePanels={togglePanels} />
          {/* The legend before the charts: at 1280 × 720 it is on screen without scrolling. */}
          <aside className="side" id="side-panels" aria-label="Inspector and legend" tabIndex={0}>
            <LessonPanel />
            <WhyPanel />
            <Inspector />
            <Legend />
            <ChartsPanel />
          </aside>
          <EventLog />
        </main>
        <FaultMenu />
        <Toasts />
        <CompareDialog />
        <ExportDialog />
        <HelpOverlay />
        <BugcheckScreen />
        <InspectorJump />
        <EditorMount />
      </div>
    </SimContext.Provider>
  );
}

const useSim = useSimContext;

function TopBar() {
  const actions = useActions();
  const playing = useApp((s) => s.playing);
  const finished = useApp((s) => s.finished);
  const speed = useApp((s) => s.speed);
  const preset = useApp((s) => s.presetName);
  const seed = useApp((s) => s.scenario?.seed ?? 0);
  const theme = useApp((s) => s.theme);
  const fileRef = useRef<HTMLInputElement>(null);

  const openFile = async (file: File) => actions.loadScenarioText(file.name, await file.text());

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
      <label className="field preset">
        <span>Scenario</span>
        <select aria-label="Preset" value={preset ?? ''} onChange={(e) => isPresetName(e.target.value) && actions.loadPreset(e.target.value)}>
          {preset === null && <option value="">(your file)</option>}
          {PRESET_NAMES.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <div className="transport-controls" role="group" aria-label="Playback">
        <button
          className="primary"
          aria-label={playing ? 'Pause' : finished ? 'Replay from the start' : 'Play'}
          title={finished && !playing ? 'The run is over: play it again from the start (Space)' : 'Play / pause (Space)'}
          onClick={actions.togglePlay}
        >
          <Icon name={playing ? 'pause' : 'play'} /> {playing ? 'Pause' : finished ? 'Replay' : 'Play'}
        </button>
        <button aria-label="Step back one record" title="Step back one record (←)" onClick={actions.stepBack}>
          <Icon name="back" /> Back
        </button>
        <button aria-label="Step one record" title="Step: the next trace record (→), inside an event too (a fault's cascade one callback at a time)" onClick={actions.step}>
          <Icon name="step" /> Step
        </button>
        <button aria-label="Run to end" title="Run to the end" onClick={actions.runToEnd}>
          <Icon name="end" /> End
        </button>
        <button aria-label="Reset" title="Reset (R)" onClick={actions.reset}>
          <Icon name="reset" /> Reset
        </button>
      </div>
      <label className="field speed">
        <span>Speed</span>
        <select aria-label="Speed" value={speed} onChange={(e) => actions.setSpeed(Number(e.target.value))}>
          {speedChoices(speed).map((s) => (
            <option key={s} value={s}>
              {speedLabel(s)}
            </option>
          ))}
        </select>
      </label>
      <div className="spacer" />
      <input ref={fileRef} type="file" accept=".json,application/json" hidden onChange={(e) => (focusStage(), e.target.files?.[0] && void openFile(e.target.files[0]))} />
      <LessonsMenu />
      {/* One button a line: inside ToolbarMore it folds into the More menu on a projector's short screen. */}
      <ToolbarMore>
      <SeedField seed={seed} onCommit={actions.setSeed} />
      <button
        title="A link to this moment: the scenario with the faults and policy changes you made, the time, speed, theme, branches and selection"
        onClick={() => void actions.share()}
      >
        Share
      </button>
      <button aria-label="Export…" title="Export… the trace, CSV, summary or a picture" onClick={() => actions.setExportOpen(true)}>
        <svg className="icon-svg" viewBox="0 0 16 16" width="15" height="15" aria-hidden="true">
          <path d="M8 1.5v8m-3.2-3.2L8 9.5l3.2-3.2M2.5 10.5v3h11v-3" stroke="currentColor" strokeWidth="1.6" fill="none" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
      </button>
      <EmbedButton />
      <button title="Run two policies side by side" onClick={actions.openCompare}>
        Compare…
      </button>
      <button title="Open a scenario file" onClick={() => fileRef.current?.click()}>
        Open…
      </button>
      </ToolbarMore>
      <ProjectorToggle />
      <button aria-label="Toggle theme" title="Light / dark" onClick={actions.cycleTheme}>
        {theme === 'dark' ? '☾' : theme === 'light' ? '☀' : '◐'}
      </button>
      <button aria-label="Help" title="Help and shortcuts (?)" onClick={() => actions.setHelpOpen(true)}>
        ?
      </button>
    </header>
  );
}

/** Projector mode (#8): a toggle button; its state is in the store, the share link and `?projector=1`. */
function ProjectorToggle() {
  const actions = useActions();
  const on = useApp((s) => s.projector);
  return (
    <button className="projector-toggle" aria-pressed={on} aria-label="Projector mode" title="Projector mode: large type, thick strokes, high contrast (?projector=1)" onClick={() => actions.setProjector()}>
      <svg className="icon-svg" viewBox="0 0 16 16" width="15" height="15" aria-hidden="true">
        <rect x="1.5" y="2.5" width="13" height="8" rx="1" stroke="currentColor" strokeWidth="1.5" fill="none" />
        <path d="M8 10.5v3m-3 1h6" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
      </svg>
    </button>
  );
}

/**
 * The seed starts a new run, so it is committed on Enter or on leaving the field — not on every
 * keystroke, which would load 1, 12 and 123 while the user types 123.
 */
function SeedField({ seed, onCommit }: { seed: number; onCommit: (seed: number) => void }) {
  const [draft, setDraft] = useState<string | null>(null);
  const commit = () => {
    if (draft === null) return;
    setDraft(null);
    if (draft.trim() !== '' && Number(draft) !== seed) onCommit(Number(draft));
  };
  return (
    <label className="field seed">
      <span>Seed</span>
      <input
        aria-label="Seed"
        type="number"
        min={0}
        max={4294967295}
        step={1}
        value={draft ?? seed}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') setDraft(null);
        }}
      />
    </label>
  );
}

/** Playback icons as inline SVG: font glyphs for ⏭/⏩ are missing on many machines. */
function Icon({ name }: { name: 'play' | 'pause' | 'back' | 'step' | 'end' | 'reset' }) {
  const paths = {
    play: 'M4 2.5v11l9-5.5z',
    pause: 'M4 2.5h3v11H4zM9 2.5h3v11H9z',
    back: 'M13 2.5v11L6 8zM2.5 2.5H5v11H2.5z',
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

function Banners() {
  const actions = useActions();
  const problems = useApp((s) => s.problems);
  // A notice that only reports what was done, and a link that was copied, are toasts (Toasts.tsx).
  const notice = useApp((s) => (s.notice !== s.transientNotice ? s.notice : null));
  const shareLink = useApp((s) => (s.shareCopied === false ? s.shareLink : null));
  const shareCopied = useApp((s) => s.shareCopied);
  const fatal = useApp((s) => s.fatal);
  const lessonProblems = useApp((s) => s.lessonProblems);
  const seeking = useApp((s) => s.seeking);
  const silentMs = useWorkerSilence();
  if (!fatal && problems.length === 0 && !shareLink && !notice && !lessonProblems && !seeking && silentMs === null) return null;
  // Over the top of the drawing, bounded, each dismissible (#8): a banner never takes rows from the
  // stage, so the title, the caption, the status line and the scrubber keep their place; only its
  // buttons and fields take the pointer, so what it lies over can still be clicked.
  return (
    <div className="banners" data-testid="banners">
      <WorkerSilence silentMs={silentMs} />
      {seeking && (
        // A seek slower than SEEK_PROGRESS_AFTER_MS (#10): how far it got, and a way out (Cancel, Esc).
        <div className="banner info seek-progress" role="group" aria-label="Seek in progress" data-testid="seek-progress">
          <span>
            Travelling to {fmtUs(seeking.targetUs)}: at {fmtUs(seeking.atUs)}
          </span>
          <progress max={1} value={seeking.fraction} aria-label="Seek progress" />
          <span>{Math.floor(seeking.fraction * 100)}%</span>
          <button onClick={() => actions.cancelSeek()} aria-keyshortcuts="Escape" title="Stop here (Esc)">
            Cancel
          </button>
        </div>
      )}
      {fatal && (
        <div className="banner bad" role="alert">
          {fatal}
        </div>
      )}
      {problems.length > 0 && (
        <ProblemsBanner
          heading="That scenario was not loaded"
          problems={problems}
          footer="The scenario you had is still loaded."
          testId="problems"
          onDismiss={() => actions.dismiss('problems')}
        />
      )}
      <LessonProblems />
      {shareLink && (
        <div className="banner info" role="status" data-testid="share">
          <span>{shareCopied === true ? 'Link to this moment, copied to the clipboard:' : shareCopied === false ? 'Link to this moment (the browser did not let it be copied: select it and copy):' : 'Link to this moment:'}</span>
          <input className="share-link" aria-label="Share link" readOnly value={shareLink} onFocus={(e) => e.currentTarget.select()} />
          <button onClick={() => actions.dismiss('shareLink')}>Dismiss</button>
        </div>
      )}
      {notice && (
        <div className="banner info" role="status" data-testid="notice">
          <span>{notice}</span>
          <button onClick={() => actions.dismiss('notice')}>Dismiss</button>
        </div>
      )}
    </div>
  );
}

function Stage({ panelsOpen, onTogglePanels }: { panelsOpen: boolean; onTogglePanels: () => void }) {
  const sim = useSim();
  const actions = useActions();
  const layout = useApp((s) => s.layout);
  const scenario = useApp((s) => s.scenario);
  const selection = useApp((s) => s.selection);
  const projector = useApp((s) => s.projector);
  const hostRef = useRef<HTMLDivElement>(null);
  const timeRef = useRef<HTMLSpanElement>(null);
  const eventsRef = useRef<HTMLSpanElement>(null);
  const speedRef = useRef<HTMLSpanElement>(null);
  const scrubRef = useRef<HTMLDivElement>(null);
  const durationUs = scenario?.durationUs ?? 0;

  const viewRef = useViewFactory(
    hostRef,
    sim && layout ? (el) => createStackView(el, layout, { onSelect: (e) => actions.select(e as Selection), onNodeMenu: actions.openFaultMenu }, { projector }) : null,
    [sim, layout, actions, projector],
    { sim, onFrame: (view, f) => view.update(f) },
  );
  useViewFactory(scrubRef, sim && layout && durationUs ? (el) => createScrubber(el, durationUs, { onSeek: actions.seek }) : null, [sim, layout, durationUs, actions], {
    sim,
    onFrame: (scrubber, f) => scrubber.update(f),
  });
  // The status line at the panels' low rate (#10), each part written only when it changes.
  const statusFrame = useRef<Frame | null>(null);
  const status = useRef(
    lowRate(() => {
      const f = statusFrame.current;
      if (!f) return;
      setText(timeRef.current, `${fmtUs(f.nowUs)} / ${fmtUs(f.durationUs)}`);
      setText(eventsRef.current, f.eventCount.toLocaleString('en-US'));
      // A polite status: written only when it changes, so it is announced once.
      setText(speedRef.current, f.behind ? `can't keep up — running at ${speedLabel(f.achievedSpeed)}` : f.playing ? '' : f.finished ? 'finished' : 'paused');
      const cls = f.behind ? 'behind' : '';
      if (speedRef.current && speedRef.current.className !== cls) speedRef.current.className = cls;
    }),
  );
  useEffect(() => () => status.current.cancel(), []);
  useFrames(
    sim,
    (f: Frame) => {
      statusFrame.current = f;
      status.current.request(!f.playing || f.rewound);
    },
    [],
  );

  // `projector` rebuilds the view (above): what it highlighted and outlined is drawn again on the new one.
  useEffect(() => {
    viewRef.current?.highlight(selectionEntities(selection, layout));
  }, [selection, layout, projector, viewRef]);

  // A lesson step's focus: the entities it is about, outlined on the stage.
  const focusIds = useApp((s) => (s.lesson ? s.lesson.steps[s.lesson.index]?.focus.join('\n') ?? '' : ''));
  useEffect(() => {
    viewRef.current?.focus(focusEntities(focusIds ? focusIds.split('\n') : [], layout));
  }, [focusIds, layout, projector, viewRef]);

  return (
    <section className="stage" aria-label="Driver stack">
      <div className="stage-head">
        <div className="title-row">
          <h1 data-testid="title">{scenario?.title ?? 'Loading…'}</h1>
          <EditButton />
          <BranchBar />
          {/* Shown only in projector mode on a short screen (projector.css), where the panels and the log fold away. */}
          <button className="panels-toggle" aria-expanded={panelsOpen} aria-controls="side-panels event-log" onClick={onTogglePanels} title="Show or hide the side panels and the event log">
            {panelsOpen ? 'Hide panels' : 'Panels & log'}
          </button>
        </div>
        {scenario?.description && (
          <p className="description" title={scenario.description}>
            {scenario.description}
          </p>
        )}
      </div>
      <div className="stack-wrap">
        <div className="stack-host" ref={hostRef} data-testid="stack" />
        <Banners />
        <LoadProgress />
      </div>
      <Narration />
      <div className="status">
        <div className="scrubber-host" ref={scrubRef} data-testid="scrubber" />
        <span>
          t = <span ref={timeRef} data-testid="sim-time">0 µs</span>
        </span>
        <span title="Trace records written so far: Step moves one (a TDI_SEND's submission goes with its completion), inside a kernel event too">
          records <span ref={eventsRef} data-testid="event-count">0</span>
        </span>
        <span ref={speedRef} data-testid="play-state" role="status" />
      </div>
    </section>
  );
}

function BranchBar() {
  const actions = useActions();
  const branches = useApp((s) => s.branches);
  const branch = useApp((s) => s.branch);
  if (branches.length < 2) return null;
  return (
    <div className="branch-bar">
      <select aria-label="Branch" value={branch} onChange={(e) => actions.switchBranch(Number(e.target.value))}>
        {branches.map((b, i) => (
          <option key={i} value={i}>
            {b.label}
          </option>
        ))}
      </select>
      <button onClick={actions.compareBranches}>
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

function useKeyboard(): void {
  const actions = useActions();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (e.ctrlKey || e.metaKey || e.altKey || (e.key === ' ' ? spaceBelongsTo(t) : t.closest('input, select, textarea'))) return;
      // A lesson takes the clicker's keys (PageDown/PageUp) and, while it runs, → and ←.
      const inLesson = appStore.getState().lesson !== null;
      switch (e.key) {
        case 'PageDown':
          if (!inLesson) break;
          e.preventDefault();
          actions.lessonNext();
          break;
        case 'PageUp':
          if (!inLesson) break;
          e.preventDefault();
          actions.lessonBack();
          break;
        case ' ':
          e.preventDefault();
          actions.togglePlay();
          break;
        case 'ArrowRight':
          e.preventDefault();
          if (inLesson) actions.lessonNext();
          else actions.step();
          break;
        case 'ArrowLeft':
          e.preventDefault();
          if (inLesson) actions.lessonBack();
          else actions.stepBack();
          break;
        case '+':
        case '=':
          actions.faster();
          break;
        case '-':
        case '_':
          actions.slower();
          break;
        case 'r':
        case 'R':
          actions.reset();
          break;
        case '?':
          actions.toggleHelp();
          break;
        case 'Escape':
          actions.escape();
          break;
        default:
          break;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [actions]);
}
