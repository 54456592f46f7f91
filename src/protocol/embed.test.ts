// The embed protocol's gate: host messages are strangers' data. Valid commands pass as typed commands;
// anything else yields a problem naming the op and the field, and nothing a host sends can throw.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EMBED_PROTOCOL, parseEmbedCommand, isReadOnly, RECORD_TYPE_NAMES } from './embed.ts';

const msg = (m: Record<string, unknown>) => ({ protocol: EMBED_PROTOCOL, ...m });

describe('parseEmbedCommand', () => {
  it.each([
    [{ op: 'load', preset: 'race', id: 1 }],
    [{ op: 'load', scenario: { any: 'thing' }, seed: 3 }],
    [{ op: 'play' }],
    [{ op: 'seek', timeUs: 5800, id: 'a' }],
    [{ op: 'seek', first: { type: 'send.complete', where: { lostRace: true } } }],
    [{ op: 'setSpeed', speed: 0.001 }],
    [{ op: 'injectFault', driver: 'nic0', status: 'STATUS_ADAPTER_HARDWARE_ERROR', fatal: true }],
    [{ op: 'export', format: 'chrome-trace' }],
    [{ op: 'subscribe', records: { type: 'callback.sendPossible' }, state: true }],
    [{ op: 'find', first: { type: 'driver.fault' } }],
  ])('accepts %j', (m) => {
    const r = parseEmbedCommand(msg(m));
    expect(r.ok ? r.command.op : r.problem).toBe(m.op);
  });

  it.each([
    [{ op: 'seek', timeUs: -1 }, 'seek: timeUs must be a time in µs'],
    [{ op: 'seek', timeUs: 5, first: { type: 'send.complete' } }, 'seek: give either timeUs or first'],
    [{ op: 'seek', first: { type: 'send.lost' } }, 'seek: first.type is not a record type'],
    [{ op: 'setSpeed', speed: 0 }, 'setSpeed: speed must be from 0.000001 to 1000 (simulated time per real time)'],
    // #17: the smallest double was accepted and shown as "5e-324".
    [{ op: 'setSpeed', speed: 5e-324 }, 'setSpeed: speed must be from 0.000001 to 1000'],
    [{ op: 'setSpeed', speed: 1001 }, 'setSpeed: speed must be from 0.000001 to 1000'],
    [{ op: 'load', preset: 'nope' }, 'load: preset is not a preset'],
    [{ op: 'load' }, 'load: give either preset or scenario'],
    [{ op: 'injectFault', driver: 'nic0', status: 'STATUS_NOPE' }, 'injectFault: status is not a known NTSTATUS name'],
    [{ op: 'export', format: 'gif' }, 'export: format must be one of'],
    [{ op: 'play', extra: 1 }, 'play:'],
    [{ op: 'explode' }, 'unknown op "explode"'],
    [{ op: 'toString' }, 'unknown op "toString"'],
  ])('rejects %j naming what is wrong', (m, problem) => {
    const r = parseEmbedCommand(msg(m));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toContain(problem);
  });

  it('#17: an unknown op of 1 MB is quoted cut to 60 characters, with its length', () => {
    const r = parseEmbedCommand(msg({ op: 'x'.repeat(1 << 20), id: 1 }));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problem.startsWith(`unknown op "${'x'.repeat(60)}"… (1048576 characters) (known: load,`)).toBe(true);
      expect(r.problem.length).toBeLessThan(400);
    }
  });

  it('#17: a __proto__ (or constructor, prototype) key in where is refused by name, not dropped', () => {
    for (const [json, problem] of [
      ['{"op":"find","first":{"type":"send.complete","where":{"__proto__":{"lostRace":true}}}}', 'find: first.where.__proto__ is not a record field ("__proto__" may not be used as a field name)'],
      ['{"op":"subscribe","records":{"type":"send.complete","where":{"lostRace":true,"constructor":1}}}', 'subscribe: records.where.constructor is not a record field ("constructor" may not be used as a field name)'],
      ['{"op":"seek","first":{"type":"send.complete","where":{"prototype":"x"}}}', 'seek: first.where.prototype is not a record field ("prototype" may not be used as a field name)'],
    ] as const) {
      expect(parseEmbedCommand(msg(JSON.parse(json) as Record<string, unknown>))).toEqual({ ok: false, problem });
    }
  });

  it('keeps the id of a malformed request so the host can be answered', () => {
    const r = parseEmbedCommand(msg({ op: 'seek', timeUs: 'soon', id: 9 }));
    expect(r).toMatchObject({ ok: false, id: 9 });
  });

  it('never throws, whatever arrives (other scripts post to every frame too)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.record({ protocol: fc.constant(EMBED_PROTOCOL), op: fc.string(), id: fc.anything() }, { requiredKeys: ['protocol'] })), (data) => {
        const r = parseEmbedCommand(data);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });

  it('marks exactly the commands that change nothing as read-only', () => {
    expect(['getState', 'subscribe', 'unsubscribe', 'find'].every((op) => isReadOnly(op as never))).toBe(true);
    expect(['load', 'play', 'seek', 'injectFault', 'export'].some((op) => isReadOnly(op as never))).toBe(false);
  });

  it('knows every record type of the record table by its public name', () => {
    expect(RECORD_TYPE_NAMES).toContain('send.complete');
    expect(RECORD_TYPE_NAMES).toContain('callback.sendPossible');
  });
});

describe('parseEmbedCommand: the lesson ops (#8, protocol 2)', () => {
  it.each([
    [{ op: 'lesson', name: 'race', id: 1 }],
    [{ op: 'lesson', lesson: { format: 'tdi-flow-lab/lesson@1', steps: [] } }],
    [{ op: 'lessonNext' }],
    [{ op: 'lessonBack', id: 'b' }],
    [{ op: 'lessonRestart' }],
    [{ op: 'lessonExit' }],
    [{ op: 'lessonAnswer', answer: 'B1' }],
    [{ op: 'lessonAnswer', answer: ['A', 'B'] }],
    [{ op: 'lessonAnswer', answer: 1460 }],
  ])('#8: accepts %j', (m) => {
    const r = parseEmbedCommand(msg(m));
    expect(r.ok ? r.command.op : r.problem).toBe(m.op);
  });

  it.each([
    [{ op: 'lesson', name: 'racing' }, 'lesson: name is not a built-in lesson (send-flow-control, partial-copy, race'],
    [{ op: 'lesson', name: 7 }, 'lesson: name is not a built-in lesson'],
    [{ op: 'lesson' }, 'lesson: give either name (a built-in lesson) or lesson (a lesson document)'],
    [{ op: 'lesson', name: 'race', lesson: {} }, 'lesson: give either name'],
    [{ op: 'lesson', name: 'race', step: 2 }, 'lesson:'],
    [{ op: 'lessonAnswer' }, 'lessonAnswer: answer must be a choice (text), a set of choices'],
    [{ op: 'lessonAnswer', answer: { value: 3 } }, 'lessonAnswer: answer must be a choice (text), a set of choices'],
    [{ op: 'lessonAnswer', answer: '' }, 'lessonAnswer: answer must not be empty'],
    [{ op: 'lessonAnswer', answer: ['A', 3] }, 'lessonAnswer: answer'],
    [{ op: 'lessonAnswer', answer: Number.NaN }, 'lessonAnswer: answer must be'],
    [{ op: 'lessonNext', index: 3 }, 'lessonNext:'],
  ])('#8: rejects %j naming the op and the field', (m, problem) => {
    const r = parseEmbedCommand(msg(m));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toContain(problem);
  });

  it('#8: the lesson ops change what is on screen: a page allowed only to read may not send them', () => {
    expect(['lesson', 'lessonNext', 'lessonBack', 'lessonRestart', 'lessonAnswer', 'lessonExit'].some((op) => isReadOnly(op as never))).toBe(false);
  });
});
