// The driver-stack view: D3 owns this SVG (React only mounts it). `update(frame)` redraws the state
// from the frame's typed arrays and animates the frame's events; nothing here goes through React.
// This factory only wires the parts: the geometry for the host's size (stackGeometry.ts, pure), the
// standing picture and the frame's state on it (stackScene.ts over stackState.ts, pure), and the
// transient animations (stackEffects.ts).
import { select } from 'd3-selection';
import 'd3-transition';
import type { Frame } from '../../src/protocol/messages.ts';
import type { Topology } from '../../src/model/topology.ts';
import { stackGeometry, type StackGeometry } from './stackGeometry.ts';
import { createStackScene, type Entity, type StackViewCallbacks } from './stackScene.ts';
import { createStackEffects } from './stackEffects.ts';

export type { Entity, StackViewCallbacks } from './stackScene.ts';
export { connectionStateName, fmtBytes } from './stackState.ts';

export interface StackView {
  update(frame: Frame): void;
  highlight(entities: Entity[]): void;
  /** A lesson step's focus: the entities it is about, outlined. */
  focus(entities: Entity[]): void;
  resize(): void;
  destroy(): void;
}

export function createStackView(host: HTMLElement, info: Topology, callbacks: StackViewCallbacks): StackView {
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
    .attr('markerWidth', 7)
    .attr('markerHeight', 7)
    .attr('orient', 'auto-start-reverse')
    .append('path')
    .attr('d', 'M0,0 L10,5 L0,10 z')
    .attr('fill', 'context-stroke');

  const scene = createStackScene(svg, host, info, callbacks);
  // Appended last: animations fly above everything the scene draws.
  // Hidden from screen readers: the narration's live region says what the effects show.
  const effects = createStackEffects(
    svg.append('g').attr('class', 'fx').attr('pointer-events', 'none').attr('aria-hidden', 'true'),
    svg.append('g').attr('class', 'callouts').attr('pointer-events', 'none').attr('aria-hidden', 'true'),
    info,
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
    geo = stackGeometry(info, w, h);
    svg.attr('viewBox', `0 0 ${w} ${h}`).attr('width', w).attr('height', h);
    scene.draw(geo);
    if (lastFrame) scene.apply(lastFrame);
  }

  const ro = new ResizeObserver(() => draw());
  ro.observe(host);
  draw();

  return {
    update(frame) {
      lastFrame = frame;
      // After a seek or a step back the events are history being replayed: show the state only,
      // and nothing of the moment before.
      if (frame.rewound) effects.clear();
      else effects.animate(frame, geo);
      scene.apply(frame);
    },
    highlight: scene.highlight,
    focus: scene.focus,
    resize: draw,
    destroy() {
      ro.disconnect();
      scene.destroy();
      svg.interrupt();
      svg.remove();
    },
  };
}
