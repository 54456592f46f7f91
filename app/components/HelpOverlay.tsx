import { useRef } from 'react';
import { useActions, useApp } from '../store/hooks.ts';
import { useDialogFocus } from '../hooks/useDialogFocus.ts';

export function HelpOverlay() {
  const open = useApp((s) => s.helpOpen);
  const actions = useActions();
  const ref = useRef<HTMLDivElement>(null);
  useDialogFocus(ref, open);
  if (!open) return null;
  const close = () => actions.setHelpOpen(false);
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-label="Help" onClick={close} ref={ref}>
      <div className="overlay-body" onClick={(e) => e.stopPropagation()}>
        <div className="panel-head">
          <h2>TDI Flow Lab — help</h2>
          <button className="icon" aria-label="Close help" onClick={close}>
            ×
          </button>
        </div>
        <div className="help-cols">
          <section>
            <h3>Keyboard</h3>
            <table className="keys">
              <tbody>
                <tr><td><kbd>Space</kbd></td><td>play / pause (not in a text field, a menu or a dialog; Enter presses a focused button)</td></tr>
                <tr><td><kbd>→</kbd></td><td>step one record (inside an event too)</td></tr>
                <tr><td><kbd>←</kbd></td><td>step back one record</td></tr>
                <tr><td><kbd>PageDown</kbd> <kbd>PageUp</kbd></td><td>in a lesson: next / previous step (→ and ← too while a lesson is open)</td></tr>
                <tr><td>drag the timeline</td><td>travel in time</td></tr>
                <tr><td>click a red log row</td><td>why did it happen?</td></tr>
                <tr><td><kbd>Tab</kbd> <kbd>Enter</kbd></td><td>reach and select a client, address, connection, pool or driver</td></tr>
                <tr><td><kbd>↑</kbd> <kbd>↓</kbd> <kbd>Enter</kbd> in the log</td><td>move between rows; Enter: why?</td></tr>
                <tr><td><kbd>←</kbd> <kbd>→</kbd> <kbd>Enter</kbd> on a chart</td><td>move its cursor; Enter: travel there</td></tr>
                <tr><td><kbd>Home</kbd> <kbd>End</kbd> on the timeline</td><td>travel to the start / the end of the run</td></tr>
                <tr><td><kbd>+</kbd> <kbd>−</kbd></td><td>faster / slower</td></tr>
                <tr><td><kbd>R</kbd></td><td>reset</td></tr>
                <tr><td><kbd>?</kbd></td><td>this help</td></tr>
                <tr><td><kbd>Esc</kbd></td><td>cancel a long seek; close, clear selection</td></tr>
              </tbody>
            </table>
            <p className="muted">The line under the stage tells what just happened in plain words (also to screen readers); <em>plain words</em> switches the log between sentences and C calls.</p>
            <h3>What you see</h3>
            <p>Top to bottom: clients, their addresses (badges S E X D = registered SendPossible, Error, ErrorEx, Disconnect handlers), connection endpoints with the bytes waiting in the client's queue stacked above them, the transport's <em>one</em> send pool shared by every connection, lower protocol layers, NICs.</p>
            <p>A send flies into the pool (accepted), or bounces back red: <code>STATUS_DEVICE_NOT_READY</code>. When the NIC frees space, a green beam is <code>ClientEventSendPossible</code> with BytesAvailable — not reserved: a slower resubmission can <strong>lose the race</strong> (⚑). Click a NIC, protocol layer or the pool to fail it; orange arrows are <code>ClientEventError</code>/<code>ErrorEx</code>, and only addresses that depend on the failed driver and registered a handler get one.</p>
          </section>
          <section>
            <h3>Where the documents are silent — our choices</h3>
            <ul className="decisions">
              <li>SendPossible is owed <strong>per connection</strong>, once per refusal streak (R21), not per refused send.</li>
              <li>One send pool <strong>per transport</strong>, shared by all its connections and clients.</li>
              <li>Sends of a broken connection complete <code>STATUS_CONNECTION_ABORTED</code> (R32; a scenario option).</li>
              <li>A client that registered both Error and ErrorEx gets <strong>both</strong>, Error first (R30).</li>
              <li>ClientEventDisconnect does <strong>not</strong> follow an error unless the scenario asks (<code>disconnectOnError</code>).</li>
              <li>After a partial copy (R12) the client submits the rest at once; the refusal that follows is what makes SendPossible owed.</li>
              <li>Callbacks run at DISPATCH_LEVEL unless the transport's <code>callbackIrql</code> says otherwise.</li>
              <li>At the same microsecond, work under way goes first (a transmission ending, a timer firing), then policy changes, handler changes, faults, and last the application's sends.</li>
              <li>A connection that breaks loses its place in the SendPossible queue; after a reopen it queues behind those that waited longer (R22).</li>
              <li>A client's wait counts from a send's first refusal until all of it is accepted, with or without a SendPossible handler.</li>
              <li>The current TDI_SEND page lists TDI_SEND_DATAGRAM's statuses by mistake; we use the older DDK list.</li>
            </ul>
            <p className="muted">Rules R1–R41 and invariants I1–I7: <code>docs/rules.md</code>; every scenario field: <code>docs/scenario.md</code>.</p>
          </section>
        </div>
      </div>
    </div>
  );
}
