// SimClient.request(): replies are matched to requests by id, stale answers never win, failures and
// a dead worker reject instead of leaving the caller waiting. A fake worker stands in for the real one.
import { describe, expect, it } from 'vitest';
import { SimClient, isSuperseded, type WorkerPort } from './simClient.ts';
import type { Command, Event } from '../src/protocol/messages.ts';

function fakeWorker() {
  const sent: Command[] = [];
  const port: WorkerPort = {
    postMessage: (m) => sent.push(m),
    onmessage: null,
    onerror: null,
    terminate: () => undefined,
  };
  return {
    port,
    sent,
    reply: (e: Event) => port.onmessage!({ data: e } as MessageEvent<Event>),
    /** The id the client gave the newest request of this op. */
    idOf: (op: Command['op']) => (sent.filter((c) => c.op === op).at(-1) as { id: number }).id,
  };
}

const summaryOf = (throughput: number) => ({ total: { throughputBytesPerS: throughput } }) as never;

describe('SimClient.request', () => {
  it('sends the op with a fresh id and resolves with the reply that carries that id', async () => {
    const w = fakeWorker();
    const sim = new SimClient(w.port);
    const answer = sim.request('inspect', { connection: 3 });
    const cmd = w.sent.at(-1)!;
    expect(cmd).toMatchObject({ op: 'inspect', connection: 3 });
    w.reply({ op: 'inspected', id: w.idOf('inspect'), connection: 3, detail: { debt: true } as never });
    await expect(answer).resolves.toMatchObject({ op: 'inspected', connection: 3, detail: { debt: true } });
  });

  it('two requests on different channels each get their own reply, whatever the order of the answers', async () => {
    const w = fakeWorker();
    const sim = new SimClient(w.port);
    const a = sim.request('summary', {}, { channel: 'A' });
    const idA = w.idOf('summary');
    const b = sim.request('summary', {}, { channel: 'B' });
    const idB = w.idOf('summary');
    expect(idA).not.toBe(idB);
    w.reply({ op: 'summary', id: idB, summary: summaryOf(2) });
    w.reply({ op: 'summary', id: idA, summary: summaryOf(1) });
    expect((await a).summary).toEqual(summaryOf(1));
    expect((await b).summary).toEqual(summaryOf(2));
  });

  it('a newer request supersedes an older one on the same channel: the stale reply resolves nothing', async () => {
    const w = fakeWorker();
    const sim = new SimClient(w.port);
    const first = sim.request('why', { seq: 10 });
    const firstId = w.idOf('why');
    const second = sim.request('why', { seq: 20 });
    const secondId = w.idOf('why');
    // The older promise rejects at once, marked as superseded (callers ignore it, they do not show it).
    const err = await first.catch((e: unknown) => e);
    expect(isSuperseded(err)).toBe(true);
    // The newer answer wins even when the stale one arrives after it.
    w.reply({ op: 'why', id: secondId, seq: 20, chain: null, reason: 'newer' });
    w.reply({ op: 'why', id: firstId, seq: 10, chain: null, reason: 'stale' });
    await expect(second).resolves.toMatchObject({ seq: 20, reason: 'newer' });
  });

  it('replies are not broadcast to event listeners; other events still are', () => {
    const w = fakeWorker();
    const sim = new SimClient(w.port);
    const heard: string[] = [];
    sim.onEvent((e) => heard.push(e.op));
    void sim.request('summary', {});
    w.reply({ op: 'summary', id: w.idOf('summary'), summary: summaryOf(1) });
    w.reply({ op: 'invalid', problems: ['x'] });
    expect(heard).toEqual(['invalid']);
  });

  it("a failure with the request's id rejects that request with the worker's message", async () => {
    const w = fakeWorker();
    const sim = new SimClient(w.port);
    const heard: string[] = [];
    sim.onEvent((e) => heard.push(e.op));
    const answer = sim.request('inspect', { connection: 0 });
    w.reply({ op: 'failure', id: w.idOf('inspect'), message: 'no scenario is loaded yet' });
    await expect(answer).rejects.toThrow('no scenario is loaded yet');
    expect(heard).toEqual([]); // the failure belonged to the request, not to the page
  });

  it('a worker that dies or a client destroyed rejects every open request (nobody waits forever)', async () => {
    const w = fakeWorker();
    const sim = new SimClient(w.port);
    const a = sim.request('summary', {});
    w.port.onerror!({ message: 'boom' } as ErrorEvent);
    await expect(a).rejects.toThrow('boom');
    const b = sim.request('summary', {});
    sim.destroy();
    expect(isSuperseded(await b.catch((e: unknown) => e))).toBe(true);
  });
});
