import { useRef, useState } from 'react';
import { useActions, useApp } from '../store/hooks.ts';
import { useDialogFocus } from '../hooks/useDialogFocus.ts';
import { withCallbackIrql } from '../irql.ts';

/** R41: the model stopped with a bug check — shown as a full-view stop screen. */
export function BugcheckScreen() {
  const actions = useActions();
  // During a lesson the lesson panel tells of the bug check (its last step may be one).
  const bug = useApp((s) => (s.lesson ? null : s.bugcheck));
  const scenario = useApp((s) => s.scenario);
  const ref = useRef<HTMLDivElement>(null);
  // "Look at the stage" sets this bug check's screen aside (the stopped moment stays); a new one shows again.
  const [asideFor, setAsideFor] = useState<typeof bug>(null);
  const aside = bug !== null && asideFor === bug;
  useDialogFocus(ref, bug !== null && !aside);
  if (!bug) return null;
  const hex = '0x' + bug.code.toString(16).toUpperCase().padStart(8, '0');
  const what = { wait: 'waited (KeWaitForSingleObject with a non-zero timeout)', zwClose: 'called ZwClose', pageable: 'touched pageable memory' }[bug.does] ?? bug.does;
  if (aside) {
    return (
      <div className="bugcheck-bar" role="status" data-testid="bugcheck-bar">
        <span>
          Stopped by a bug check: <code>ClientEvent{bug.handler}</code> of client <strong>{bug.client}</strong> at DISPATCH_LEVEL (R41). ← steps back.
        </span>
        <button onClick={() => setAsideFor(null)}>Show the stop screen</button>
      </div>
    );
  }
  return (
    <div className="bugcheck" role="alertdialog" aria-modal="true" aria-label="Bug check" data-testid="bugcheck" ref={ref}>
      <div className="bugcheck-body">
        <p className="big">:(</p>
        <p>The model stopped: a handler broke the IRQL rules (R41).</p>
        <p className="stop">
          *** STOP: {hex} ({bug.name})
        </p>
        <p>
          <code>ClientEvent{bug.handler}</code> of client <strong>{bug.client}</strong> {what} at DISPATCH_LEVEL, where it must not wait, touch pageable memory or call ZwClose (R40).
        </p>
        {bug.leadUp && bug.leadUp.length > 0 && (
          <div className="bugcheck-leadup">
            <p>What led to it:</p>
            <ol data-testid="bugcheck-leadup">
              {bug.leadUp.map((s, i) => (
                <li key={i}>{s}</li>
              ))}
            </ol>
          </div>
        )}
        <p className="muted">At PASSIVE_LEVEL the same handler may wait: run the same scenario with the transport calling there, and see it survive.</p>
        <div className="bugcheck-actions">
          {scenario && (
            <button className="primary" onClick={() => actions.loadScenario(withCallbackIrql(scenario, 'PASSIVE_LEVEL'))}>
              Run it again at PASSIVE_LEVEL
            </button>
          )}
          <button onClick={() => setAsideFor(bug)}>Look at the stage</button>
          <button onClick={actions.reset}>↺ Reset (R)</button>
        </div>
      </div>
    </div>
  );
}
