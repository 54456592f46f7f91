// The actions of issue 9 that carry a run out of the page: share links that restore the moment, and
// export (traces made in the worker, pictures of what is on screen). Kept apart from actions.ts,
// which wires them in: AppActions extends MomentActions, so scripts and the embed API call them as
// any other action.
import type { SimClient } from '../simClient.ts';
import type { AppData, AppState, Selection } from './store.ts';
import type { Command } from '../../src/protocol/messages.ts';
import type { Scenario } from '../../src/scenario/schema.ts';
import type { Topology } from '../../src/model/topology.ts';
import { isPresetName } from '../../src/scenario/presets.ts';
import type { ShareMoment } from '../share.ts';
import { copyText } from '../clipboard.ts';
import { fmtUs } from '../format.ts';
import { exportFileName, isAppExportFormat, MIME, type AppExportFormat } from '../exportFiles.ts';

/** What to export: up to when (a trace re-runs the scenario headless), and which picture. */
export interface ExportOptions {
  /** 'now' (default): the moment shown; 'end': the whole run; or a time in µs. Pictures are always now. */
  until?: 'now' | 'end' | number;
  /** CSV sample spacing in µs (default 1/200 of the run, as the command line). */
  intervalUs?: number;
  /** A picture's subject: 'stage' (default) or a chart ('pool', 'rates', 'share', 'fair', 'waits'). */
  target?: string;
  /** PNG pixels per CSS pixel (default 2). */
  scale?: number;
  /** A trace export stops with an error past this many characters (default MAX_EXPORT_CHARS, 256 Mi). */
  maxChars?: number;
  onProgress?: (progress: number) => void;
}

/** The largest export the page assembles in memory (characters of text). */
export const MAX_EXPORT_CHARS = 256 * 2 ** 20;

export interface MomentActions {
  /**
   * Puts the moment into a link (address bar, clipboard if allowed, a banner): the scenario with
   * what was done by hand, the time, speed, theme, branches and the selection. Resolves with the link.
   */
  share(): Promise<string | undefined>;
  /** What share() would put in the link now. */
  shareMoment(): ShareMoment | null;

  setExportOpen(open: boolean): void;
  /**
   * A file of the current run: a trace format re-run headless in the worker (with the faults and
   * policy changes made by hand) and streamed in pieces, or a picture of the stage or a chart.
   */
  export(format: AppExportFormat, opts?: ExportOptions): Promise<Blob>;
  /** export(), saved as a download named after the scenario and time; resolves with the file name. */
  download(format: AppExportFormat, opts?: ExportOptions): Promise<string>;
  /** The name download() would give the file. */
  exportFileName(format: AppExportFormat, opts?: ExportOptions): string;
  /** Stops the trace export under way (its promise rejects with an AbortError). */
  cancelExport(): void;
}

export interface MomentContext {
  set(partial: Partial<AppData>): void;
  get(): AppState;
  send(cmd: Command): void;
  sim(): SimClient | null;
}

/** The share and export actions, and the hooks actions.ts calls when a link is opened and loads. */
export function createMomentActions(ctx: MomentContext) {
  const { set, get, send } = ctx;
  /** Set while a shared link's scenario is being loaded: after it loads, its moment is restored. */
  let restoring: ShareMoment | null = null;
  /** The trace export under way (one at a time from the page). */
  let exportAbort: AbortController | null = null;

  function requireSim(): SimClient {
    const sim = ctx.sim();
    if (!sim) throw new Error('the simulation is not running yet');
    return sim;
  }

  /** The time an export shows: now, the end, or a time asked for (within the run). */
  function exportTime(opts: ExportOptions): number {
    const duration = get().scenario?.durationUs ?? 0;
    const until = opts.until ?? 'now';
    if (until === 'end') return duration;
    if (until === 'now') return Math.min(duration, ctx.sim()?.lastFrame?.nowUs ?? 0);
    return Math.max(0, Math.min(duration, Math.round(until)));
  }

  function exportName(): string {
    const st = get();
    return st.presetName ?? st.scenario?.title ?? 'scenario';
  }

  const actions: MomentActions = {
    shareMoment() {
      const st = get();
      if (!st.scenario) return null;
      const f = ctx.sim()?.lastFrame;
      const sel = st.selection;
      const ids = st.layout && sel ? { connection: st.layout.connectionIds, address: st.layout.addressIds, node: st.layout.nodeIds, client: st.layout.clientIds }[sel.kind] : null;
      const selId = sel && ids ? ids[sel.index] : undefined;
      return {
        scenario: st.scenario,
        ...(st.presetName ? { preset: st.presetName } : {}),
        timeUs: f?.nowUs ?? 0,
        events: f?.eventCount ?? 0,
        speed: st.speed,
        theme: st.theme,
        ...(st.projector ? { projector: true } : {}),
        ...(st.api === 'wsk' ? { api: 'wsk' as const } : {}),
        ...(st.branches.length > 1 ? { branches: st.branches.map((b, i) => (i === st.branch ? { ...b, scenario: st.scenario! } : b)), branch: st.branch } : {}),
        ...(sel && selId !== undefined ? { selection: { kind: sel.kind, id: selId } } : {}),
      };
    },
    async share() {
      const moment = actions.shareMoment();
      if (!moment) return undefined;
      const { shareUrl } = await import('../share.ts'); // loaded on first Share (#19: the first load)
      const link = await shareUrl(moment, location.href);
      history.replaceState(null, '', link);
      set({ shareLink: link, shareCopied: null });
      // Without a clipboard, the link is shown to copy by hand (shareLink), and the banner says so.
      const copied = await copyText(link);
      if (get().shareLink === link) set({ shareCopied: copied });
      return link;
    },

    setExportOpen: (open) => set({ exportOpen: open }),
    exportFileName: (format, opts = {}) => exportFileName(exportName(), format, format === 'svg' || format === 'png' ? exportTime({}) : exportTime(opts), opts.target ?? 'stage'),
    async export(format, opts = {}) {
      if (!isAppExportFormat(format)) throw new Error(`There is no export format "${String(format)}" (try jsonl, chrome-trace, csv, summary, svg, png).`);
      const st = get();
      if (!st.scenario) throw new Error('Nothing to export yet: no scenario is loaded.');
      if (format === 'svg' || format === 'png') {
        const pictures = await import('../exportPicture.ts');
        const heading = `${st.scenario.title} · t = ${fmtUs(exportTime({}))}`;
        const pic = pictures.pictureSvg(opts.target ?? 'stage', heading);
        return format === 'svg' ? new Blob([pic.svg], { type: MIME.svg }) : await pictures.svgToPng(pic.svg, pic.width, pic.height, opts.scale ?? 2);
      }
      exportAbort?.abort();
      const abort = new AbortController();
      exportAbort = abort;
      const parts: string[] = [];
      let chars = 0;
      let tooBig = false;
      const maxChars = opts.maxChars ?? MAX_EXPORT_CHARS;
      set({ exporting: { format, progress: 0 } });
      try {
        await requireSim().request(
          'export',
          { format, ...(opts.until === 'end' ? {} : { untilUs: exportTime(opts) }), ...(opts.intervalUs !== undefined ? { intervalUs: opts.intervalUs } : {}) },
          {
            channel: 'export',
            signal: abort.signal,
            onPart: (p) => {
              if (tooBig) return;
              if (p.text) parts.push(p.text);
              chars += p.text.length;
              if (chars > maxChars) {
                // The page holds the file until it is saved: past this, stop before the tab runs out of memory.
                tooBig = true;
                parts.length = 0;
                abort.abort();
                return;
              }
              opts.onProgress?.(p.progress);
              if (exportAbort === abort) set({ exporting: { format, progress: p.progress } });
            },
          },
        );
        return new Blob(parts, { type: MIME[format] });
      } catch (e) {
        if (tooBig) {
          throw new Error(
            `That ${format} file would be over ${+(maxChars / 2 ** 20).toPrecision(3)} MB, more than a browser tab should hold: export up to an earlier time, or use the command line (tdi-flow run … --format ${format} --out FILE), which writes as it goes.`,
            { cause: e },
          );
        }
        throw e;
      } finally {
        if (exportAbort === abort) {
          exportAbort = null;
          set({ exporting: null });
        }
      }
    },
    async download(format, opts = {}) {
      const name = actions.exportFileName(format, opts);
      const blob = await actions.export(format, opts);
      const { saveBlob } = await import('../exportPicture.ts');
      saveBlob(blob, name);
      return name;
    },
    cancelExport() {
      exportAbort?.abort();
    },
  };

  return {
    actions,
    /** A shared link: speed and theme at once, its scenario loads, the rest waits for `loaded`. */
    restore(m: ShareMoment, problems: string[], setSpeed: (speed: number) => void): void {
      if (m.speed !== undefined) setSpeed(m.speed);
      if (m.theme !== undefined) set({ theme: m.theme });
      if (m.projector !== undefined) set({ projector: m.projector });
      if (problems.length) set({ notice: problems.join(' ') });
      restoring = m;
      set({ presetName: null });
      // A link names its API (absent: TDI, as before WSK existed), whatever the page had chosen.
      send({ op: 'load', source: { kind: 'json', scenario: m.scenario }, api: m.api ?? 'tdi' });
    },
    /** Whether a link's scenario is being loaded (its rejection falls back to the preset). */
    get restoring(): boolean {
      return restoring !== null;
    },
    cancelRestore(): void {
      restoring = null;
    },
    /** On `loaded`: if a link's scenario loaded, restores its branches, selection and moment and returns true. */
    loaded(scenario: Scenario, topology: Topology): boolean {
      const m = restoring;
      restoring = null;
      if (!m) return false;
      const st = get();
      const branches =
        m.branches && m.branch !== undefined
          ? m.branches.map((b, i) => (i === m.branch ? { ...b, scenario } : { ...b, scenario: b.scenario as Scenario }))
          : [{ label: 'main', scenario, forkUs: null }];
      let selection: Selection = null;
      const notes: string[] = [];
      if (m.selection) {
        const ids = { connection: topology.connectionIds, address: topology.addressIds, node: topology.nodeIds, client: topology.clientIds }[m.selection.kind];
        const index = ids.indexOf(m.selection.id);
        if (index >= 0) selection = { kind: m.selection.kind, index };
        else notes.push(`The link selects ${m.selection.kind} "${m.selection.id}", which this scenario does not have.`);
      }
      set({
        scenario,
        layout: topology,
        problems: [],
        selection,
        playing: false,
        finished: false,
        bugcheck: null,
        loadSerial: st.loadSerial + 1,
        branches,
        branch: m.branches && m.branch !== undefined ? m.branch : 0,
        why: null,
        presetName: m.preset !== undefined && isPresetName(m.preset) ? m.preset : null,
        ...(notes.length ? { notice: [st.notice, ...notes].filter(Boolean).join(' ') } : {}),
      });
      if (m.timeUs !== undefined && (m.timeUs > 0 || (m.events ?? 0) > 0)) send({ op: 'seek', timeUs: m.timeUs, ...(m.events !== undefined ? { events: m.events } : {}) });
      return true;
    },
    /** A new scenario: a fragment that described the old one no longer holds. */
    clearFragment(): void {
      if (typeof location === 'undefined' || typeof history === 'undefined' || location.hash === '') return;
      const url = new URL(location.href);
      url.hash = '';
      history.replaceState(null, '', url);
    },
  };
}
