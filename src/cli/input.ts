// The command line's input: a scenario file (read up to the size cap) or a built-in preset, as a
// Validation whose problems are prefixed with the source's name. No side effects on import, so
// tests can feed it in-process.
import { closeSync, openSync, readSync } from 'node:fs';
import { MAX_SCENARIO_CHARS, escapeControl, parseScenarioText, validateScenario, type Validation } from '../scenario/validate.ts';
import { TOO_LARGE_PROBLEM } from '../scenario/jsonText.ts';
import { PRESET_NAMES, isPresetName, loadPreset } from '../scenario/presets.ts';

/** A name the user gave (a file, an argument), safe to print on one terminal line. */
export const shown = (name: string): string => escapeControl(name);

/** Loads `preset:NAME` or a scenario file; never throws for bad input. */
export async function load(source: string): Promise<Validation> {
  if (source.startsWith('preset:')) {
    const name = source.slice('preset:'.length);
    if (!isPresetName(name)) {
      return { ok: false, problems: [`${shown(source)}: no such preset (presets: ${PRESET_NAMES.join(', ')})`] };
    }
    return validateScenario(await loadPreset(name));
  }
  let text: string;
  try {
    const bytes = readCapped(source, MAX_SCENARIO_CHARS);
    if (bytes === null) return { ok: false, problems: [`${shown(source)}: ${TOO_LARGE_PROBLEM}`] };
    text = new TextDecoder().decode(bytes);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, problems: [`${shown(source)}: cannot read file (${code ?? String(e)})`] };
  }
  const v = parseScenarioText(text);
  return v.ok ? v : { ok: false, problems: v.problems.map((p) => `${shown(source)}: ${p}`) };
}

/**
 * Reads at most `cap` bytes of a file; null when it has more. A file that never ends (/dev/zero)
 * or grows is read only up to the cap, whatever its size claims to be.
 */
export function readCapped(path: string, cap: number): Uint8Array | null {
  const fd = openSync(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1 << 20, cap + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > cap) return null;
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}
