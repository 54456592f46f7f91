// embed.html: the stage and a slim control bar, for other people's pages (docs/embedding.md). No
// React here — the first load must stay under 100 KB gzip with the worker (`npm run bench` prints it):
// the D3 stack view, the page's own store and actions (zustand/vanilla), the worker client and the
// postMessage bridge. Panels (log, charts, why) are loaded only when `panels=` asks for them, and a
// guided lesson's player and panel (React, the app's LessonPanel) only when a lesson is opened.
import '../styles.css';
import './embed.css';
import { SimClient, commandShown, nextFrame } from '../simClient.ts';
import { appStore } from '../store/store.ts';
import { enableLessons } from '../store/actions.ts';
import { speedChoices } from '../store/speeds.ts';
import { createStackView, type StackView } from '../viz/stackView.ts';
import { fmtUs } from '../format.ts';
import { speedLabel } from '../url.ts';
import type { Frame } from '../../src/protocol/messages.ts';
import { readEmbedParams } from './params.ts';
import { mountExplain } from './explain.ts';
import type { Selection } from '../store/store.ts';

const params = readEmbedParams(location.search);
// The page's one store: the lesson panel's hooks (useApp, useActions) read this one.
const store = appStore;
const actions = store.getState().actions;
// The player is its own chunk, fetched when a lesson is opened (lesson=, #lesson=, the API).
enableLessons(() => import('./lessonKit.ts').then((m) => m.controller));
/** A lesson asked for by the address: a built-in's name, or a packed document (#lesson=, as the app's links). */
const bootLesson = params.lesson ?? (location.hash.startsWith('#lesson=') ? decodeURIComponent(location.hash.slice('#lesson='.length)) : null);

const root = document.getElementById('root')!;
const app = el('div', 'app embed');
app.dataset.theme = params.theme;
document.documentElement.dataset.theme = params.theme; // the theme's variables hang on <html>
app.dataset.controls = params.controls;
root.appendChild(app);

const notice = el('div', 'embed-notice');
notice.setAttribute('role', 'status');
notice.dataset.testid = 'notice';
notice.hidden = true;
const noticeText = el('span');
const noticeClose = button('×', 'Dismiss notice', () => {
  notice.hidden = true;
});
notice.append(noticeText, noticeClose);

const body = el('div', 'embed-body');
const stage = el('section', 'embed-stage');
stage.setAttribute('aria-label', 'Driver stack');
const fit = el('div', 'stack-fit');
const host = el('div', 'stack-host');
host.dataset.testid = 'stack';
fit.appendChild(host);
stage.appendChild(fit);
// The stack's geometry needs about 260×300 px to keep its rows apart: a smaller embed draws the
// stage at that size and scales it down whole, rather than letting rows overlap.
const MIN_STAGE = { width: 300, height: 260 };
new ResizeObserver(() => {
  const w = fit.clientWidth;
  const h = fit.clientHeight;
  if (!w || !h) return;
  const s = Math.min(1, w / MIN_STAGE.width, h / MIN_STAGE.height);
  host.style.width = `${w / s}px`;
  host.style.height = `${h / s}px`;
  host.style.transform = s < 1 ? `scale(${s})` : '';
  app.dataset.stageScale = s.toFixed(2);
}).observe(fit);
body.appendChild(stage);
app.append(body, notice);

// The bar: play/pause, step back, step, the time slider, speed, the time.
const bar = el('div', 'embed-bar');
bar.setAttribute('role', 'group');
bar.setAttribute('aria-label', 'Playback');
const playBtn = button('', 'Play', () => actions.togglePlay(), 'primary');
const backBtn = button('', 'Step back one record', () => actions.stepBack());
const stepBtn = button('', 'Step one record', () => actions.step());
playBtn.appendChild(icon('play'));
backBtn.appendChild(icon('back'));
stepBtn.appendChild(icon('step'));
const slider = document.createElement('input');
slider.type = 'range';
slider.min = '0';
slider.step = '1';
slider.value = '0';
slider.className = 'embed-slider';
slider.setAttribute('aria-label', 'Simulated time');
let seekRaf = 0;
slider.addEventListener('input', () => {
  // At most one seek per animation frame while dragging: the worker answers each with a replay.
  if (seekRaf) return;
  seekRaf = requestAnimationFrame(() => {
    seekRaf = 0;
    actions.seek(Number(slider.value));
  });
});
const speedSel = document.createElement('select');
speedSel.setAttribute('aria-label', 'Speed');
speedSel.className = 'embed-speed';
const timeText = el('span', 'embed-time');
timeText.dataset.testid = 'sim-time';
timeText.setAttribute('aria-live', 'off');
if (params.controls === 'full') bar.append(playBtn, backBtn, stepBtn, slider, speedSel, timeText);
else if (params.controls === 'minimal') bar.append(playBtn, slider, timeText);
if (params.controls !== 'none') stage.appendChild(bar);

function fillSpeeds(current: number): void {
  speedSel.replaceChildren(
    ...speedChoices(current).map((s) => {
      const o = document.createElement('option');
      o.value = String(s);
      o.textContent = speedLabel(s).split(' · ')[0]!;
      return o;
    }),
  );
  speedSel.value = String(current);
}
speedSel.addEventListener('change', () => actions.setSpeed(Number(speedSel.value)));

function showNotice(text: string | null, bad = false): void {
  notice.hidden = !text;
  notice.classList.toggle('bad', bad);
  notice.setAttribute('role', bad ? 'alert' : 'status');
  noticeText.textContent = text ?? '';
}

// ---- the simulation ----

const sim = new SimClient();
let view: StackView | null = null;
// The caption line and the legend, between the stage and the bar (issue 16).
const explain = mountExplain(app, stage, params.controls !== 'none' ? bar : null, store, sim, params);

store.subscribe((s, prev) => {
  if (s.layout !== prev.layout) {
    view?.destroy();
    view = null;
    host.replaceChildren();
    if (s.layout) view = createStackView(host, s.layout, { onSelect: (e) => actions.select(e as Selection), onNodeMenu: () => undefined });
    if (sim.lastFrame && view) view.update(sim.lastFrame);
  }
  if (s.selection !== prev.selection && view) view.highlight(s.selection ? [s.selection] : []);
  if (s.speed !== prev.speed) fillSpeeds(s.speed);
  if (s.problems !== prev.problems && s.problems.length) showNotice(`That scenario was not loaded: ${s.problems.slice(0, 3).join('; ')}`, true);
  else if (s.fatal !== prev.fatal && s.fatal) showNotice(s.fatal, true);
  else if (s.notice !== prev.notice) showNotice(s.notice);
  if (s.lessonProblems !== prev.lessonProblems && s.lessonProblems) showNotice(`That lesson was not opened: ${s.lessonProblems.problems.slice(0, 3).join('; ')}`, true);
  if (s.lesson && !lessonMounted) mountLesson();
  // During a lesson its panel tells of a bug check (the irql lesson ends with one).
  if (s.bugcheck && !prev.bugcheck && !s.lesson) showNotice(`Bug check 0x${s.bugcheck.code.toString(16).toUpperCase()} ${s.bugcheck.name}: client ${s.bugcheck.client}'s ${s.bugcheck.handler} handler did ${s.bugcheck.does} at DISPATCH_LEVEL.`, true);
  if (s.scenario !== prev.scenario && s.scenario) {
    slider.max = String(s.scenario.durationUs);
    stage.setAttribute('aria-label', `Driver stack: ${s.scenario.title}`);
  }
});
fillSpeeds(store.getState().speed);

let started = false;
/** Where `pauseAt=first:…` resolved to (µs), once the worker has found it. */
let pauseAtUs: number | null = params.pauseAt && 'timeUs' in params.pauseAt ? params.pauseAt.timeUs : null;

sim.onFrame((f: Frame, prev: Frame | null) => {
  view?.update(f);
  if (document.activeElement !== slider) slider.value = String(f.nowUs);
  // Written only when they change: a frame that moved nothing costs no style work.
  const valueText = fmtUs(f.nowUs);
  if (slider.getAttribute('aria-valuetext') !== valueText) slider.setAttribute('aria-valuetext', valueText);
  const time = `${valueText} / ${fmtUs(f.durationUs)}`;
  if (timeText.textContent !== time) timeText.textContent = time;
  const label = f.playing ? 'Pause' : 'Play';
  if (playBtn.getAttribute('aria-label') !== label) {
    playBtn.setAttribute('aria-label', label);
    playBtn.replaceChildren(icon(f.playing ? 'pause' : 'play'));
  }
  const disabled = f.finished && !f.playing;
  if (playBtn.disabled !== disabled) playBtn.disabled = disabled;
  if (app.dataset.playing !== String(f.playing)) app.dataset.playing = String(f.playing);
  if (app.dataset.finished !== String(f.finished)) app.dataset.finished = String(f.finished);
  // pauseAt: playing across the point (a frame may jump past it, even to the end) goes back to
  // exactly it — the state just after it — and stops; playing on from there does not stop again.
  if (pauseAtUs !== null && prev && !store.getState().lesson && !f.rewound && (f.playing || prev.playing) && prev.nowUs < pauseAtUs && f.nowUs >= pauseAtUs) {
    actions.seek(pauseAtUs);
    return;
  }
  if (params.loop && !store.getState().lesson && f.finished && !f.playing && !f.rewound && started) {
    actions.seek(0);
    actions.play();
  }
});

// The first scenario: the boot load comes from the preset (or a #scenario= fragment, as a share link);
// then t=, pauseAt=, autoplay, and `ready` to the host. The API's code (zod, the record table) loads
// after the first frame; host messages that arrive before it wait in this queue.
const early: MessageEvent[] = [];
const queue = (e: MessageEvent) => early.push(e);
window.addEventListener('message', queue);
actions.connect(sim, { preset: params.preset, ...(params.seed !== undefined ? { seed: params.seed } : {}), ...(params.speed !== undefined ? { speed: params.speed } : {}), notices: params.notices, hash: bootLesson !== null ? `#lesson=${bootLesson}` : location.hash });
const offFirst = store.subscribe((s) => {
  if (!s.scenario || started) return;
  started = true;
  offFirst();
  void start();
});

async function start(): Promise<void> {
  // The caption's narrator starts before t= travels, so the moment arrived at is told.
  const [{ createEmbedBridge }, { RECORD_TYPE_NAMES, describeMatch }] = await Promise.all([import('./bridge.ts'), import('../../src/protocol/embed.ts'), explain.startCaption()]);
  const notices = [...params.notices];
  const first = params.pauseAt && 'first' in params.pauseAt ? params.pauseAt.first : null;
  if (first && !RECORD_TYPE_NAMES.includes(first.type)) {
    notices.push(`pauseAt: "${first.type}" is not a record type (e.g. ${RECORD_TYPE_NAMES.slice(0, 4).join(', ')} …); not pausing.`);
  } else if (first) {
    try {
      const record = await actions.findFirst(first);
      if (record) pauseAtUs = record.t;
      else notices.push(`pauseAt: there is no ${describeMatch(first)} in this run; not pausing.`);
    } catch {
      // The run itself reports its failures.
    }
  }
  if (notices.length > params.notices.length) showNotice(notices.join(' '));
  // A lesson owns the time: t=, pauseAt= and autoplay would fight its steps.
  const lessonOwnsTime = store.getState().lesson !== null;
  if (lessonOwnsTime) pauseAtUs = null;
  // `ready` means the moment asked for is on screen: a host's first getState reads t=, not 0.
  if (params.t !== undefined && !lessonOwnsTime) {
    actions.seek(params.t);
    await nextFrame(sim, commandShown(sim.commandsSent));
  }
  if (params.autoplay && !lessonOwnsTime) actions.play();
  const bridge = createEmbedBridge(
    store,
    sim,
    {
      listen(fn) {
        const on = (e: MessageEvent) => fn({ data: e.data, origin: e.origin, source: (e.source as Window | null) ?? null });
        window.addEventListener('message', on);
        window.removeEventListener('message', queue);
        for (const e of early.splice(0)) on(e);
        return () => window.removeEventListener('message', on);
      },
      parent: window.parent !== window ? window.parent : null,
      parentOrigin: parentOrigin(),
      ownOrigin: location.origin,
      warn: (m) => console.warn(m),
      theme: () => resolvedTheme(),
      nowMs: () => performance.now(),
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (h) => clearTimeout(h as number),
      randomId: () => {
        // 48 random bits: a whole number another page cannot guess (postMessage ids are numbers).
        const [hi, lo] = crypto.getRandomValues(new Uint32Array(2));
        return (hi! & 0xffff) * 2 ** 32 + lo! + 1;
      },
    },
    params.allowOrigins,
  );
  app.dataset.ready = 'true';
  bridge.announce(notices);
}

// Keys while the embed has focus (the host page keeps its own keys): on the document, so a click on
// the stage (nothing focusable there) still leaves them working. A lesson takes the clicker's keys
// (PageDown/PageUp, even on its answer buttons) and → / ←, as in the app.
document.addEventListener('keydown', (e) => {
  const t = e.target instanceof Element ? e.target : document.body;
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  const inLesson = store.getState().lesson !== null;
  const clicker = e.key === 'PageDown' || e.key === 'PageUp';
  if (t.closest(inLesson && clicker ? 'select, textarea, input:not([type="radio"]):not([type="checkbox"])' : 'input, select, textarea')) return;
  // Space on a focused button presses that button.
  if (e.key === ' ' && t.closest('button, a[href]')) return;
  if (e.key === ' ') actions.togglePlay();
  else if (inLesson && (e.key === 'PageDown' || e.key === 'ArrowRight')) actions.lessonNext();
  else if (inLesson && (e.key === 'PageUp' || e.key === 'ArrowLeft')) actions.lessonBack();
  else if (e.key === 'ArrowRight') actions.step();
  else if (e.key === 'ArrowLeft') actions.stepBack();
  else return;
  e.preventDefault();
});

let lessonMounted = false;
function mountLesson(): void {
  lessonMounted = true;
  void import('./lessonKit.ts').then(
    (m) => m.mountLesson(app, body, store, () => view),
    () => showNotice('The lesson panel could not be loaded (check the connection and reload).', true),
  );
}

if (params.panels.length) void import('./panels.ts').then((m) => m.mountPanels(body, params.panels, store, sim));


function resolvedTheme(): 'light' | 'dark' {
  // The embed's theme is the host's choice (theme=), fixed for its life; auto follows the system.
  const t = params.theme;
  if (t !== 'system') return t;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

function parentOrigin(): string | null {
  // Chromium and Safari say who embeds us; elsewhere the referrer does (when the host sends one).
  const ao = (location as Location & { ancestorOrigins?: DOMStringList }).ancestorOrigins;
  if (ao && ao.length > 0) return ao[0]!;
  try {
    return document.referrer ? new URL(document.referrer).origin : null;
  } catch {
    return null;
  }
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  return e;
}

function button(text: string, label: string, onClick: () => void, className?: string): HTMLButtonElement {
  const b = el('button', className);
  b.type = 'button';
  b.textContent = text;
  b.setAttribute('aria-label', label);
  b.title = label;
  b.addEventListener('click', onClick);
  return b;
}

function icon(name: 'play' | 'pause' | 'step' | 'back'): SVGSVGElement {
  const d = {
    play: 'M4 2.5v11l9-5.5z',
    pause: 'M4 2.5h3v11H4zM9 2.5h3v11H9z',
    step: 'M3 2.5v11l7-5.5zM11 2.5h2.5v11H11z',
    back: 'M13 2.5v11L6 8zM2.5 2.5H5v11H2.5z',
  }[name];
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '14');
  svg.setAttribute('height', '14');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'icon-svg');
  const p = document.createElementNS(ns, 'path');
  p.setAttribute('d', d);
  p.setAttribute('fill', 'currentColor');
  svg.appendChild(p);
  return svg;
}
