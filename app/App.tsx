import { useEffect, useRef } from 'react';
import { SimClient } from './simClient.ts';
import { appStore, useApp } from './store/store.ts';
import { isPresetName, PRESET_NAMES, type PresetName } from '../src/scenario/presets.ts';

export function App() {
  const clientRef = useRef<SimClient | null>(null);
  const countRef = useRef<HTMLSpanElement>(null);
  const title = useApp((s) => s.scenario?.title ?? '');

  useEffect(() => {
    const client = new SimClient();
    clientRef.current = client;
    const offEvent = client.onEvent((e) => {
      if (e.op === 'loaded') appStore.setState({ scenario: e.scenario, layout: e.layout, problems: [] });
      if (e.op === 'ready') {
        const name = new URLSearchParams(location.search).get('preset') ?? 'basics';
        const preset: PresetName = isPresetName(name) ? name : 'basics';
        client.send({ op: 'load', source: { kind: 'preset', name: preset } });
        client.send({ op: 'runToEnd' });
      }
    });
    const offFrame = client.onFrame((f) => {
      if (countRef.current) countRef.current.textContent = String(f.eventCount);
    });
    return () => {
      offEvent();
      offFrame();
      client.destroy();
    };
  }, []);

  return (
    <main>
      <h1>TDI Flow Lab</h1>
      <p data-testid="title">{title}</p>
      <p>
        Events: <span data-testid="event-count" ref={countRef}>0</span>
      </p>
      <p>Presets: {PRESET_NAMES.join(', ')}</p>
    </main>
  );
}
