import { useActions, useApp } from '../store/hooks.ts';
import { fmtUs } from '../format.ts';

/** The "why?" chain for the log row the user clicked; each link seeks to its event. */
export function WhyPanel() {
  const actions = useActions();
  const why = useApp((s) => s.why);
  if (!why) return null;
  return (
    <section className="panel why" aria-label="Why" data-testid="why">
      <div className="panel-head">
        <h2>Why?</h2>
        <button className="icon" aria-label="Close why" onClick={actions.closeWhy}>
          ×
        </button>
      </div>
      {why.pending && <p className="muted">Tracing back…</p>}
      {why.reason && <p className="muted">{why.reason}</p>}
      {why.chain && (
        <>
          <p className="why-subject">{why.chain.subject}</p>
          <ol className="why-links">
            {why.chain.links.slice(1).map((l, i) => (
              <li key={i} className={`role-${l.role}`}>
                <button className="link" title="Travel to this moment" onClick={() => actions.seek(l.t)}>
                  {fmtUs(l.t)}
                </button>{' '}
                {l.text}
              </li>
            ))}
          </ol>
          {why.chain.truncated && <p className="muted">{why.chain.truncated}</p>}
        </>
      )}
    </section>
  );
}
