// The scenario validator (and its schema library, most of its size) is a chunk of its own in the
// worker (#19, the worker's first load): a preset the build checked starts without it; a file, a
// seed, a fault or a policy change loads it on first use.
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
