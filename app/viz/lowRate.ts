// Panels that need not move every animation frame (charts, the timeline, the status line, the event
// log) redraw at about 10 Hz while a run plays (#10: their DOM work every frame cost more than the
// stage itself). The stage still draws every frame. A frame that is not playing (a step, a pause, a
// seek, the end) is drawn at once; the last request is never lost (a timer catches it).
// The view keeps what it needs from every frame; only the drawing is at the low rate.

/** How often a low-rate panel redraws while playing. */
export const LOW_RATE_MS = 100;

export interface LowRate {
  /** Asks for a redraw: now if `urgent` or if the last one is LOW_RATE_MS old, else a little later. */
  request(urgent: boolean): void;
  cancel(): void;
}

export function lowRate(render: () => void, everyMs = LOW_RATE_MS): LowRate {
  let lastMs = -Infinity;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const run = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    lastMs = performance.now();
    render();
  };
  return {
    request(urgent) {
      const since = performance.now() - lastMs;
      if (urgent || since >= everyMs) run();
      // While frames keep coming, one of them runs it (inside the animation frame); the timer, a
      // little later, only catches the last request when they stop.
      else if (timer === null) timer = setTimeout(run, everyMs - since + everyMs / 2);
    },
    cancel() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
