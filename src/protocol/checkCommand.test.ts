// #10: everything a script sends the worker is checked before the session reads it; the answer names
// the op and the field, the way the scenario validators name theirs.
import { describe, expect, it } from 'vitest';
import { checkCommand } from './checkCommand.ts';

describe('checkCommand (#10: validated commands)', () => {
  it.each([
    [{ op: 'inspect', id: 3 }, 'inspect.connection: is missing', 3],
    [{ op: 'seek', timeUs: -1 }, 'seek.timeUs: must be a time in µs, 0 or more', undefined],
    [{ op: 'seek', timeUs: 5, events: 1.5 }, 'seek.events: must be a whole number, 0 or more', undefined],
    [{ op: 'setStreaming', on: 'yes' }, 'setStreaming.on: must be true or false', undefined],
    [{ op: 'changePolicy', change: [] }, 'changePolicy.change: must be an object', undefined],
    [{ op: 'export', id: 1, format: 'jsonl', intervalUs: 0 }, 'export.intervalUs: must be a number above 0', 1],
  ])('%j → %s', (cmd, problem, id) => {
    const r = checkCommand(cmd);
    expect(r).toMatchObject({ ok: false, problem });
    expect(r.ok ? undefined : r.id).toBe(id);
  });

  it('names an unknown op and a non-object', () => {
    expect(checkCommand({ op: 'toString' })).toMatchObject({ ok: false, problem: 'unknown command op "toString"' });
    expect(checkCommand(null)).toMatchObject({ ok: false, problem: 'a command must be an object with an op' });
  });

  it('passes well-formed commands through unchanged', () => {
    const cmd = { op: 'seek', timeUs: 10, events: 3 };
    expect(checkCommand(cmd)).toEqual({ ok: true, command: cmd });
    expect(checkCommand({ op: 'load', source: { kind: 'preset', name: 'race' } }).ok).toBe(true);
  });
});

describe('checkCommand: a load names its source at the door (#10)', () => {
  it.each([null, { kind: 'preset', name: 'nope' }, { kind: 'preset' }, { kind: 'json' }, 'race'])('refuses source %j, naming the presets', (source) => {
    expect(checkCommand({ op: 'load', source })).toMatchObject({ ok: false, problem: expect.stringMatching(/^load\.source: must be \{ kind: "preset", name: one of basics, .* \} or \{ kind: "json", scenario \}$/) });
  });
});
