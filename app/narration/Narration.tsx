import { useRef } from 'react';
import { useApp } from '../store/hooks.ts';
import { useSimContext } from '../simContext.ts';
import { useViewFactory } from '../hooks/useViewFactory.ts';
import { createNarrator } from './narrator.ts';

const PLACEHOLDER = 'Press Play or Step: what happens is told here in plain words.';

/**
 * The caption under the stage (what just happened, in plain words) and a polite live region with the
 * same sentences for screen readers. React renders both empty; the narrator writes them per frame.
 */
export function Narration() {
  const sim = useSimContext();
  const layout = useApp((s) => s.layout);
  const loadSerial = useApp((s) => s.loadSerial);
  const captionRef = useRef<HTMLParagraphElement>(null);
  const liveRef = useRef<HTMLDivElement>(null);
  useViewFactory(
    captionRef,
    sim && layout
      ? (el) => {
          el.textContent = PLACEHOLDER;
          delete el.dataset.importance;
          return createNarrator(el, liveRef.current!, layout);
        }
      : null,
    [sim, layout, loadSerial],
    { sim, onFrame: (narrator, f) => narrator.update(f) },
  );
  return (
    <>
      <p className="caption" ref={captionRef} data-testid="caption" />
      <div className="visually-hidden" ref={liveRef} role="status" aria-live="polite" data-testid="narration-live" />
    </>
  );
}
