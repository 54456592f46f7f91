import { useEffect, useState } from 'react';
import { useApp } from '../store/hooks.ts';

const NARROW = '(max-width: 900px)';
const panel = () => document.querySelector<HTMLElement>('.side .panel.inspector');

/**
 * On a phone the Inspector sits below the stage and the log: a tap on a connection changed nothing
 * the user could see (review). While something is selected and the Inspector is out of view, a
 * button at the bottom of the screen takes the user to it.
 */
export function InspectorJump() {
  const selected = useApp((s) => s.selection !== null);
  const [inView, setInView] = useState(true);
  useEffect(() => {
    const el = panel();
    if (!selected || !el || !window.matchMedia(NARROW).matches) return setInView(true);
    const io = new IntersectionObserver(([e]) => setInView(e!.isIntersecting), { threshold: 0.15 });
    io.observe(el);
    // The Inspector's own code loads on the first selection (later.tsx): its panel replaces the hint's.
    let watched = el;
    const swapped = new MutationObserver(() => {
      const now = panel();
      if (!now || now === watched) return;
      io.unobserve(watched);
      io.observe((watched = now));
    });
    swapped.observe(el.parentElement ?? document.body, { childList: true });
    return () => {
      io.disconnect();
      swapped.disconnect();
    };
  }, [selected]);
  if (!selected || inView) return null;
  const reduced = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  return (
    <button className="inspector-jump" onClick={() => panel()?.scrollIntoView({ behavior: reduced ? 'auto' : 'smooth', block: 'start' })}>
      See its details ↓
    </button>
  );
}
