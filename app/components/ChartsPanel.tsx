import { useEffect, useRef, useState } from 'react';
import { useActions, useApp } from '../store/hooks.ts';
import { useSimContext } from '../simContext.ts';
import { useViewFactory } from '../hooks/useViewFactory.ts';
import { useDialogFocus } from '../hooks/useDialogFocus.ts';

type ChartsModule = typeof import('../viz/charts.ts');
let loadedCharts: ChartsModule | null = null;

/** The charts' code (D3's shapes among it) loads after the first frame (#19): pending, then drawn, or why not. */
function useChartsModule(): { charts: ChartsModule | null; error: string | null } {
  const [state, setState] = useState<{ charts: ChartsModule | null; error: string | null }>(() => ({ charts: loadedCharts, error: null }));
  useEffect(() => {
    if (state.charts) return;
    let live = true;
    import('../viz/charts.ts').then(
      (m) => live && setState({ charts: (loadedCharts = m), error: null }),
      (e: unknown) => live && setState({ charts: null, error: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, [state.charts]);
  return state;
}

/** Charts over time (pool by client, rates, fairness), drawn by D3 from the timeline statistics; any opens large. */
export function ChartsPanel() {
  const sim = useSimContext();
  const layout = useApp((s) => s.layout);
  const duration = useApp((s) => s.scenario?.durationUs ?? 0);
  const actions = useActions();
  const ref = useRef<HTMLDivElement>(null);
  const [large, setLarge] = useState<{ key: string; title: string } | null>(null);
  const { charts, error } = useChartsModule();
  useViewFactory(ref, sim && layout && duration && charts ? (el) => charts.createCharts(el, layout, duration, { onSeek: actions.seek, onEnlarge: (key, title) => setLarge({ key, title }) }) : null, [sim, layout, duration, actions, charts], {
    sim,
    onFrame: (charts, f) => charts.update(f),
  });
  // Another scenario: the chart shown large may not exist in it.
  useEffect(() => setLarge(null), [layout]);
  return (
    <section className="panel over-time" aria-label="Over time">
      <h2>Over time</h2>
      {!charts &&
        (error ? (
          <p className="hint" role="alert">
            Could not load the charts: {error}
          </p>
        ) : (
          <p className="hint" role="status">
            Loading the charts…
          </p>
        ))}
      <div ref={ref} data-testid="charts" />
      {large && charts && <LargeChart charts={charts} chart={large.key} title={large.title} onClose={() => setLarge(null)} />}
    </section>
  );
}

/** One chart in a dialog nearly as wide as the window, drawn at that size (not scaled up): readable axes, more points. */
function LargeChart({ charts, chart, title, onClose }: { charts: ChartsModule; chart: string; title: string; onClose: () => void }) {
  const sim = useSimContext();
  const layout = useApp((s) => s.layout);
  const duration = useApp((s) => s.scenario?.durationUs ?? 0);
  const actions = useActions();
  const dialog = useRef<HTMLDivElement>(null);
  const host = useRef<HTMLDivElement>(null);
  useDialogFocus(dialog, true);
  const widthPx = Math.max(320, Math.min(1200, window.innerWidth - 96));
  const heightPx = Math.max(180, Math.min(440, window.innerHeight - 220));
  useViewFactory(host, sim && layout && duration ? (el) => charts.createCharts(el, layout, duration, { onSeek: actions.seek }, { widthPx, heightPx, only: chart }) : null, [sim, layout, duration, actions, charts, chart, widthPx, heightPx], {
    sim,
    onFrame: (charts, f) => charts.update(f),
  });
  return (
    <div
      className="overlay chart-overlay"
      role="dialog"
      aria-modal="true"
      aria-label={`Chart: ${title}`}
      ref={dialog}
      onClick={onClose}
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        e.stopPropagation();
        e.nativeEvent.stopImmediatePropagation();
        onClose();
      }}
    >
      <div className="overlay-body chart-large" onClick={(e) => e.stopPropagation()} style={{ width: widthPx + 40 }}>
        <div className="panel-head">
          <h2>{title}</h2>
          <button className="icon" aria-label="Close chart" onClick={onClose}>
            ×
          </button>
        </div>
        <div ref={host} data-testid="chart-large" />
        <p className="muted">Hover or ← → move the cursor on every chart; a click or Enter travels there.</p>
      </div>
    </div>
  );
}
