import { useApp } from '../store/hooks.ts';
import { clientColor } from '../viz/colors.ts';

const NONE: string[] = [];

export function Legend() {
  // A stable empty array: a new [] per call would re-render forever (zustand compares by reference).
  const clients = useApp((s) => s.layout?.clientIds ?? NONE);
  // #20: under WSK the stage draws WSK's own things; TDI's refusals, SendPossible and ClientEventError never happen.
  const wsk = useApp((s) => s.api === 'wsk');
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
      {wsk ? (
        <ul className="legend-states">
          <li><span className="dot ok" /> sending</li>
          <li><span className="dot broken" /> broken</li>
          <li><span className="flag-key irp">2 IRPs · 2920 B locked</span> pending WskSend IRPs: the client's buffers stay locked (W1)</li>
          <li><span className="beam-key accent" /> WskSendBacklogEvent (IdealBacklogSize, W3)</li>
        </ul>
      ) : (
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
      )}
      {wsk ? <WskCalloutKeys /> : <CalloutKeys />}
    </details>
  );
}

/**
 * #14: every kind of label the stage puts beside an entity (stackEffects.ts), as it looks there. A
 * narrow stage writes the shorter forms, down to a bare ✕.
 */
function CalloutKeys() {
  return (
    <>
      <h3>Labels on the stage</h3>
      <ul className="legend-states legend-callouts">
        <li><span className="fx-key bad">DEVICE_NOT_READY · NOT_READY · ✕</span> a send refused: the pool is full</li>
        <li><span className="fx-key bad">lost race! · lost! · ✕</span> refused after a SendPossible: another send took the space (R24)</li>
        <li><span className="fx-key good">SendPossible 1460 B</span> ClientEventSendPossible, with BytesAvailable</li>
        <li><span className="fx-key warn">ClientEventError (+ ErrorEx)</span> an address told a driver failed</li>
        <li><span className="fx-key muted">no Error handler: not told</span> an address that depends on it, but hears nothing</li>
        <li><span className="fx-key bad">FAILED ADAPTER_HARDWARE_ERROR</span> a driver failed (<span className="fx-key warn">reports …</span>: it only reports)</li>
        <li><span className="fx-key bad">✕ failed · LINK_FAILED</span> a send failed: its connection broke</li>
        <li><span className="fx-key muted">PENDING</span> a blocking send the transport holds</li>
        <li><span className="fx-key warn">EXPEDITED: overtakes 2 (R10)</span> an expedited send went ahead of waiting ones</li>
      </ul>
    </>
  );
}

/** #20: the labels the stage puts beside an entity under WSK (stackEffects.ts). */
function WskCalloutKeys() {
  return (
    <>
      <h3>Labels on the stage</h3>
      <ul className="legend-states legend-callouts">
        <li><span className="fx-key accent">backlog 4096 B</span> WskSendBacklogEvent: the ideal send backlog changed (W3)</li>
        <li><span className="fx-key bad">WskDisconnectEvent · disconnect · ✕</span> the socket was disconnected abortively: nothing more can be sent (W5)</li>
        <li><span className="fx-key bad">✕ IRP failed</span> a pending WskSend IRP completed with an error (W5)</li>
        <li><span className="fx-key bad">FAILED ADAPTER_HARDWARE_ERROR</span> a driver failed (<span className="fx-key warn">reports …</span>: it only reports)</li>
      </ul>
    </>
  );
}
