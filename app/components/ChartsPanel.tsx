import { useEffect, useRef } from 'react';
import { useApp } from '../store/store.ts';
import { useSimContext } from '../simContext.ts';
import { createCharts } from '../viz/timelineView.ts';

/** Charts over time (pool by client, rates, fairness), drawn by D3 from the timeline statistics. */
export function ChartsPanel() {
  const sim = useSimContext();
  const layout = useApp((s) => s.layout);
  const duration = useApp((s) => s.scenario?.durationUs ?? 0);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!sim || !layout || !ref.current || !duration) return;
    const charts = createCharts(ref.current, layout, duration, { onSeek: (t) => sim.send({ op: 'seek', timeUs: t }) });
    const off = sim.onFrame((f) => charts.update(f));
    return () => {
      off();
      charts.destroy();
    };
  }, [sim, layout, duration]);
  return (
    <section className="panel over-time" aria-label="Over time">
      <h2>Over time</h2>
      <div ref={ref} data-testid="charts" />
    </section>
  );
}
