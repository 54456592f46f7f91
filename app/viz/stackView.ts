// The driver-stack view: D3 owns this SVG (React only mounts it). `update(frame)` redraws the state
// from the frame's typed arrays and animates the frame's events; nothing here goes through React.
// This factory only wires the parts: the geometry for the host's size (stackGeometry.ts, pure), the
// standing picture and the frame's state on it (stackScene.ts over stackState.ts, pure), and the
// transient animations (stackEffects.ts, a chunk of its own with D3's transitions: #19).
import { select } from 'd3-selection';
import type {} from 'd3-transition';
import type { Frame } from '../../src/protocol/messages.ts';
import type { Topology } from '../../src/model/topology.ts';
import { stackGeometry, type StackGeometry } from './stackGeometry.ts';
import { createStackScene, type Entity, type StackViewCallbacks } from './stackScene.ts';
import type { StackEffects } from './stackEffects.ts';
import type { FifoFrame, FifoLayer } from './pendingFifo.ts';

export type { Entity, StackViewCallbacks } from './stackScene.ts';
export { connectionStateName } from './stackState.ts';

export interface StackView {
  update(frame: Frame): void;
  highlight(entities: Entity[]): void;
  /** A lesson step's focus: the entities it is about, outlined. */
  focus(entities: Entity[]): void;
  resize(): void;
  destroy(): void;
}

export interface StackViewOptions {
  /** Projector mode (#8): everything in the stage is drawn larger (stageTextScale). */
  projector?: boolean;
  /** The run's kernel interface (#20): under WSK no TDI handler is told of a fault; its own records draw their effects. */
  api?: 'tdi' | 'wsk';
}

/**
 * How much larger than its 1× size the stage is drawn (#8: text scales with the stage): the view
 * lays the picture out for a smaller virtual size (host size / scale) and the SVG viewBox scales it
 * up, so text, strokes and boxes grow together and the callouts, measured and placed in the virtual
 * units, still never overlap. 1 up to a stage of about 1100 × 400 px (a 1280 × 720 window), up to
 * 1.4 on larger screens; in projector mode up to 2.2, so that a 1920 × 1080 stage has 20–23 px labels
 * and a 1024 × 768 one 16–17 px (its virtual width down to 520: beside a lesson the stage is narrow there).
 */
export function stageTextScale(widthPx: number, heightPx: number, projector: boolean): number {
  const fit = projector ? Math.min(widthPx / 520, heightPx / 290) : Math.min(widthPx / 1100, heightPx / 400);
  return Math.round(Math.min(projector ? 2.2 : 1.4, Math.max(1, fit)) * 100) / 100;
}

export function createStackView(host: HTMLElement, info: Topology, callbacks: StackViewCallbacks, options: StackViewOptions = {}): StackView {
  const svg = select(host)
    .append('svg')
    .attr('class', 'stack')
    // A group, not an image: its clients, addresses, connections, pools and drivers are buttons.
    .attr('role', 'group')
    .attr('aria-label', 'Driver stack: clients, addresses, connections, transport send pool, lower drivers and NICs');
  svg.on('click', (ev: MouseEvent) => {
    if (ev.target === svg.node()) callbacks.onSelect(null);
  });
  svg
    .append('defs')
    .append('marker')
    .attr('id', 'arrow')
    .attr('viewBox', '0 0 10 10')
    .attr('refX', 9)
    .attr('refY', 5)
    // In the picture's units, not the stroke's: a projector's thicker arrows keep heads that cover no badge.
    .attr('markerUnits', 'userSpaceOnUse')
    .attr('markerWidth', 15)
    .attr('markerHeight', 15)
    .attr('orient', 'auto-start-reverse')
    .append('path')
    .attr('d', 'M0,0 L10,5 L0,10 z')
    .attr('fill', 'context-stroke');

  const scene = createStackScene(svg, host, info, callbacks);
  // The transports' pending FIFOs of blocking sends (R10, R14): state, above the scene, below the
  // effects. Its code loads with the first frame that has one (most scenarios never do; the embed's
  // first load is budgeted).
  const gFifo = svg.append('g').attr('class', 'fifo-layer').attr('pointer-events', 'none');
  let fifo: FifoLayer | null = null;
  let fifoLoading = false;
  function needFifo(frame: Frame): void {
    if (fifo || fifoLoading || !frame.transportPending?.some((t) => t.total > 0)) return;
    fifoLoading = true;
    void Promise.all([import('./pendingFifo.ts'), import('./callouts.ts')]).then(([m, c]) => {
      if (destroyed) return;
      fifo = m.createFifoLayer(gFifo, info, c.canvasMeasure({ fifo: m.FIFO_FONT }));
      if (lastFrame) fifo.update(lastFrame, geo, { history: true, reduced: true });
    });
  }
  let destroyed = false;
  const reducedMotion = typeof matchMedia === 'function' ? matchMedia('(prefers-reduced-motion: reduce)') : null;
  // Appended last: animations fly above everything the scene draws.
  // Hidden from screen readers: the narration's live region says what the effects show.
  const gFx = svg.append('g').attr('class', 'fx').attr('pointer-events', 'none').attr('aria-hidden', 'true');
  const gCallouts = svg.append('g').attr('class', 'callouts').attr('pointer-events', 'none').attr('aria-hidden', 'true');
  // The effects' code (and D3's transitions) is not in the first load (#19): it loads with the view,
  // and the frames that came meanwhile are given to it in order (from the last seek on: it starts
  // the moment afresh), so the moment it pins is the one it would have pinned.
  let effects: StackEffects | null = null;
  let early: { frame: Frame; held: FifoFrame | undefined }[] | null = [];
  import('./stackEffects.ts').then(
    (m) => {
      if (destroyed) return;
      effects = m.createStackEffects(gFx, gCallouts, info, options.api ?? 'tdi');
      for (const e of early ?? []) effects.animate(e.frame, geo, e.held);
      early = null;
    },
    // Without its chunk (offline before it was cached) the stage still shows every state, unanimated.
    () => (early = null),
  );
  let geo: StackGeometry = stackGeometry(info, 800, 480);
  let lastFrame: Frame | null = null;

  function size(): { w: number; h: number } {
    // The host's own layout size: CSS gives it a minimum; drawing taller would spill over the scrubber.
    // Layout size, not the on-screen box: the embed scales a small stage down with a CSS transform.
    return { w: Math.max(280, host.clientWidth), h: Math.max(160, host.clientHeight) };
  }

  function draw(): void {
    const { w, h } = size();
    const scale = stageTextScale(w, h, options.projector === true);
    geo = stackGeometry(info, w / scale, h / scale);
    svg.attr('viewBox', `0 0 ${w / scale} ${h / scale}`).attr('width', w).attr('height', h).attr('data-text-scale', scale);
    // CSS sizes a few texts to the screen, not the picture (projector.css: handler badges ≥ 16 px).
    (svg.node() as SVGSVGElement).style.setProperty('--stage-scale', String(scale));
    scene.draw(geo, scale);
    if (lastFrame) {
      scene.apply(lastFrame);
      fifo?.update(lastFrame, geo, { history: true, reduced: true });
      effects?.relayout(lastFrame, geo);
    }
  }

  const ro = new ResizeObserver(() => draw());
  ro.observe(host);
  draw();

  return {
    update(frame) {
      lastFrame = frame;
      needFifo(frame);
      const held = fifo?.update(frame, geo, { history: frame.rewound, reduced: reducedMotion?.matches === true });
      // After a seek or a step back the moment arrived at is drawn in its end state, nothing of the one before.
      if (effects) effects.animate(frame, geo, held);
      else if (early) {
        if (frame.rewound) early.length = 0; // a seek starts the moment afresh
        early.push({ frame, held });
      }
      scene.apply(frame);
    },
    highlight: scene.highlight,
    focus: scene.focus,
    resize: draw,
    destroy() {
      destroyed = true;
      ro.disconnect();
      scene.destroy();
      if (effects) svg.interrupt(); // (d3-transition's, loaded with the effects)
      svg.remove();
    },
  };
}
