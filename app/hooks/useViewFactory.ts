// Mounts a plain D3/DOM view factory on a ref, the way xyflow mounts XYPanZoom: the factory
// `create(el) → { …, destroy() }` owns its element; React only decides when it exists. The view is
// created in an effect when the element and the inputs are there, destroyed when they change or the
// component unmounts, and (optionally) fed every frame straight from the rAF loop — never React state.
import { useEffect, useRef, type DependencyList, type RefObject } from 'react';
import type { Frame } from '../../src/protocol/messages.ts';
import type { SimClient } from '../simClient.ts';

export interface MountableView {
  destroy(): void;
}

export interface ViewFrames<V> {
  sim: SimClient | null;
  /** Called with each drawn frame (and the last drawn one at once, when the view mounts). */
  onFrame(view: V, frame: Frame): void;
  /** Run before the other frame listeners (a view that reads layout, like the log's scroll position). */
  first?: boolean;
}

/**
 * Creates `factory(ref.current)` after render and destroys it on cleanup; `factory` null means "not
 * yet" (no scenario, no worker). `deps` decide when the view is rebuilt, as for useEffect. Returns a
 * ref to the live view (null while none) for imperative calls such as highlight().
 */
export function useViewFactory<V extends MountableView>(
  ref: RefObject<HTMLElement | null>,
  factory: ((el: HTMLElement) => V) | null,
  deps: DependencyList,
  frames?: ViewFrames<V>,
): RefObject<V | null> {
  const viewRef = useRef<V | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el || !factory) return;
    const view = factory(el);
    viewRef.current = view;
    const sim = frames?.sim ?? null;
    const off = sim && frames ? sim.onFrame((f) => frames.onFrame(view, f), { first: frames.first === true }) : null;
    return () => {
      off?.();
      view.destroy();
      if (viewRef.current === view) viewRef.current = null;
    };
    // The caller's deps say when to rebuild (the factory and frame callback are new closures each
    // render); the rule cannot follow deps handed in, so the callers list them as for useEffect.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return viewRef;
}

/** A frame listener for the bits of a component that are not a view (status text written through refs). */
export function useFrames(sim: SimClient | null, onFrame: (frame: Frame) => void, deps: DependencyList): void {
  useEffect(() => {
    if (!sim) return;
    return sim.onFrame((f) => onFrame(f));
    // As useViewFactory: the caller's deps say when `onFrame` (a new closure each render) is taken anew.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sim, ...deps]);
}
