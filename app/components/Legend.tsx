import { useApp } from '../store/hooks.ts';
import { clientColor } from '../viz/colors.ts';

const NONE: string[] = [];

export function Legend() {
  // A stable empty array: a new [] per call would re-render forever (zustand compares by reference).
  const clients = useApp((s) => s.layout?.clientIds ?? NONE);
  return (
    // Open at first, folded with one click when the side column needs the room (it sits above the charts).
    <details className="panel legend" open>
      <summary>
        <h2>Legend</h2>
      </summary>
      <ul>
        {clients.map((id, i) => (
          <li key={id}>
            <span className="swatch" style={{ background: clientColor(i) }} /> client {id}
          </li>
        ))}
      </ul>
      <ul className="legend-states">
        <li><span className="dot ok" /> sending</li>
        <li><span className="dot refused" /> refused (owed a SendPossible)</li>
        <li><span className="dot waiting" /> resubmission scheduled / pending</li>
        <li><span className="dot broken" /> broken</li>
        <li><span className="qblock-key" /> bytes waiting in the client's queue</li>
        <li><span className="beam-key good" /> ClientEventSendPossible (BytesAvailable)</li>
        <li><span className="beam-key warn" /> ClientEventError / ErrorEx</li>
        <li><span className="flag-key">⚑n</span> lost races (R24)</li>
        <li><span className="badge-key">S E X D</span> handlers registered: SendPossible, Error, ErrorEx, Disconnect</li>
      </ul>
    </details>
  );
}
