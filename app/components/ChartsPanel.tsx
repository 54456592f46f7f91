import { useRef } from 'react';
import { useActions, useApp } from '../store/hooks.ts';
import { useSimContext } from '../simContext.ts';
import { createCharts } from '../viz/timelineView.ts';
import { useViewFactory } from '../hooks/useViewFactory.ts';

/** Charts over time (pool by client, rates, fairness), drawn by D3 from the timeline statistics. */
export function ChartsPanel() {
  const sim = useSimContext();
  const layout = useApp((s) => s.layout);
  const duration = useApp((s) => s.scenario?.durationUs ?? 0);
  const actions = useActions();
  const ref = useRef<HTMLDivElement>(null);
  useViewFactory(ref, sim && layout && duration ? (el) => createCharts(el, layout, duration, { onSeek: actions.seek }) : null, [sim, layout, duration, actions], {
    sim,
    onFrame: (charts, f) => charts.update(f),
  });
  return (
    <section className="panel over-time" aria-label="Over time">
      <h2>Over time</h2>
      <div ref={ref} data-testid="charts" />
    </section>
  );
}
