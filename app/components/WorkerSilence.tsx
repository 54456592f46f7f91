// #17: a worker that stops answering is said at once (after SLOW_MS), not after the 20 s it takes
// to be taken for dead — with a way out: restart it at the same moment (the page's restart, as when
// it dies). The notice goes by itself when the worker answers again (a long seek or export slice).
import { useEffect, useState } from 'react';
import { useSimContext } from '../simContext.ts';

/** How long the worker has not answered (ms, from SLOW_MS on), or null while it answers. */
export function useWorkerSilence(): number | null {
  const client = useSimContext();
  const [silentMs, setSilentMs] = useState<number | null>(null);
  useEffect(() => {
    setSilentMs(null);
    return client?.onSilence(setSilentMs);
  }, [client]);
  return silentMs;
}

export function WorkerSilence(props: { silentMs: number | null }) {
  const client = useSimContext();
  if (props.silentMs === null || !client) return null;
  return (
    <div className="banner bad" role="alert" data-testid="worker-silent">
      <span>
        The simulation is not answering ({Math.round(props.silentMs / 1000)} s so far). It may be busy and come back; or restart it at the same moment,
        with your branches and what you did by hand.
      </span>
      <button onClick={() => client.abandon('restarted because it was not answering')}>Restart the simulation</button>
    </div>
  );
}
