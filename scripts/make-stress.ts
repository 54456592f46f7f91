// Writes src/scenario/presets/stress.json: 8 clients × 8 addresses × 32 connections = 2048
// connections over four NICs, with a mix of resubmission policies and two faults. Run with
// `node bin/run-ts.mjs scripts/make-stress.ts` after changing it; the output is committed.
import { writeFileSync } from 'node:fs';
import type { ScenarioInput } from '../src/scenario/schema.ts';

const nics = ['nic0', 'nic1', 'nic2', 'nic3'];
const policies = [
  { from: 'handler', delayUs: 0, size: 'full' },
  { from: 'dpc', delayUs: 10, size: 'full' },
  { from: 'workItem', delayUs: 60, size: 'available' },
  { from: 'dpc', delayUs: 25, size: 'available' },
  { from: 'handler', delayUs: 0, size: 'available' },
  { from: 'workItem', delayUs: 100, size: 'full' },
  { from: 'timer', delayUs: 500, size: 'full' },
  { from: 'dpc', delayUs: 5, size: 'full' },
] as const;

const scenario: ScenarioInput = {
  format: 'tdi-flow-lab/scenario@1',
  title: 'Stress: 2048 connections',
  description:
    '8 clients × 8 addresses × 32 connections share one 256 KiB pool over four 100 MB/s NICs; offered load is about 1.5× what the NICs can carry, and each client holds at most 8 sends per connection (queueLimitBytes) before it fails new ones. Runs 30 s. nic2 fails at 300 ms for 100 ms; at 600 ms the IP layer reports a non-fatal STATUS_PORT_UNREACHABLE; at 5 s the whole tcp transport fails for 2 s.',
  seed: 2048,
  durationUs: 30_000_000,
  drivers: [
    ...nics.map((id) => ({ id, kind: 'nic' as const, linkBytesPerMs: 100_000, mtuBytes: 1460 })),
    { id: 'ip', kind: 'protocol' as const, lower: nics },
  ],
  transports: [
    {
      id: 'tcp',
      lower: ['ip'],
      sendBufferBytes: 262_144,
      maxSendBytes: 65_536,
      sendPossible: { notify: 'all', thresholdBytes: 16_384 },
    },
  ],
  clients: policies.map((resubmit, i) => ({
    id: `K${i}`,
    handlers: resubmit.from === 'timer' ? ['Error'] : i % 2 === 0 ? ['SendPossible', 'Error', 'ErrorEx'] : ['SendPossible', 'Error'],
    resubmit: { ...resubmit },
    onError: { closeAfterUs: 50, reopenAfterUs: 20_000 },
    queueLimitBytes: 8 * 1460,
  })),
  addresses: [],
  connections: [],
  faults: [
    { atUs: 300_000, driver: 'nic2', status: 'STATUS_ADAPTER_HARDWARE_ERROR', recoverAfterUs: 100_000 },
    { atUs: 600_000, driver: 'ip', status: 'STATUS_PORT_UNREACHABLE', fatal: false },
    { atUs: 5_000_000, driver: 'tcp', status: 'STATUS_DEVICE_REMOVED', recoverAfterUs: 2_000_000 },
  ],
};
for (let k = 0; k < 8; k++) {
  for (let j = 0; j < 8; j++) {
    const address = `K${k}-${j}`;
    // Half the addresses are bound to one NIC, half are wildcards over two.
    const bound = j % 2 === 0 ? [nics[j % 4]!] : [nics[j % 4]!, nics[(j + 1) % 4]!];
    scenario.addresses.push({ id: address, client: `K${k}`, transport: 'tcp', nics: bound });
    for (let n = 0; n < 32; n++) {
      scenario.connections.push({
        id: `${address}.${n}`,
        address,
        nic: bound[n % bound.length]!,
        generator: { startUs: (k * 8 + j) * 7 + n, everyUs: 5000, jitterUs: 1000, bytes: 1460, count: 6000, flags: ['NON_BLOCKING'] },
      });
    }
  }
}
writeFileSync(new URL('../src/scenario/presets/stress.json', import.meta.url), JSON.stringify(scenario) + '\n');
console.log(`stress.json: ${scenario.connections.length} connections`);
