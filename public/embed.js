// <tdi-flow-lab>: TDI Flow Lab in your page with one line (docs/embedding.md). No dependencies.
//
//   <script src="https://HOST/embed.js" defer></script>
//   <tdi-flow-lab preset="race" t="5800" autoplay style="height: 450px"></tdi-flow-lab>
//
// It creates an iframe of embed.html (found next to this script), allows commands from this page's
// origin only, and speaks the embed protocol (src/protocol/embed.ts) with a promise-based API:
//   await lab.ready; await lab.seek(5800); const s = await lab.getState();
//   lab.on('record', fn) after lab.subscribe({ type: 'send.complete', where: { lostRace: true } });
//   const { text } = await lab.export('jsonl');
//   <tdi-flow-lab lesson="race"> opens a guided lesson; lab.on('lessonStep', fn), lab.lessonNext() …
// A classic script (not a module): it loads from another origin without CORS headers.
(() => {
'use strict';
const PROTOCOL = 'tdi-flow-lab';
const PROTOCOL_VERSION = 2;
const SCRIPT_URL = (document.currentScript && document.currentScript.src) || location.href;
/** Attributes passed to embed.html's address as they are (kebab-case attributes map to the camelCase parameter). */
const PARAMS = { preset: 'preset', seed: 'seed', t: 't', speed: 'speed', 'pause-at': 'pauseAt', controls: 'controls', panels: 'panels', caption: 'caption', legend: 'legend', theme: 'theme', lesson: 'lesson' };
const FLAGS = ['autoplay', 'loop'];

class TdiFlowLab extends HTMLElement {
  static get observedAttributes() {
    return [...Object.keys(PARAMS), ...FLAGS, 'fragment', 'src', 'allow-origins', 'title'];
  }

  constructor() {
    super();
    this._pending = new Map();
    this._listeners = new Map();
    this._nextId = 1;
    this._iframe = null;
    this._origin = '';
    this._onMessage = this._onMessage.bind(this);
    this._resetReady();
    const root = this.attachShadow({ mode: 'open' });
    root.innerHTML =
      '<style>:host{display:block;position:relative;width:100%;height:450px;min-width:320px;min-height:200px}' +
      ':host([hidden]){display:none}iframe{position:absolute;inset:0;width:100%;height:100%;border:0;display:block}</style>';
  }

  connectedCallback() {
    window.addEventListener('message', this._onMessage);
    this._render();
  }

  disconnectedCallback() {
    window.removeEventListener('message', this._onMessage);
    this._rejectAll(new Error('the <tdi-flow-lab> element was removed from the page'));
  }

  attributeChangedCallback() {
    if (this.isConnected && this._iframe) this._render();
  }

  /** The embed's address for the current attributes. */
  get embedUrl() {
    const url = new URL(this.getAttribute('src') || 'embed.html', SCRIPT_URL);
    for (const [attr, param] of Object.entries(PARAMS)) {
      const v = this.getAttribute(attr);
      if (v !== null) url.searchParams.set(param, v);
    }
    for (const f of FLAGS) if (this.hasAttribute(f) && this.getAttribute(f) !== 'false') url.searchParams.set(f, '');
    // Commands are accepted from this page only (and any origins the page adds).
    const allow = [location.origin, ...(this.getAttribute('allow-origins') || '').split(/[\s,]+/).filter(Boolean)];
    url.searchParams.set('allowOrigins', [...new Set(allow)].join(','));
    const fragment = this.getAttribute('fragment');
    if (fragment) url.hash = fragment;
    return url;
  }

  _render() {
    const url = this.embedUrl;
    const href = url.toString();
    if (this._iframe && this._iframe.src === href) return;
    this._rejectAll(new Error('the embed was reloaded'));
    this._resetReady();
    this._origin = url.origin;
    const iframe = document.createElement('iframe');
    iframe.title = this.getAttribute('title') || 'TDI Flow Lab: an interactive simulation of TDI send flow control';
    iframe.setAttribute('allow', 'clipboard-write');
    iframe.src = href;
    if (this._iframe) this._iframe.replaceWith(iframe);
    else this.shadowRoot.appendChild(iframe);
    this._iframe = iframe;
  }

  _resetReady() {
    this.ready = new Promise((resolve) => {
      this._resolveReady = resolve;
    });
    this.ready.catch(() => undefined);
  }

  _onMessage(e) {
    // Only our iframe, at the embed's origin, speaking our protocol.
    if (!this._iframe || e.source !== this._iframe.contentWindow || e.origin !== this._origin) return;
    const m = e.data;
    if (!m || typeof m !== 'object' || m.protocol !== PROTOCOL || typeof m.op !== 'string') return;
    if (m.op === 'reply') {
      const p = this._pending.get(m.id);
      if (!p) return;
      this._pending.delete(m.id);
      if (m.ok) p.resolve(m.result);
      else p.reject(Object.assign(new Error(m.error), m.problems ? { problems: m.problems } : {}, m.superseded ? { superseded: true } : {}));
      return;
    }
    if (m.op === 'ready') {
      // A newer embed still answers every older message the same way: only an older one lacks ops.
      if (m.version < PROTOCOL_VERSION) console.warn(`<tdi-flow-lab>: the embed speaks protocol ${m.version}, this script ${PROTOCOL_VERSION}: newer commands (lesson…) will be refused`);
      this._resolveReady(m);
    }
    const { protocol: _p, op, ...detail } = m;
    for (const fn of this._listeners.get(op) || []) fn(detail);
    this.dispatchEvent(new CustomEvent(`tdi-${op}`, { detail }));
  }

  _rejectAll(error) {
    for (const p of this._pending.values()) p.reject(error);
    this._pending.clear();
  }

  /**
   * Sends a command and resolves with its reply's result (rejects with the embed's error message).
   * The command goes to the frame whose `ready` it waited for: if an attribute change reloaded the
   * embed meanwhile, it rejects at once rather than go to a frame that never heard it.
   */
  async request(op, payload = {}) {
    const iframe = this._iframe;
    await this.ready;
    if ((iframe && this._iframe !== iframe) || !this._iframe || !this.isConnected) throw new Error(`${op}: the embed was reloaded before the command could be sent`);
    const id = this._nextId++;
    return new Promise((resolve, reject) => {
      this._pending.set(id, { resolve, reject });
      this._iframe.contentWindow.postMessage({ protocol: PROTOCOL, op, id, ...payload }, this._origin);
    });
  }

  /** on('ready' | 'loaded' | 'state' | 'record' | 'finished' | 'error' | 'lessonStep' | 'lessonAnswer', fn): returns the unsubscribe. */
  on(event, fn) {
    if (!this._listeners.has(event)) this._listeners.set(event, new Set());
    this._listeners.get(event).add(fn);
    return () => this._listeners.get(event).delete(fn);
  }

  load(what) {
    return this.request('load', typeof what === 'string' ? { preset: what } : what);
  }
  play() {
    return this.request('play');
  }
  pause() {
    return this.request('pause');
  }
  step() {
    return this.request('step');
  }
  stepBack() {
    return this.request('stepBack');
  }
  /** seek(5800) or seek({ first: { type: 'send.complete', where: { lostRace: true } } }). */
  seek(to) {
    return this.request('seek', typeof to === 'number' ? { timeUs: to } : to);
  }
  setSpeed(speed) {
    return this.request('setSpeed', { speed });
  }
  injectFault(fault) {
    return this.request('injectFault', fault);
  }
  getState() {
    return this.request('getState');
  }
  export(format) {
    return this.request('export', { format });
  }
  find(first) {
    return this.request('find', { first });
  }
  /** subscribe({ type, where }) for `record` events, or subscribe('state') for `state` events. */
  subscribe(what) {
    return this.request('subscribe', what === 'state' ? { state: true } : { records: what });
  }
  unsubscribe(subscription) {
    return this.request('unsubscribe', { subscription });
  }
  /** lesson('race') opens a built-in lesson; lesson({ ...a lesson document }) opens that one. */
  lesson(what) {
    return this.request('lesson', typeof what === 'string' ? { name: what } : { lesson: what });
  }
  lessonNext() {
    return this.request('lessonNext');
  }
  lessonBack() {
    return this.request('lessonBack');
  }
  lessonRestart() {
    return this.request('lessonRestart');
  }
  /** A prediction: a choice ('B1'), several (['A', 'B']) or a number (1460). */
  lessonAnswer(answer) {
    return this.request('lessonAnswer', { answer });
  }
  lessonExit() {
    return this.request('lessonExit');
  }
}

if (!customElements.get('tdi-flow-lab')) customElements.define('tdi-flow-lab', TdiFlowLab);
window.TdiFlowLab = TdiFlowLab;
})();
