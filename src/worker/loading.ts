// Loading a scenario: a preset or a file, checked, then handed to the session to start. A big one
// (BIG_LOAD_CONNECTIONS or more, issue 18) says which stage it is at and yields between stages, so a
// Cancel or a newer load gets in and the run on screen is served until the new one is in place.
import type { Api } from '../model/state.ts';
import { installStateCodec } from '../model/engine.ts';
import { loadPreset } from '../scenario/presets.ts';
import { validateScenario, validateSeed } from '../scenario/validate.ts';
import type { Scenario } from '../scenario/schema.ts';
import { BIG_LOAD_CONNECTIONS, type Commands, type Event, type WorkerLoadStage } from '../protocol/messages.ts';
import type { SessionHost } from './core.ts';

/** A scenario's connections as sent (before it is checked): a big load tells its stages. */
const connectionsOf = (json: unknown): number => {
  const connections = (json as { connections?: unknown } | null)?.connections;
  return Array.isArray(connections) ? connections.length : 0;
};
/** A real yield to the message loop (not the paced clock): a cancel or a frameDone gets in. */
const yieldToMessages = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
const loadStateCopy = () => import('../model/stateCopy.ts');

/** A big load under way: between its stages it yields, and a cancel (or a newer load) ends it there. */
export interface LoadJob {
  connections: number;
  big: boolean;
}

export class Loading {
  /** The newest load: an older one that finds another here after a yield stops (superseded or cancelled). */
  private loadJob: LoadJob | null = null;

  constructor(
    private readonly host: SessionHost,
    /** The checked scenario becomes the session's run (with its job when big: the last stage is told). */
    private readonly start: (scenario: Scenario, big: LoadJob | null, api: Api) => void,
  ) {}

  async load(cmd: Commands['load']): Promise<void> {
    const source = cmd.source; // its shape and a preset's name were checked at the door (checkCommand)
    const job: LoadJob = { connections: 0, big: false };
    this.loadJob = job;
    if (cmd.seed !== undefined) {
      const seed = validateSeed(cmd.seed, ['load', 'seed']);
      if (!seed.ok) return this.loadAnswered(job, { op: 'invalid', problems: seed.problems });
    }
    const json = source.kind === 'preset' ? await loadPreset(source.name) : source.scenario;
    // A big load (issue 18) says where it is and yields between its stages, so Cancel gets in and
    // the run on screen is served until the new one is in place. A small one is answered as before.
    job.connections = connectionsOf(json);
    const big = (job.big = job.connections >= BIG_LOAD_CONNECTIONS);
    // Its first checkpoint would be a structuredClone of the whole state (~1 s at 102,400
    // connections): the packed codec loads while it is checked, and takes that one too.
    const codec = big ? loadStateCopy() : null;
    if (big && !(await this.loadStage(job, 'validating'))) return;
    const v = validateScenario(json);
    if (!v.ok) return this.loadAnswered(job, { op: 'invalid', problems: v.problems });
    const scenario = cmd.seed !== undefined ? { ...v.scenario, seed: cmd.seed } : v.scenario;
    if (codec) installStateCodec((await codec).stateCodec);
    if (big && !(await this.loadStage(job, 'building'))) return;
    if (this.loadJob === job) this.loadJob = null;
    this.start(scenario, big ? job : null, cmd.api ?? 'tdi');
  }

  /** Tells a big load's stage, then yields; false: the load was cancelled or replaced meanwhile. */
  private async loadStage(job: LoadJob, stage: WorkerLoadStage): Promise<boolean> {
    this.host.post({ op: 'loadProgress', stage, connections: job.connections, done: false, cancelled: false });
    await yieldToMessages();
    return this.loadJob === job;
  }

  /** A load's one answer, unless it was big and a newer load (or a cancel) took its place. */
  private loadAnswered(job: LoadJob, answer: Event): void {
    if (job.big && this.loadJob !== job) return;
    if (this.loadJob === job) this.loadJob = null;
    this.host.post(answer);
  }

  /** Cancel: the load under way stops at its next stage; the run loaded before stays. Always answered. */
  cancel(): void {
    // Only a big load stops between stages; a small one is answered in one go.
    const job = this.loadJob?.big ? this.loadJob : null;
    if (job) this.loadJob = null;
    // Too late (no load under way: its run is already in place) is an answer too.
    this.host.post({ op: 'loadProgress', stage: 'sending', connections: job?.connections ?? 0, done: true, cancelled: job !== null });
  }
}
