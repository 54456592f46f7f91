// `tdi-flow`: run, validate and list scenarios headless (formats.md § Command line).
// Bad input exits 2 with one line per problem naming the JSON path; never a stack trace.
import { closeSync, createWriteStream, fsyncSync, openSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { Engine } from '../model/engine.ts';
import { APIS, type Api } from '../model/state.ts';
import { escapeControl } from '../scenario/validate.ts';
import { load, shown } from './input.ts';
import { DEFAULT_QUEUE_LIMIT_BYTES } from '../scenario/options.ts';
import { PRESET_NAMES, presetTitle } from '../scenario/presets.ts';
import { createExportRun, EXPORT_FORMATS, isExportFormat, type ExportFormat } from '../trace/exportRun.ts';
import { lessonCommand, LessonUsageError } from './lesson.ts';

const USAGE = `usage:
  tdi-flow run SCENARIO.json|preset:NAME [--format jsonl|summary|chrome-trace|csv] [--api tdi|wsk] [--until-us N] [--out FILE] [--interval-us N]
  tdi-flow validate SCENARIO.json|preset:NAME
  tdi-flow presets
  tdi-flow lesson check LESSON.json|NAME   (tdi-flow lesson --help)`;

class UsageError extends Error {}
/** The output cannot be written (a missing directory, a full disk): one line, exit 2. */
class OutputError extends Error {}


interface RunArgs {
  source: string;
  format: ExportFormat;
  untilUs: number | null;
  out: string | null;
  intervalUs: number | null;
  api: Api;
}

function parseRunArgs(args: string[]): RunArgs {
  const r: RunArgs = { source: '', format: 'jsonl', untilUs: null, out: null, intervalUs: null, api: 'tdi' };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = (): string => {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    const count = (name: string, v: string): number => {
      if (!/^\d+$/.test(v)) throw new UsageError(`${name} must be a whole number of microseconds, got "${v}"`);
      return Number(v);
    };
    if (a === '--format') {
      const f = value();
      if (!isExportFormat(f)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}, got "${f}"`);
      r.format = f;
    } else if (a === '--api') {
      const api = value();
      if (!(APIS as readonly string[]).includes(api)) throw new UsageError(`--api must be one of ${APIS.join(', ')}, got "${api}"`);
      r.api = api as Api;
    } else if (a === '--until-us') r.untilUs = count('--until-us', value());
    else if (a === '--interval-us') r.intervalUs = Math.max(1, count('--interval-us', value()));
    else if (a === '--out') r.out = value();
    else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}`);
    else if (r.source === '') r.source = a;
    else throw new UsageError(`unexpected argument "${a}"`);
  }
  if (r.source === '') throw new UsageError('run needs a scenario file or preset:NAME');
  return r;
}

/** Temporary files of runs under way: removed if the run fails or is interrupted (Ctrl-C, kill). */
const temporaries = new Set<string>();
function removeTemporaries(): void {
  for (const t of temporaries) {
    try {
      unlinkSync(t);
    } catch {
      // Already gone.
    }
  }
  temporaries.clear();
}
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
  process.on(signal, () => {
    removeTemporaries();
    process.exit(code);
  });
}

/**
 * Where a run writes: standard output or the `--out` file. A write error (ENOENT, EISDIR, ENOSPC
 * on /dev/full …) ends the run with one line naming the output, never an unhandled 'error' event;
 * a reader of standard output that goes away (EPIPE, `| head`) ends it quietly with exit 0.
 *
 * A regular file is written to a temporary file beside it and renamed into place when complete (#17:
 * two runs with the same `--out` interleaved their bytes, and a killed run left half a file): the
 * target holds either what it held before or a whole run's output, whatever runs at the same time.
 * A device or a pipe (/dev/full, /dev/stdout, a FIFO) is written directly: it cannot be replaced.
 */
class Output {
  private error: NodeJS.ErrnoException | null = null;
  private wake: (() => void) | null = null;
  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly name: string,
    /** The temporary file and the target it becomes, for a regular file. */
    private readonly replace: { temporary: string; target: string } | null = null,
  ) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      this.error ??= e;
      this.wake?.();
    });
  }
  static open(path: string | null): Output {
    if (path === null) return new Output(process.stdout, 'standard output');
    let existing: ReturnType<typeof statSync> | undefined;
    try {
      existing = statSync(path);
    } catch {
      existing = undefined; // a new file
    }
    const direct = existing !== undefined && !existing.isFile();
    const temporary = direct ? null : join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
    let fd: number;
    try {
      fd = openSync(temporary ?? path, temporary ? 'wx' : 'w');
    } catch (e) {
      throw new OutputError(`cannot write ${shown(path)} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    if (temporary === null) return new Output(createWriteStream('', { fd }), shown(path));
    temporaries.add(temporary);
    // The stream must not close the descriptor: it is synced before the rename.
    return new Output(createWriteStream('', { fd, autoClose: false }), shown(path), { temporary, target: path });
  }

  /** The run failed: the temporary file goes, the target is left as it was. */
  discard(): void {
    if (!this.replace) return;
    temporaries.delete(this.replace.temporary);
    try {
      unlinkSync(this.replace.temporary);
    } catch {
      // Never made, or already gone.
    }
  }
  private check(): void {
    const e = this.error;
    if (e === null) return;
    if (e.code === 'EPIPE' && this.stream === process.stdout) process.exit(0);
    throw new OutputError(`cannot write ${this.name} (${e.code ?? e.message})`);
  }
  /** Writes text, waiting for the stream to drain when its buffer is full. */
  async write(text: string): Promise<void> {
    this.check();
    if (text === '') return;
    if (!this.stream.write(text)) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.stream.once('drain', () => resolve());
      });
      this.wake = null;
    }
    this.check();
  }
  /** Flushes (and, for a file, closes); a write that failed late is reported here. */
  async end(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.wake = resolve;
      const done = (e?: Error | null): void => {
        if (e) this.error ??= e;
        resolve();
      };
      if (this.stream === process.stdout) process.stdout.write('', done);
      else (this.stream as Writable).end(done);
    });
    this.wake = null;
    // An error emitted with the final write arrives on a later tick.
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.check();
    if (this.replace) {
      const fd = (this.stream as unknown as { fd: number }).fd;
      try {
        fsyncSync(fd);
        closeSync(fd);
        renameSync(this.replace.temporary, this.replace.target);
      } catch (e) {
        throw new OutputError(`cannot write ${this.name} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
      }
      temporaries.delete(this.replace.temporary);
    }
  }
}

async function run(args: RunArgs): Promise<number> {
  const v = await load(args.source);
  if (!v.ok) return fail(v.problems);
  const scenario = v.scenario;
  const untilUs = args.untilUs ?? scenario.durationUs;
  const out = Output.open(args.out);

  // The same run the app's Export… makes (src/trace/exportRun.ts), written out piece by piece so
  // memory stays flat on long runs.
  let engine: Engine;
  try {
    const run = createExportRun(scenario, args.format, { untilUs, api: args.api, ...(args.intervalUs != null ? { intervalUs: args.intervalUs } : {}) });
    for (const piece of run.pieces) await out.write(piece);
    engine = run.engine;
    await out.end();
  } catch (e) {
    out.discard();
    throw e;
  }
  noteDefaultQueueBound(engine);
  return 0;
}

/**
 * The run is fine, but a client without `queueLimitBytes` hit the default bound of its queue and
 * failed sends upward (STATUS_INSUFFICIENT_RESOURCES): say so on standard error, where the trace is not.
 */
function noteDefaultQueueBound(engine: Engine): void {
  const { queueFull } = engine.metrics();
  const s = engine.scenario;
  const hit: string[] = [];
  for (let c = 0; c < queueFull.length; c++) {
    const client = s.clients[engine.topo.connectionClient[c] as number]!;
    if (queueFull[c]! > 0 && client.queueLimitBytes === undefined) {
      hit.push(`connection "${s.connections[c]!.id}" (client "${client.id}", ${queueFull[c]} bytes)`);
    }
  }
  if (hit.length === 0) return;
  const listed = hit.slice(0, 3).join(', ') + (hit.length > 3 ? ` and ${hit.length - 3} more` : '');
  process.stderr.write(
    `tdi-flow: note: the client's queue reached the default bound of ${DEFAULT_QUEUE_LIMIT_BYTES / (1024 * 1024)} MiB per connection (no queueLimitBytes) on ${listed}: those sends failed with STATUS_INSUFFICIENT_RESOURCES\n`,
  );
}

function fail(problems: string[]): number {
  for (const p of problems) process.stderr.write(p + '\n');
  return 2;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'run':
      return run(parseRunArgs(rest));
    case 'validate': {
      if (rest.length !== 1) throw new UsageError('validate takes one scenario file');
      const v = await load(rest[0]!);
      if (!v.ok) return fail(v.problems);
      const s = v.scenario;
      process.stdout.write(
        `${shown(rest[0]!)}: valid — ${escapeControl(JSON.stringify(s.title))}, ${s.drivers.length} drivers, ${s.transports.length} transports, ${s.clients.length} clients, ${s.addresses.length} addresses, ${s.connections.length} connections, ${s.faults.length} faults\n`,
      );
      return 0;
    }
    case 'lesson':
      try {
        return await lessonCommand(rest);
      } catch (e) {
        if (e instanceof LessonUsageError) throw new UsageError(e.message);
        throw e;
      }
    case 'presets':
      for (const name of PRESET_NAMES) process.stdout.write(`${name.padEnd(13)} ${await presetTitle(name)}\n`);
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE + '\n');
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

// A reader that goes away (`| head`) is not an error; any other error on standard output (a full
// disk, /dev/full) is, whichever command wrote: one line and exit 2 (a run reports it as it writes).
let stdoutFailure: NodeJS.ErrnoException | null = null;
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  stdoutFailure ??= e;
});

/** Waits until what was written to standard output has gone (or failed). */
async function flushStdout(): Promise<void> {
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  await new Promise<void>((resolve) => setImmediate(resolve));
}

main(process.argv.slice(2))
  .then(async (code) => {
    await flushStdout();
    if (stdoutFailure !== null && code === 0) {
      process.stderr.write(`tdi-flow: cannot write standard output (${stdoutFailure.code ?? stdoutFailure.message})\n`);
      return 2;
    }
    return code;
  })
  .then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      if (e instanceof UsageError) {
        process.stderr.write(`tdi-flow: ${escapeControl(e.message)}\n${USAGE}\n`);
      } else if (e instanceof OutputError) {
        process.stderr.write(`tdi-flow: ${e.message}\n`);
      } else {
        // Not the user's fault: say so in one line, without a stack trace.
        process.stderr.write(`tdi-flow: internal error: ${escapeControl(e instanceof Error ? e.message : String(e))}\n`);
      }
      process.exitCode = 2;
    },
  );
