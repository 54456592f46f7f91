// The scenario validator (and its schema library, most of its size) is a chunk of its own in the
// worker (#19, the worker's first load): a preset the build checked starts without it; a file, a
// seed, a fault or a policy change loads it on first use.
import type { Command } from '../protocol/messages.ts';

type Validators = typeof import('../scenario/validate.ts');

let loaded: Validators | null = null;
let failure: string | null = null;
let loading: Promise<Validators> | null = null;

export function loadValidators(): Promise<Validators> {
  loading ??= import('../scenario/validate.ts').then(
    (m) => (loaded = m),
    (e: unknown) => {
      failure = e instanceof Error ? e.message : String(e);
      throw new Error(`the scenario validator could not be loaded (${failure})`);
    },
  );
  return loading;
}

/** The validators if loaded; throws (the command gets a failure) if their chunk could not be loaded. */
export function validators(): Validators {
  if (loaded) return loaded;
  throw new Error(failure ? `the scenario validator could not be loaded (${failure})` : 'the scenario validator is not loaded yet');
}

/** Whether a command that needs the validators must wait for them first. */
export const validatorsPending = (): boolean => loaded === null && failure === null;

/**
 * While the validator's chunk loads, commands wait and then go on in the order they came: a fault
 * or a policy change needs it, and what follows a file's load (its Play) acts on the run it loads,
 * as when the check was at hand.
 */
export class ValidatorGate {
  private held: Command[] | null = null;

  constructor(private readonly run: (cmd: Command) => void) {}

  /** True if the command waits (it is run when the chunk is in, or could not be loaded). */
  holds(cmd: Command): boolean {
    if (this.held) return this.held.push(cmd) > 0;
    if ((cmd?.op !== 'injectFault' && cmd?.op !== 'changePolicy') || !validatorsPending()) return false;
    this.wait([cmd]);
    return true;
  }

  /** After a command: if it started loading the chunk (a file's load), the next ones wait for it. */
  after(): void {
    if (loading && validatorsPending() && !this.held) this.wait([]);
  }

  private wait(held: Command[]): void {
    this.held = held;
    const release = () => {
      this.held = null;
      for (const cmd of held) this.run(cmd);
    };
    void loadValidators().then(release, release);
  }
}
