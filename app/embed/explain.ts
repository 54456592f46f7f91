// An embed that explains itself (issue 16): the caption line under the stage (what just happened, in
// plain words — the app's own narrator) and a compact legend (what the dots, beams, ⚑n and badges
// mean). Both show by default where the frame has room (embed.css) and not at all on request
// (`caption=off`, `legend=off`). The legend is a few static spans; the narrator, with the record
// table's sentences, is fetched after the first frame so the first load does not grow by it.
import type { AppStore } from '../store/store.ts';
import type { SimClient } from '../simClient.ts';
import type { Narrator } from '../narration/narrator.ts';
import { DENSE_THRESHOLD } from '../viz/layout.ts';
import type { Explain } from './params.ts';

const PLACEHOLDER = 'Press Play or Step: what happens is told here in plain words.';

/** The legend's keys: a mark as the stage draws it, a short name, and the whole meaning as its tooltip. */
const KEYS: { mark: string; markText?: string; name: string; meaning: string }[] = [
  { mark: 'dot refused', name: 'refused', meaning: 'a connection whose send was refused (STATUS_DEVICE_NOT_READY): it is owed a ClientEventSendPossible' },
  { mark: 'dot waiting', name: 'resubmit pending', meaning: 'a connection with a resubmission scheduled or pending' },
  { mark: 'dot broken', name: 'broken', meaning: 'a broken connection' },
  { mark: 'qblock-key', name: 'bytes queued', meaning: "bytes waiting in the client's queue, stacked above its connection" },
  { mark: 'beam-key good', name: 'SendPossible', meaning: 'ClientEventSendPossible, with the BytesAvailable it offers' },
  { mark: 'beam-key warn', name: 'Error', meaning: 'ClientEventError / ClientEventErrorEx, after a driver failed' },
  { mark: 'flag-key', markText: '⚑n', name: 'lost races', meaning: 'how many times this connection lost the race: another send took the space a SendPossible offered it (R24)' },
  { mark: 'badge-key', markText: 'S E X D', name: 'handlers', meaning: 'handlers the address registered: SendPossible, Error, ErrorEx, Disconnect (struck out: not registered)' },
];

export function mountExplain(app: HTMLElement, stage: HTMLElement, before: Element | null, store: AppStore, sim: SimClient, opts: { caption: Explain; legend: Explain }): { startCaption(): Promise<void> } {
  app.dataset.caption = opts.caption;
  app.dataset.legend = opts.legend;
  let caption: HTMLParagraphElement | null = null;
  if (opts.caption !== 'off') {
    caption = document.createElement('p');
    caption.className = 'caption embed-caption';
    caption.dataset.testid = 'caption';
    caption.textContent = PLACEHOLDER;
    stage.insertBefore(caption, before);
  }
  if (opts.legend !== 'off') {
    const legend = document.createElement('ul');
    legend.className = 'embed-legend';
    legend.dataset.testid = 'legend';
    legend.setAttribute('aria-label', 'Legend');
    for (const k of KEYS) {
      const li = document.createElement('li');
      li.title = k.meaning;
      const mark = document.createElement('span');
      mark.className = k.mark;
      mark.setAttribute('aria-hidden', 'true');
      if (k.markText) mark.textContent = k.markText;
      li.append(mark, ` ${k.name}`);
      legend.appendChild(li);
    }
    stage.insertBefore(legend, before);
    // The stress grid (above 256 connections) has a key of its own: the dots' key would mislead there.
    const sync = () => {
      const layout = store.getState().layout;
      legend.hidden = !!layout && layout.connectionIds.length > DENSE_THRESHOLD;
    };
    store.subscribe((s, prev) => {
      if (s.layout !== prev.layout) sync();
    });
    sync();
  }

  return {
    /** Called once the first frame shows: fetches the narrator and tells each frame from then on. */
    async startCaption() {
      if (!caption) return;
      const el = caption;
      const { createNarrator } = await import('../narration/narrator.ts');
      // The narrator's screen-reader sentences stay off the page here: the embed's stage and bar speak for themselves.
      const spoken = document.createElement('div');
      let narrator = null as Narrator | null;
      const rebuild = () => {
        narrator?.destroy();
        narrator = null;
        const layout = store.getState().layout;
        el.textContent = PLACEHOLDER;
        el.removeAttribute('title');
        delete el.dataset.importance;
        if (layout) narrator = createNarrator(el, spoken, layout);
      };
      store.subscribe((s, prev) => {
        if (s.layout !== prev.layout || s.loadSerial !== prev.loadSerial) rebuild();
      });
      rebuild();
      // The frame on screen is the load's (told by the placeholder, as in the app): the narrator starts from it.
      if (sim.lastFrame) narrator?.update(sim.lastFrame);
      sim.onFrame((f) => narrator?.update(f));
    },
  };
}
