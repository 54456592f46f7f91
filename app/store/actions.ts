// Every way the page can be driven, as store actions: the toolbar, the keyboard, the stack view, the
// worker's events and the script handle (window.tdiFlowLab) call the same functions, so an embed API
// or a lesson script built on them behaves exactly as a click does.
import type { SimClient } from '../simClient.ts';
import { isSuperseded } from '../simClient.ts';
import type { AppData, AppState, Selection } from './store.ts';
import { SPEEDS } from './speeds.ts';
import type { Command, Commands, EventOf, Events, FrameEvents, Parts, Replies, ReplyOf, RequestOp } from '../../src/protocol/messages.ts';
import { BIG_LOAD_CONNECTIONS } from '../../src/protocol/messages.ts';
import { leadUpSentences } from '../bugcheckLeadUp.ts';
import type { PolicyChange, Scenario } from '../../src/scenario/schema.ts';
import type { PresetName } from '../../src/scenario/presets.ts';
import { checkCommand } from '../../src/protocol/checkCommand.ts';
import { fmtUs } from '../format.ts';
import { createMomentActions, type MomentActions } from './momentActions.ts';
import type { LessonController } from '../lesson/controller.ts';
import { createLessonPort } from './lessonPort.ts';
import type { StudentAnswer } from '../../src/lesson/query.ts';
import type { Api } from '../../src/model/state.ts';

export type { ExportOptions } from './momentActions.ts';
export { MAX_EXPORT_CHARS } from './momentActions.ts';

/** What the page starts with: the address bar's preset, seed, speed and notices, and its fragment. */
export interface Boot {
  preset: PresetName;
  seed?: number;
  /** `api=wsk`: the clients use Winsock Kernel (#20). */
  api?: Api;
  speed?: number;
  notices?: string[];
  /** location.hash: a shared link carries its scenario there. */
  hash?: string;
}

/** The worker events the page reacts to (frames, request replies and their parts go elsewhere). */
export type WorkerEventActions = { [K in Exclude<keyof Events, 'frame' | 'pong' | Replies[RequestOp] | Parts[keyof Parts]>]: (e: EventOf<K>) => void };

/** Share and export (momentActions.ts) are actions too. */
export interface AppActions extends MomentActions {
  /** Wires a simulation client: its events go to `received`, its frames' flags to the store. Returns the unwiring. */
  connect(sim: SimClient, boot: Boot): () => void;
  /** The handlers of the worker's events (connect() routes them here). */
  received: WorkerEventActions;

  play(): void;
  pause(): void;
  togglePlay(): void;
  /** One trace record forward, inside a kernel event too (a submission goes with its completion). */
  step(): void;
  /** One trace record back: the first state with one record fewer. */
  stepBack(): void;
  runToEnd(): void;
  /** The same scenario from the start; faults and policy changes made by hand are replayed. */
  reset(): void;
  /**
   * Time travel to the state just after every event at or before timeUs; with `events`, the first
   * state with that many records (where a step stopped inside an instant).
   */
  seek(timeUs: number, opts?: { events?: number }): void;
  /** Stops a seek under way (its progress bar's Cancel, Esc): the view stays where it got to. */
  cancelSeek(): void;
  /** Stops a big load under way (issue 18): the scenario loaded before stays. */
  cancelLoad(): void;
  /** Simulated time per real time. */
  setSpeed(speed: number): void;
  /** The next speed up / down the SPEEDS ladder. */
  faster(): void;
  slower(): void;
  /** Frames while playing on or off (headless runs, the streaming benchmark). */
  setStreaming(on: boolean): void;

  loadPreset(name: PresetName, opts?: { seed?: number }): void;
  /** A scenario given as JSON (a file, a link, a script); problems show in a banner, the old run stays. */
  loadScenario(json: unknown, opts?: { seed?: number }): void;
  /** A file's text: JSON errors are located (line and column) by the engine's validator. */
  loadScenarioText(fileName: string, text: string): Promise<void>;
  /** The current scenario again with another seed (the preset menu keeps its name). */
  setSeed(seed: number): void;
  /** The current scenario again with its clients on another kernel interface: TDI or WSK (#20). */
  setApi(api: Api): void;

  /** Fails a driver now (R30–R36); in the past this forks a branch. */
  injectFault(fault: Commands['injectFault']): void;
  /** Changes a resubmit (R25) or notify (R22) policy from now; in the past this forks a branch. */
  changePolicy(change: Omit<PolicyChange, 'atUs'>): void;

  /** Selects an entity of the stack (null clears); highlightSeq marks the log row it came from. */
  select(selection: Selection, opts?: { highlightSeq?: number }): void;
  /** Explains the trace record with this seq in the Why? panel. */
  why(seq: number): Promise<void>;
  closeWhy(): void;
  /**
   * A connection's live detail (queue, debt, last BytesAvailable told). A newer call on the same
   * channel supersedes an unanswered older one (its promise rejects with Superseded).
   */
  inspect(connection: number, opts?: { channel?: string }): Promise<ReplyOf<'inspect'>['detail']>;
  /** The run's totals so far. */
  summary(opts?: { channel?: string }): Promise<ReplyOf<'summary'>['summary']>;
  /** The run up to now in a command-line format (jsonl, chrome-trace, csv, summary), by the worker's exporters. */
  /** The first record of the run matching (searched from the start), or null. */
  findFirst(match: Commands['find']['match']): Promise<ReplyOf<'find'>['record']>;

  /** Loads branch i and returns to the moment shown now. */
  switchBranch(i: number): void;
  /** Opens Compare with the current branch beside the previous one. */
  compareBranches(): void;
  /** Opens Compare for two policy variants of the current scenario. */
  openCompare(): void;
  closeCompare(): void;

  openFaultMenu(node: number, x: number, y: number): void;
  closeFaultMenu(): void;
  setHelpOpen(open: boolean): void;
  toggleHelp(): void;
  /** dark → light → system → dark. */
  cycleTheme(): void;
  /** Projector mode on or off (#8); without an argument, toggles it. */
  setProjector(on?: boolean): void;
  dismiss(what: 'notice' | 'problems' | 'shareLink'): void;
  /** Esc: closes overlays and clears the selection. */
  escape(): void;

  /**
   * Opens a lesson (docs/lessons.md): a built-in by name, or a lesson document. Its scenario loads
   * and its first step starts; a lesson with problems is not opened (they are listed with their
   * JSON paths) and what was on screen stays. Resolves with whether it opened.
   */
  openLesson(source: string | { json: unknown; label?: string }): Promise<boolean>;
  /** A lesson file's text: JSON errors located by line and column, then validated. */
  openLessonText(fileName: string, text: string): Promise<boolean>;
  /** Next step (PageDown, → while a lesson runs); while asking, runs without a prediction; while running, skips to the moment. */
  lessonNext(): void;
  /** The previous step, back in time to its moment (PageUp, ← while a lesson runs). */
  lessonBack(): void;
  /** The student's prediction for the current step's question: the model then runs and the reveal checks it. */
  lessonAnswer(answer: StudentAnswer): void;
  /** The answer chosen at the open question, before Check (PageDown then checks it). */
  lessonDraft(answer: StudentAnswer | null): void;
  /** The end screen: the stage to step `index`'s reveal (0-based). */
  lessonShowMoment(index: number): void;
  lessonRestart(): void;
  exitLesson(): void;
  /** A link that opens this lesson (`#lesson=<name>` or the packed document). */
  lessonLink(): Promise<string | null>;
  setLessonMenuOpen(open: boolean): void;

  /** The script handle's entry: a protocol command, carried out through the actions above. */
  command(cmd: Command): void;
}

/**
 * Lessons are the app's (App.tsx enables them): an embed's build never references the player, so
 * its first load does not carry what the player shares with other chunks.
 */
let lessonModule: (() => Promise<typeof import('../lesson/controller.ts')>) | null = null;
export function enableLessons(load: () => Promise<typeof import('../lesson/controller.ts')>): void {
  lessonModule = load;
}

type Set = (partial: Partial<AppData>) => void;
type Get = () => AppState;

export function createActions(set: Set, get: Get): AppActions {
  let sim: SimClient | null = null;
  /** Set while a branch is being loaded: after it loads, seek back to this moment. */
  let branchSwitch: { t: number } | null = null;

  // Every load runs under the page's chosen API unless it names its own (a link, a lesson step, a
  // script): one place, so a preset, a file, a seed, a branch or a shared moment all keep it (#20).
  const send = (cmd: Command): void => sim?.send(cmd.op === 'load' && cmd.api === undefined ? { ...cmd, api: get().api } : cmd);
  const moment = createMomentActions({ set, get, send, sim: () => sim });
  const sendLoad = (scenario: unknown, seed?: number): void =>
    send({ op: 'load', source: { kind: 'json', scenario }, ...(seed !== undefined ? { seed } : {}) });

  function recordBranch(scenario: Scenario, forked: boolean, what: string, atUs: number): void {
    const st = get();
    if (forked) {
      const branches = [...st.branches, { label: `branch ${st.branches.length + 1}: ${what} at ${fmtUs(atUs)}`, scenario, forkUs: atUs }];
      set({ branches, branch: branches.length - 1, scenario });
    } else {
      set({ branches: st.branches.map((b, i) => (i === st.branch ? { ...b, scenario } : b)), scenario });
    }
  }

  function requireSim(): SimClient {
    if (!sim) throw new Error('the simulation is not running yet');
    return sim;
  }

  let boot: Boot = { preset: 'basics' };

  // The lesson player loads when a lesson is first opened (the embed's first load does not pay for it).
  let lessons: Promise<LessonController> | null = null;
  const lesson = (): Promise<LessonController> => {
    if (!lessonModule) return Promise.reject(new Error('Lessons are not available on this page (open the lab itself).'));
    return (lessons ??= lessonModule().then((m) => m.createLessonController(createLessonPort(set, get, { send, sim: () => sim, actions: () => actions }))));
  };
  const playPause = (): void => {
    const s = get();
    if (s.playing) return send({ op: 'pause' });
    // At the end, Play plays it again from the start (as a media player does), not nothing.
    if (s.finished) send({ op: 'reset' });
    send({ op: 'play' });
  };
  const withLesson = (f: (c: LessonController) => void): void => {
    if (get().lesson) void lesson().then(f);
  };

  const received: WorkerEventActions = {
    ready() {
      set({ ready: true, presetName: boot.preset });
      send({ op: 'setSpeed', speed: get().speed });
      // A shared link carries its moment in the fragment; otherwise the preset of the query.
      const loadBootPreset = (): void =>
        send({ op: 'load', source: { kind: 'preset', name: boot.preset }, ...(boot.seed !== undefined ? { seed: boot.seed } : {}) });
      // A lesson link opens the lesson (with its own scenario); a broken one falls back to the preset.
      const hash = boot.hash ?? '';
      if (hash.startsWith('#lesson=')) {
        void lesson()
          .then((c) => c.open({ fragment: decodeURIComponent(hash.slice('#lesson='.length)) }))
          .then((opened) => !opened && loadBootPreset(), () => loadBootPreset());
        return;
      }
      // The link reader loads only for a link (the first load stays within its budget, #19).
      const shared = /^#?(v=|scenario=)/.test(hash) ? import('../share.ts').then((m) => m.decodeShareFragment(hash)) : Promise.resolve(null);
      shared.then(
        (shared) => {
          if (shared?.ok) return moment.restore(shared.moment, shared.problems, actions.setSpeed);
          if (shared && !shared.ok) set({ notice: `${shared.problem} Showing ${boot.preset} instead.` });
          loadBootPreset();
        },
        (e: unknown) => {
          set({ notice: `The link could not be read (${e instanceof Error ? e.message : String(e)}). Showing ${boot.preset} instead.` });
          loadBootPreset();
        },
      );
    },
    versionMismatch(e) {
      set({ fatal: `The simulation worker speaks protocol ${e.worker}, the page ${e.main}: reload the page.` });
    },
    loaded(e) {
      if (get().api !== (e.api ?? 'tdi')) set({ api: e.api ?? 'tdi' });
      const st = get();
      // A big load's run is in place: the page draws it (the bar goes with its first frame).
      if (st.loading && e.reason === 'load') set({ loading: { ...st.loading, stage: 'drawing' } });
      // A branch switch keeps the branches and returns to the same moment; a reset keeps them
      // too; any other load (preset, file, seed, a script) starts a new run with one branch.
      const switching = branchSwitch;
      branchSwitch = null;
      // Another scenario (a preset, a file, a seed) ends the lesson: its steps were about its own.
      const lessonOpen = st.lesson;
      if (lessonOpen && lessonOpen.phase !== 'loading' && e.reason === 'load' && !switching) withLesson((c) => c.exit());
      // A shared link's scenario: its branches, selection and moment come back.
      if (moment.loaded(e.scenario, e.topology)) return;
      if (!switching && e.reason === 'load') moment.clearFragment();
      const branches =
        switching || e.reason === 'reset'
          ? st.branches.map((b, i) => (i === st.branch && !switching ? { ...b, scenario: e.scenario } : b))
          : [{ label: 'main', scenario: e.scenario, forkUs: null }];
      set({ scenario: e.scenario, layout: e.topology, problems: [], selection: null, playing: false, finished: false, bugcheck: null, seeking: null, loadSerial: st.loadSerial + 1, branches: branches.length ? branches : [{ label: 'main', scenario: e.scenario, forkUs: null }], why: null });
      if (switching) send({ op: 'seek', timeUs: switching.t });
    },
    invalid(e) {
      if (get().loading) set({ loading: null });
      if (moment.restoring || !get().scenario) {
        // Nothing loaded yet (a link's scenario): name the problems and show the preset instead.
        moment.cancelRestore();
        const more = e.problems.length > 3 ? ` (and ${e.problems.length - 3} more)` : '';
        set({ notice: `The link's scenario was not loaded: ${e.problems.slice(0, 3).join('; ')}${more}. Showing ${boot.preset} instead.` });
        send({ op: 'load', source: { kind: 'preset', name: boot.preset }, ...(boot.seed !== undefined ? { seed: boot.seed } : {}) });
        return;
      }
      // The scenario the user had stays loaded; the problems are shown with their JSON paths.
      set({ problems: e.problems });
    },
    faultInjected(e) {
      recordBranch(e.scenario, e.forked, `${e.fault.status.replace('STATUS_', '')} on ${e.fault.driver}`, e.fault.atUs);
      const f = e.fault;
      const what =
        f.fatal === false
          ? 'non-fatal: its clients get ClientEventErrorEx and nothing breaks (R36)'
          : f.recoverAfterUs
          ? `it recovers after ${f.recoverAfterUs % 1000 === 0 ? `${f.recoverAfterUs / 1000} ms` : `${f.recoverAfterUs} µs`}, at ${fmtUs(f.atUs + f.recoverAfterUs)}`
          : 'it stays failed until a reset';
      const notice = `Injected ${f.status} on ${f.driver} at ${fmtUs(f.atUs)}: ${what}. Added to the scenario's faults, so a reset replays it.${e.forked ? ' This changed the past: a new branch; the old one is kept.' : ''}`;
      set({ notice, transientNotice: notice });
    },
    policyChanged(e) {
      recordBranch(e.scenario, e.forked, describePolicy(e.change), e.change.atUs);
      const notice = `From ${fmtUs(e.change.atUs)}: ${describePolicy(e.change)}.${e.forked ? ' This changed the past: a new branch; the old one is kept.' : ''}`;
      set({ notice, transientNotice: notice });
    },
    failure(e) {
      set({ notice: `Something went wrong in the simulation: ${e.message}`, loading: null });
    },
    loadProgress(e) {
      const st = get();
      if (!e.done) return void set({ loading: { stage: e.stage, connections: e.connections, cancelling: st.loading?.cancelling ?? false } });
      // Cancelled: the run on screen never went away. Too late: the new run's `loaded` came first.
      if (e.cancelled) set({ loading: null, notice: `Loading ${e.connections.toLocaleString('en-US')} connections was cancelled: ${st.scenario?.title || 'the scenario you had'} is still loaded.` });
      else if (st.loading?.cancelling) set({ loading: { ...st.loading, cancelling: false } });
    },
    seekProgress(e) {
      set({ seeking: e.done ? null : { targetUs: e.targetUs, atUs: e.atUs, fraction: e.fraction } });
      if (e.cancelled) set({ notice: `Seek cancelled at ${fmtUs(e.atUs)}.` });
    },
  };

  const actions: AppActions = {
    ...moment.actions,
    connect(client, bootWith) {
      sim = client;
      boot = bootWith;
      set({ speed: bootWith.speed ?? get().speed, api: bootWith.api ?? get().api, notice: bootWith.notices?.join(' ') || null, loading: null });
      const offEvents = client.onEvent((e) => {
        const handler = received[e.op as keyof WorkerEventActions] as ((ev: typeof e) => void) | undefined;
        handler?.(e);
      });
      // The last two frames' records: a bug check's stop screen tells what led to it.
      let older: FrameEvents | null = null;
      let newer: FrameEvents | null = null;
      const offFrames = client.onFrame((f) => {
        const s = get();
        if (f.rewound) older = newer = null;
        if (s.loading?.stage === 'drawing') set({ loading: null });
        if (f.events.length > 0) [older, newer] = [newer, f.events];
        const newBug = f.bugcheck !== null && s.bugcheck === null;
        if (s.playing !== f.playing || s.finished !== f.finished || newBug) {
          const leadUp = () => (s.layout ? leadUpSentences([older, newer].filter((k) => k !== null), s.layout) : []);
          set({ playing: f.playing, finished: f.finished, bugcheck: f.bugcheck === null ? null : newBug ? { ...f.bugcheck, leadUp: leadUp() } : s.bugcheck });
        }
      });
      return () => {
        offEvents();
        offFrames();
        if (sim === client) sim = null;
      };
    },
    received,

    play: () => send({ op: 'play' }),
    pause: () => send({ op: 'pause' }),
    togglePlay: () => {
      // A lesson's open question holds Space at its pause (docs/lessons.md § Playing a lesson).
      if (get().lesson) return withLesson((c) => c.play() || playPause());
      playPause();
    },
    step: () => send({ op: 'step' }),
    stepBack: () => send({ op: 'stepBack' }),
    runToEnd: () => send({ op: 'runToEnd' }),
    reset: () => send({ op: 'reset' }),
    seek: (timeUs, opts = {}) => send({ op: 'seek', timeUs, ...(opts.events !== undefined ? { events: opts.events } : {}) }),
    cancelSeek: () => send({ op: 'cancelSeek' }),
    cancelLoad() {
      const loading = get().loading;
      if (loading) set({ loading: { ...loading, cancelling: true } });
      send({ op: 'cancelLoad' });
    },
    setSpeed(speed) {
      set({ speed });
      send({ op: 'setSpeed', speed });
    },
    faster() {
      const i = SPEEDS.findIndex((x) => x >= get().speed);
      actions.setSpeed(SPEEDS[Math.min(SPEEDS.length - 1, i + 1)]!);
    },
    slower() {
      const i = SPEEDS.findIndex((x) => x >= get().speed);
      actions.setSpeed(SPEEDS[Math.max(0, i - 1)]!);
    },
    setStreaming: (on) => send({ op: 'setStreaming', on }),

    loadPreset(name, opts = {}) {
      set({ presetName: name, notice: null, shareLink: null });
      send({ op: 'load', source: { kind: 'preset', name }, ...(opts.seed !== undefined ? { seed: opts.seed } : {}) });
      // The address bar names the preset, so a reload shows it again.
      if (typeof location !== 'undefined' && typeof history !== 'undefined') {
        const url = new URL(location.href);
        url.searchParams.set('preset', name);
        if (get().api === 'wsk') url.searchParams.set('api', 'wsk');
        else url.searchParams.delete('api');
        if (opts.seed !== undefined) url.searchParams.set('seed', String(opts.seed));
        else url.searchParams.delete('seed');
        // A shared moment's fragment belongs to the run it described, not to this preset.
        url.hash = '';
        history.replaceState(null, '', url);
      }
    },
    loadScenario(json, opts = {}) {
      // A big one shows its stages from now (the posting itself takes a while).
      const connections = (json as { connections?: unknown } | null)?.connections;
      const big = Array.isArray(connections) && connections.length >= BIG_LOAD_CONNECTIONS;
      set({ presetName: null, ...(big ? { loading: { stage: 'posting' as const, connections: connections.length, cancelling: false } } : {}) });
      sendLoad(json, opts.seed);
    },
    async loadScenarioText(fileName, text) {
      // The CLI's checks: a BOM accepted; size, nesting and syntax errors (line and column) reported.
      // Loaded with the first file opened (#19: the first load).
      const { parseJsonText } = await import('../../src/scenario/jsonText.ts');
      const j = parseJsonText(text);
      if (!j.ok) return void set({ problems: j.problems.map((p) => `${fileName}: ${p}`) });
      actions.loadScenario(j.json);
    },
    setSeed(seed) {
      if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
        return void set({ notice: `Seed ${String(seed)} is not a whole number from 0 to 4294967295: the run keeps seed ${get().scenario?.seed ?? 0}.` });
      }
      const st = get();
      if (!st.scenario) return;
      // Another seed is another run: branches forked from this one no longer have a past to hang
      // from. Say so rather than let them vanish; the branch on screen carries its changes over.
      const others = st.branches.length - 1;
      set({
        notice:
          others > 0
            ? `Seed ${seed}: a new run with the changes of branch "${st.branches[st.branch]?.label ?? 'main'}"; the other ${others === 1 ? 'branch was' : `${others} branches were`} left behind (Share first to keep them).`
            : null,
      });
      sendLoad({ ...st.scenario, seed });
    },
    setApi(api) {
      const st = get();
      if (api !== 'tdi' && api !== 'wsk') return void set({ notice: `There is no kernel interface "${String(api)}" (try tdi or wsk): the run stays on ${st.api.toUpperCase()}.` });
      if (api === st.api) return;
      set({ api });
      if (typeof location !== 'undefined' && typeof history !== 'undefined') {
        const url = new URL(location.href);
        if (api === 'wsk') url.searchParams.set('api', 'wsk');
        else url.searchParams.delete('api');
        history.replaceState(null, '', url);
      }
      // The same scenario (with what was done by hand) runs again from the start under the other API.
      if (st.scenario) send({ op: 'load', source: { kind: 'json', scenario: st.scenario }, api });
    },

    injectFault: (fault) => send({ op: 'injectFault', ...fault }),
    changePolicy: (change) => send({ op: 'changePolicy', change }),

    select(selection, opts = {}) {
      set({ selection, faultMenu: null, ...(opts.highlightSeq !== undefined ? { highlightSeq: opts.highlightSeq } : {}) });
    },
    async why(seq) {
      set({ why: { seq, pending: true, chain: null } });
      try {
        const r = await requireSim().request('why', { seq });
        // Superseded requests reject, so only the newest answer arrives here; the panel may have closed.
        if (get().why?.seq === seq) set({ why: { seq, pending: false, chain: r.chain, ...(r.reason ? { reason: r.reason } : {}) } });
      } catch (e) {
        if (isSuperseded(e) || get().why?.seq !== seq) return;
        set({ why: { seq, pending: false, chain: null, reason: `No answer: ${e instanceof Error ? e.message : String(e)}` } });
      }
    },
    closeWhy: () => set({ why: null }),
    inspect: async (connection, opts = {}) => (await requireSim().request('inspect', { connection }, { channel: opts.channel ?? 'inspect' })).detail,
    summary: async (opts = {}) => (await requireSim().request('summary', {}, { channel: opts.channel ?? 'summary' })).summary,
    // Each export and search is its own channel: two in flight do not supersede each other.
    findFirst: async (match) => (await requireSim().request('find', { match }, { channel: `find:${JSON.stringify(match)}` })).record,

    switchBranch(i) {
      const b = get().branches[i];
      if (!sim || !b) return;
      branchSwitch = { t: sim.lastFrame?.nowUs ?? 0 };
      set({ branch: i });
      sendLoad(b.scenario);
    },
    compareBranches() {
      const { branches, branch } = get();
      const other = branch === 0 ? 1 : branch - 1;
      const a = branches[other];
      const b = branches[branch];
      if (!a || !b) return;
      set({ compareOpen: true, compareWith: { a: a.scenario, b: b.scenario, aLabel: a.label, bLabel: b.label } });
    },
    openCompare: () => set({ compareOpen: true, compareWith: null }),
    closeCompare: () => set({ compareOpen: false, compareWith: null, exportOpen: false }),

    openFaultMenu: (node, x, y) => set({ faultMenu: { node, x, y } }),
    closeFaultMenu: () => set({ faultMenu: null }),
    setHelpOpen: (open) => set({ helpOpen: open }),
    toggleHelp: () => set({ helpOpen: !get().helpOpen }),
    cycleTheme() {
      const theme = get().theme;
      set({ theme: theme === 'dark' ? 'light' : theme === 'light' ? 'system' : 'dark' });
    },
    setProjector: (on) => set({ projector: on ?? !get().projector }),
    dismiss: (what) => set(what === 'problems' ? { problems: [], lessonProblems: null } : what === 'notice' ? { notice: null } : { shareLink: null }),
    escape() {
      // A long seek under way is what Esc stops first, then a big load.
      if (get().seeking) return actions.cancelSeek();
      if (get().loading) return actions.cancelLoad();
      set({ lessonMenuOpen: false, helpOpen: false, faultMenu: null, selection: null, compareOpen: false, compareWith: null, exportOpen: false, why: null });
    },

    openLesson: async (source) => (await lesson()).open(typeof source === 'string' ? { name: source } : { json: source.json, label: source.label ?? 'that lesson' }),
    openLessonText: async (fileName, text) => (await lesson()).open({ text, label: fileName }),
    lessonNext: () => withLesson((c) => c.next()),
    lessonBack: () => withLesson((c) => c.back()),
    lessonAnswer: (answer) => withLesson((c) => c.answer(answer)),
    lessonDraft: (answer) => withLesson((c) => c.draft(answer)),
    lessonShowMoment: (index) => withLesson((c) => c.showMoment(index)),
    lessonRestart: () => withLesson((c) => c.restart()),
    exitLesson: () => withLesson((c) => c.exit()),
    lessonLink: async () => (get().lesson ? (await lesson()).link() : null),
    setLessonMenuOpen: (open) => set({ lessonMenuOpen: open }),

    command(raw) {
      // A script may pass anything: the worker's own door checks the shape, and the answer is shown
      // the way a bad file's problems are — never an exception thrown into the caller's page.
      const checked = checkCommand(raw);
      if (!checked.ok) return void set({ problems: [checked.problem] });
      const cmd = checked.command;
      switch (cmd.op) {
        case 'hello':
        case 'frameDone':
        case 'ping':
          // The client's own handshake, frame pacing and watchdog: a script sending them would confuse them.
          return;
        case 'load':
          if (cmd.api !== undefined && cmd.api !== get().api) set({ api: cmd.api });
          if (cmd.source.kind === 'preset') actions.loadPreset(cmd.source.name, cmd.seed !== undefined ? { seed: cmd.seed } : {});
          else actions.loadScenario(cmd.source.scenario, cmd.seed !== undefined ? { seed: cmd.seed } : {});
          return;
        case 'play':
          return actions.play();
        case 'pause':
          return actions.pause();
        case 'step':
          return actions.step();
        case 'stepBack':
          return actions.stepBack();
        case 'runToEnd':
          return actions.runToEnd();
        case 'reset':
          return actions.reset();
        case 'seek':
          return actions.seek(cmd.timeUs, cmd.events !== undefined ? { events: cmd.events } : {});
        case 'cancelSeek':
          return actions.cancelSeek();
        case 'cancelLoad':
          return actions.cancelLoad();
        case 'records':
        case 'findRows':
          // The log asks for these itself; a script's answer would have no one to hear it.
          return;
        case 'setSpeed':
          return actions.setSpeed(cmd.speed);
        case 'setStreaming':
          return actions.setStreaming(cmd.on);
        case 'injectFault': {
          const { op: _op, ...fault } = cmd;
          return actions.injectFault(fault);
        }
        case 'changePolicy':
          return actions.changePolicy(cmd.change);
        case 'why':
          void actions.why(cmd.seq);
          return;
        case 'inspect':
          void actions.inspect(cmd.connection).catch(() => undefined);
          return;
        case 'summary':
          void actions.summary().catch(() => undefined);
          return;
        case 'export':
          void actions.download(cmd.format, { until: cmd.untilUs ?? 'end', ...(cmd.intervalUs !== undefined ? { intervalUs: cmd.intervalUs } : {}) }).catch(() => undefined);
          return;
        case 'cancel':
          return actions.cancelExport();
        case 'find':
          void actions.findFirst(cmd.match).catch(() => undefined);
          return;
        case 'lessonRun':
          void requireSim().request('lessonRun', { trigger: cmd.trigger, fromSeq: cmd.fromSeq, ...(cmd.collect ? { collect: cmd.collect } : {}) }).catch(() => undefined);
          return;
        default: {
          const never: never = cmd;
          throw new Error(`unknown command ${(never as { op: string }).op}`);
        }
      }
    },
  };
  return actions;
}

export function describePolicy(p: PolicyChange): string {
  const parts: string[] = [];
  if (p.resubmit) parts.push(`${p.client ? `client ${p.client}` : 'every client'} resubmits${p.resubmit.from ? ` from ${p.resubmit.from}` : ''}${p.resubmit.delayUs !== undefined ? ` after ${p.resubmit.delayUs} µs` : ''}${p.resubmit.size ? `, size ${p.resubmit.size}` : ''}`);
  if (p.sendPossible) parts.push(`${p.transport ?? 'every transport'} notifies ${p.sendPossible.notify ?? ''}`.trim());
  return parts.join('; ');
}
