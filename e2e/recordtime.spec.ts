// #14 record-level time, as the class sees it: Step and Back move one trace record at a time through
// the cascade preset's one fault event, and at every record the stage shows exactly the broken
// connections and told addresses the records up to there say (R30, R31). The records come from the
// model run straight in Node, the stage from the page's DOM.
import { expect, test } from '@playwright/test';
import { Lab } from './lab.ts';
import { R } from '../src/trace/records.ts';
import { straightRecords } from '../src/testkit.ts';

async function cascadeTrace() {
  const { records, topo } = await straightRecords('cascade');
  return { records, connections: topo.connectionIds, addresses: topo.addressIds };
}

test('R30, R31: Step and Back go one record at a time through the cascade; the stage shows the breaks and told addresses of the records up to there, no more', async ({ page }) => {
  const { records, connections, addresses } = await cascadeTrace();
  const faultSeq = records.findIndex((r) => r.type === R.DRIVER_FAULT);
  const faultUs = records[faultSeq]!.t;
  let end = faultSeq;
  while (records[end + 1]?.t === faultUs) end++;
  const expected = (count: number) => {
    const broken = new Set<string>();
    const calls = new Map<string, number>();
    for (const r of records.slice(0, count)) {
      if (r.type === R.CONNECTION_BROKEN) broken.add(connections[r.a]!);
      if (r.type === R.CONNECTION_CONNECT) broken.delete(connections[r.a]!);
      if (r.type === R.CALLBACK_ERROR) calls.set(addresses[r.a]!, (calls.get(addresses[r.a]!) ?? 0) + 1);
    }
    return { broken: [...broken].sort(), calls: addresses.map((a) => calls.get(a) ?? 0) };
  };
  const lab = new Lab(page);
  await lab.open('cascade', { speed: '0.001' });
  // A shared link's kind of moment: just after the fault record, its cascade still to come.
  await page.evaluate(([t, n]) => (window as unknown as { tdiFlowLab: { command(c: unknown): void } }).tdiFlowLab.command({ op: 'seek', timeUs: t, events: n }), [faultUs, faultSeq + 1] as const);
  await expect(lab.eventCount).toHaveText((faultSeq + 1).toLocaleString('en-US'));
  const shown = async () => ({
    broken: (await lab.stack.locator('[data-state="broken"][data-connection-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-connection-id')!))).sort(),
    calls: await Promise.all(addresses.map(async (a) => Number(await lab.address(a).getAttribute('data-error-calls')))),
  });
  const check = async (count: number) => {
    await expect(lab.eventCount).toHaveText(count.toLocaleString('en-US'));
    await expect.poll(shown).toEqual(expected(count));
  };
  await check(faultSeq + 1);
  expect(expected(faultSeq + 1).broken).toEqual([]); // nothing of the cascade on the stage yet
  const stops: number[] = [];
  for (let count = faultSeq + 1; count <= end; ) {
    await lab.button('Step one record').click();
    // One record further; a TDI_SEND's submission goes with its completion.
    count += records[count]!.type === R.SEND_SUBMIT ? 2 : 1;
    await check(count);
    stops.push(count);
  }
  // Every error callback and every break was a stop of its own.
  const cascade = records.slice(faultSeq + 1, end + 1);
  expect(stops.length).toBe(cascade.filter((r) => r.type !== R.SEND_SUBMIT).length);
  expect(cascade.filter((r) => r.type === R.CALLBACK_ERROR).length).toBeGreaterThan(1);
  expect(cascade.filter((r) => r.type === R.CONNECTION_BROKEN).length).toBeGreaterThan(1);
  // Back retraces them, one record at a time.
  for (let i = stops.length - 2; i >= 0; i--) {
    await lab.button('Step back one record').click();
    await check(stops[i]!);
  }
});
