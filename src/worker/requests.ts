// Requests: each answered exactly once, by its reply or a failure carrying its id. What only some of
// them need (why-chains and the record table behind them, the summary, exports, find, lessons, the
// log's scroll-back and search) loads on first use: the worker's first load, before the first frame,
// stays small (the embed has a budget for it), and an answer then comes a moment later, as any may.
import type { Commands } from '../protocol/messages.ts';
import type { ExportRun } from '../trace/exportRun.ts';
import type { SessionCore } from './core.ts';

const onDemand = {
  why: () => Promise.all([import('../trace/why.ts'), import('../trace/names.ts'), import('../trace/whyMoment.ts')]),
  summary: () => import('../trace/summary.ts'),
  exportRun: () => import('../trace/exportRun.ts'),
  replay: () => import('./replay.ts'),
  lesson: () => import('../lesson/run.ts'),
  rows: () => import('./rows.ts'),
  search: () => Promise.all([import('./search.ts'), import('../trace/rowFilter.ts')]),
};

/** An export posts a piece when it has this much text, or after EXPORT_SLICE_MS of work. */
const EXPORT_PART_CHARS = 1 << 20;
const EXPORT_SLICE_MS = 8;

export class Requests {
  /** Exports asked for whose code is still loading (a cancel then stops them before they start). */
  private exportsStarting = new Set<number>();
  /** Exports under way, by request id: each runs its own headless engine in slices. */
  private exports = new Map<number, { run: ExportRun; timer: unknown; parts: number; chars: number; progress: number }>();

  constructor(private readonly core: SessionCore) {}

  inspect(cmd: Commands['inspect']): void {
    const engine = this.core.loadedEngine();
    this.core.host.post({ op: 'inspected', id: cmd.id, connection: cmd.connection, detail: engine.inspectConnection(cmd.connection) });
  }

  summary(cmd: Commands['summary']): void {
    this.core.loadedEngine();
    this.answerLater(cmd.id, async () => {
      const { summarize } = await onDemand.summary();
      this.core.host.post({ op: 'summary', id: cmd.id, summary: summarize(this.core.loadedEngine()) });
    });
  }

  find(cmd: Commands['find']): void {
    this.core.loadedEngine();
    this.answerLater(cmd.id, async () => {
      const { findFirst } = await onDemand.replay();
      this.core.host.post({ op: 'found', id: cmd.id, record: findFirst(this.core.scenario!, cmd.match, this.core.api) });
    });
  }

  lessonRun(cmd: Commands['lessonRun']): void {
    this.core.loadedEngine();
    this.answerLater(cmd.id, async () => {
      const { runToMoment } = await onDemand.lesson();
      this.core.host.post({ op: 'lessonReached', id: cmd.id, moment: runToMoment(this.core.scenario!, cmd.trigger, cmd.fromSeq, cmd.collect ?? null, cmd.api ?? this.core.api) });
    });
  }

  why(cmd: Commands['why']): void {
    this.answerLater(cmd.id, () => this.explain(cmd.id, cmd.seq));
  }

  records(cmd: Commands['records']): void {
    this.core.loadedEngine();
    this.answerLater(cmd.id, () => this.regenerate(cmd.id, cmd.fromRow, cmd.count));
  }

  findRows(cmd: Commands['findRows']): void {
    this.core.loadedEngine();
    this.answerLater(cmd.id, () => this.searchBack(cmd));
  }

  export(cmd: Commands['export']): void {
    if (!this.core.scenario) throw new Error('no scenario is loaded yet');
    this.exportsStarting.add(cmd.id);
    this.answerLater(cmd.id, () => this.startExport(cmd));
  }

  cancel(cmd: Commands['cancel']): void {
    const job = this.exports.get(cmd.id);
    if (job) this.core.host.clearTimer(job.timer);
    this.exports.delete(cmd.id);
    this.exportsStarting.delete(cmd.id);
  }

  /** Runs a request's work that may load code first; a failure is that request's answer. */
  private answerLater(id: number, work: () => Promise<void>): void {
    work().catch((e: unknown) => this.core.host.post({ op: 'failure', id, message: e instanceof Error ? e.message : String(e) }));
  }

  private async explain(id: number, seq: number): Promise<void> {
    const [{ explain }, { decodeRecord }, { momentOfRecord }] = await onDemand.why();
    const tl = this.core.timeline;
    const engine = this.core.loadedEngine();
    if (!tl) throw new Error('no scenario is loaded yet');
    this.core.recorder.flush();
    if (seq < tl.histMin || seq > tl.histMax) {
      this.core.host.post({ op: 'why', id, seq, chain: null, reason: 'That event is older than the history kept (the last 262,144 events); seek closer to it and ask again.' });
      return;
    }
    const from = Math.max(tl.histMin, seq - 20_000);
    const to = Math.min(tl.histMax, seq + 4000);
    const cols = tl.slice(from, to);
    const events = [];
    for (let i = 0; i < cols.length; i++) events.push(decodeRecord(cols, i, engine.topo));
    // A refusal's holders and handler are read from the model's state at that record, replayed aside.
    const e = events[seq - from];
    const refusal = e?.type === 'send.complete' && e.status === 'STATUS_DEVICE_NOT_READY' && !e.lostRace;
    const moment = refusal ? momentOfRecord(this.core.scenario!, tl.beforeSeq(seq).cp, seq, engine) : null;
    const chain = explain(events, seq - from, engine.topo, moment);
    this.core.host.post({ op: 'why', id, seq, chain, ...(chain ? {} : { reason: 'Only refusals, lost races, error callbacks and broken connections have a why.' }) });
  }

  /** The log's rows for its scroll-back (rows.ts, loaded on first use), regenerated from a checkpoint. */
  private async regenerate(id: number, fromRow: number, count: number): Promise<void> {
    const { regenerateRows } = await onDemand.rows();
    const engine = this.core.loadedEngine();
    const [records, transfer] = regenerateRows(engine, this.core.scenario!, this.core.timeline!, fromRow, count);
    this.core.host.post({ op: 'records', id, records }, transfer);
  }

  /** The log's filter searched back through the run (search.ts, loaded on first use). */
  private async searchBack(cmd: Commands['findRows']): Promise<void> {
    const [{ findEarlierRows }, { rowFilterProblem }] = await onDemand.search();
    const engine = this.core.loadedEngine();
    const problem = rowFilterProblem(cmd.filter, engine.topo);
    if (problem) throw new Error(`findRows.${problem}`);
    const [found, transfer] = findEarlierRows(engine, this.core.scenario!, this.core.timeline!, engine.topo, cmd);
    this.core.host.post({ op: 'foundRows', id: cmd.id, ...found }, transfer);
  }

  /** Starts an export of the current scenario; its pieces go out between other messages. */
  private async startExport(cmd: Commands['export']): Promise<void> {
    const { createExportRun, isExportFormat } = await onDemand.exportRun();
    if (!this.exportsStarting.delete(cmd.id)) return; // cancelled before it started
    if (!this.core.scenario) throw new Error('no scenario is loaded yet');
    if (!isExportFormat(cmd.format)) throw new Error(`there is no export format "${String(cmd.format)}"`);
    const untilUs = cmd.untilUs === undefined ? undefined : Math.max(0, Math.round(cmd.untilUs));
    const run = createExportRun(this.core.scenario, cmd.format, {
      api: this.core.api,
      ...(untilUs !== undefined ? { untilUs } : {}),
      ...(cmd.intervalUs !== undefined ? { intervalUs: cmd.intervalUs } : {}),
    });
    const job = { run, timer: null as unknown, parts: 0, chars: 0, progress: 0 };
    this.exports.set(cmd.id, job);
    const pump = (): void => {
      if (this.exports.get(cmd.id) !== job) return; // cancelled
      try {
        const start = this.core.host.nowMs();
        let text = '';
        let done = false;
        // At least one piece per turn, however slow the clock says the machine is.
        do {
          const r = run.pieces.next();
          if (r.done) {
            done = true;
            break;
          }
          text += r.value;
        } while (text.length < EXPORT_PART_CHARS && this.core.host.nowMs() - start < EXPORT_SLICE_MS);
        // A piece goes out with text, at the end, or when the run has moved on (a summary has no text until it ends).
        const progress = done ? 1 : run.progress();
        if (text !== '' || done || progress - job.progress >= 0.01) {
          job.parts++;
          job.chars += text.length;
          job.progress = progress;
          this.core.host.post({ op: 'exportPart', id: cmd.id, text, progress });
        }
        if (done) {
          this.exports.delete(cmd.id);
          this.core.host.post({ op: 'exported', id: cmd.id, format: cmd.format, untilUs: run.untilUs, parts: job.parts, chars: job.chars });
        } else job.timer = this.core.host.setTimer(pump, 0);
      } catch (e) {
        this.exports.delete(cmd.id);
        this.core.host.post({ op: 'failure', id: cmd.id, message: `The export failed: ${e instanceof Error ? e.message : String(e)}` });
      }
    };
    job.timer = this.core.host.setTimer(pump, 0);
  }
}
