import { expect, it, vi } from 'vitest';
import { SimSession } from './session.ts';
import { loadPreset } from '../scenario/presets.ts';
import type { Event } from '../protocol/messages.ts';

// The validator is a chunk the worker loads on first use (#19). Nothing in this file has loaded it
// yet: the load below asks for it, and what follows must act on the run it loads, in order.
it('#19: a ping and a fault sent right after a file\'s load, while the validator loads, are answered after it, in the order sent', async () => {
  const posted: Event[] = [];
  const session = new SimSession({
    post: (m) => posted.push(m),
    nowMs: () => performance.now(),
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  });
  session.handle({ op: 'load', source: { kind: 'json', scenario: await loadPreset('race') } });
  session.handle({ op: 'ping' });
  session.handle({ op: 'injectFault', driver: 'nic0', status: 'STATUS_LINK_FAILED', fatal: true });
  expect(posted.filter((m) => m.op !== 'frame')).toEqual([]); // all three wait for the chunk
  await vi.waitFor(() => expect(posted.some((m) => m.op === 'faultInjected')).toBe(true), { timeout: 60_000, interval: 20 }); // a limit for a hang only
  expect(posted.map((m) => m.op).filter((op) => op !== 'frame')).toEqual(['loaded', 'pong', 'faultInjected']);
  const injected = posted.find((m) => m.op === 'faultInjected') as Extract<Event, { op: 'faultInjected' }>;
  expect(injected.scenario.title).toBe((await loadPreset('race') as { title: string }).title);
  session.handle({ op: 'pause' });
});
