// `tdi-flow`: run, validate and list scenarios headless (formats.md § Command line).
// Bad input exits 2 with one line per problem naming the JSON path; never a stack trace.
import { readFileSync, createWriteStream } from 'node:fs';
import { Engine } from '../model/engine.ts';
import { parseScenarioText, validateScenario, type Validation } from '../scenario/validate.ts';
import { PRESET_NAMES, isPresetName, loadPreset, presetTitle } from '../scenario/presets.ts';
import { TraceRecorder, type TraceChunk } from '../trace/records.ts';
import { chromeTraceExporter, jsonlExporter, type StreamExporter } from '../trace/exporters.ts';
import { summarize } from '../trace/summary.ts';
import { CSV_HEADER, csvRows } from '../trace/csv.ts';

const USAGE = `usage:
  tdi-flow run SCENARIO.json|preset:NAME [--format jsonl|summary|chrome-trace|csv] [--until-us N] [--out FILE] [--interval-us N]
  tdi-flow validate SCENARIO.json|preset:NAME
  tdi-flow presets`;

const FORMATS = ['jsonl', 'summary', 'chrome-trace', 'csv'] as const;
type Format = (typeof FORMATS)[number];

class UsageError extends Error {}

interface RunArgs {
  source: string;
  format: Format;
  untilUs: number | null;
  out: string | null;
  intervalUs: number | null;
}

function parseRunArgs(args: string[]): RunArgs {
  const r: RunArgs = { source: '', format: 'jsonl', untilUs: null, out: null, intervalUs: null };
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
      if (!(FORMATS as readonly string[]).includes(f)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got "${f}"`);
      r.format = f as Format;
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

async function load(source: string): Promise<Validation> {
  if (source.startsWith('preset:')) {
    const name = source.slice('preset:'.length);
    if (!isPresetName(name)) {
      return { ok: false, problems: [`${source}: no such preset (presets: ${PRESET_NAMES.join(', ')})`] };
    }
    return validateScenario(await loadPreset(name));
  }
  let text: string;
  try {
    text = readFileSync(source, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, problems: [`${source}: cannot read file (${code ?? String(e)})`] };
  }
  const v = parseScenarioText(text);
  return v.ok ? v : { ok: false, problems: v.problems.map((p) => `${source}: ${p}`) };
}

/** Writes text, waiting for the stream to drain when its buffer is full. */
async function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (text === '') return;
  if (!stream.write(text)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
}

async function run(args: RunArgs): Promise<number> {
  const v = await load(args.source);
  if (!v.ok) return fail(v.problems);
  const scenario = v.scenario;
  const untilUs = args.untilUs ?? scenario.durationUs;
  const out: NodeJS.WritableStream = args.out ? createWriteStream(args.out) : process.stdout;

  const chunks: TraceChunk[] = [];
  const wantsTrace = args.format === 'jsonl' || args.format === 'chrome-trace';
  const recorder = wantsTrace ? new TraceRecorder((k) => chunks.push(k)) : null;
  const engine = new Engine(scenario, { trace: recorder });

  if (args.format === 'summary') {
    engine.runUntil(untilUs);
    await write(out, JSON.stringify(summarize(engine), null, 2) + '\n');
  } else if (args.format === 'csv') {
    const interval = args.intervalUs ?? Math.max(1, Math.round(Math.min(untilUs, scenario.durationUs) / 200));
    await write(out, CSV_HEADER);
    for (let t = 0; ; t += interval) {
      const at = Math.min(t, untilUs, scenario.durationUs);
      engine.runUntil(at);
      await write(out, csvRows(engine));
      if (at >= Math.min(untilUs, scenario.durationUs) || engine.halted) break;
    }
  } else {
    const exporter: StreamExporter = args.format === 'jsonl' ? jsonlExporter(engine.topo) : chromeTraceExporter(engine);
    await write(out, exporter.header());
    // Run a chunk's worth at a time and write it out, so memory stays flat on long runs.
    while (!engine.finished && engine.nowUs <= untilUs) {
      const before = engine.dispatchCount;
      while (chunks.length === 0 && !engine.finished && engine.nextEventUs <= untilUs) engine.step();
      if (chunks.length === 0) break;
      for (const k of chunks.splice(0)) {
        await write(out, exporter.chunk(k));
        recorder!.recycle(k);
      }
      if (engine.dispatchCount === before) break;
    }
    recorder!.flush();
    for (const k of chunks.splice(0)) await write(out, exporter.chunk(k));
    await write(out, exporter.footer());
  }
  if (args.out) await new Promise<void>((resolve) => out.end(resolve));
  return 0;
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
        `${rest[0]}: valid — "${s.title}", ${s.drivers.length} drivers, ${s.transports.length} transports, ${s.clients.length} clients, ${s.addresses.length} addresses, ${s.connections.length} connections, ${s.faults.length} faults\n`,
      );
      return 0;
    }
    case 'presets':
      for (const name of PRESET_NAMES) process.stdout.write(`${name.padEnd(13)} ${presetTitle(name)}\n`);
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

// A reader that goes away (`| head`) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof UsageError) {
      process.stderr.write(`tdi-flow: ${e.message}\n${USAGE}\n`);
    } else {
      // Not the user's fault: say so in one line, without a stack trace.
      process.stderr.write(`tdi-flow: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    }
    process.exitCode = 2;
  },
);
