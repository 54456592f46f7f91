// The embed's optional panels (`panels=log,charts,why`), loaded only when asked for so the first load
// stays small. They are the app's own vanilla views — the event log, the charts over time — and a
// plain rendering of the Why? chain for the log row clicked (the app's WhyPanel is React).
import type { AppStore } from '../store/store.ts';
import type { SimClient } from '../simClient.ts';
import type { Panel } from './params.ts';
import { createLogView, type LogView } from '../log/logView.ts';
import { LogModel } from '../log/logModel.ts';
import { createCharts, type TimelineView } from '../viz/timelineView.ts';
import { fmtUs } from '../format.ts';

export function mountPanels(body: HTMLElement, panels: Panel[], store: AppStore, sim: SimClient): void {
  const actions = store.getState().actions;
  const side = document.createElement('div');
  side.className = 'embed-panels';
  side.dataset.testid = 'panels';
  body.appendChild(side);
  body.classList.add('with-panels');

  const section = (name: string, title: string): HTMLElement => {
    const s = document.createElement('section');
    s.className = `panel embed-panel embed-${name}`;
    s.setAttribute('aria-label', title);
    const h = document.createElement('h2');
    h.textContent = title;
    const host = document.createElement('div');
    host.className = `embed-${name}-host`;
    host.dataset.testid = name;
    s.append(h, host);
    side.appendChild(s);
    return host;
  };

  const whyHost = panels.includes('why') ? section('why', 'Why?') : null;
  const logHost = panels.includes('log') ? section('log', 'Event log') : null;
  const chartsHost = panels.includes('charts') ? section('charts', 'Over time') : null;
  if (whyHost) whyHost.textContent = panels.includes('log') ? 'Click a red row of the log to see why it happened.' : 'Ask why through the API: why(seq).';

  let log: { model: LogModel; view: LogView } | null = null;
  let charts: TimelineView | null = null;

  const build = () => {
    const s = store.getState();
    log?.view.destroy();
    charts?.destroy();
    log = null;
    charts = null;
    if (!s.layout || !s.scenario) return;
    const layout = s.layout;
    if (logHost) {
      logHost.replaceChildren();
      const model = new LogModel(layout);
      const view = createLogView(logHost, model, (abs) => {
        const ev = model.event(abs);
        view.select(abs);
        const explainable = (ev.type === 'send.complete' && (ev.status === 'STATUS_DEVICE_NOT_READY' || ev.lostRace === true)) || ev.type === 'callback.error' || ev.type === 'connection.broken';
        if (explainable) void actions.why(ev.seq);
      });
      log = { model, view };
    }
    if (chartsHost) {
      chartsHost.replaceChildren();
      charts = createCharts(chartsHost, layout, s.scenario.durationUs, { onSeek: actions.seek });
    }
  };

  store.subscribe((s, prev) => {
    if (s.loadSerial !== prev.loadSerial || s.layout !== prev.layout) build();
    if (whyHost && s.why !== prev.why && s.why) renderWhy(whyHost, s.why, actions.seek);
  });
  build();

  sim.onFrame(
    (f) => {
      if (log) {
        if (f.rewound) log.model.clear();
        if (f.events.length > 0 || f.rewound) {
          log.model.append(f.events);
          if (f.rewound) log.view.setModel(log.model);
          else log.view.refresh(!f.playing);
        }
      }
      charts?.update(f);
    },
    { first: true },
  );
}

function renderWhy(host: HTMLElement, why: NonNullable<ReturnType<AppStore['getState']>['why']>, seek: (t: number) => void): void {
  host.replaceChildren();
  const p = (text: string, cls: string) => {
    const e = document.createElement('p');
    e.className = cls;
    e.textContent = text;
    host.appendChild(e);
  };
  if (why.pending) p('Tracing back…', 'muted');
  if (why.reason) p(why.reason, 'muted');
  if (!why.chain) return;
  p(why.chain.subject, 'why-subject');
  const ol = document.createElement('ol');
  ol.className = 'why-links';
  for (const l of why.chain.links.slice(1)) {
    const li = document.createElement('li');
    li.className = `role-${l.role}`;
    const b = document.createElement('button');
    b.className = 'link';
    b.type = 'button';
    b.title = 'Travel to this moment';
    b.textContent = fmtUs(l.t);
    b.addEventListener('click', () => seek(l.t));
    li.append(b, ` ${l.text}`);
    ol.appendChild(li);
  }
  host.appendChild(ol);
}
