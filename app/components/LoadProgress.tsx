// A big load under way (issue 18): which stage it is at, and Cancel (or Esc) while the worker has
// not yet put the new run in place — the scenario on screen stays until then, and after a cancel.
import { useActions, useApp } from '../store/hooks.ts';
import { LOAD_STAGES, loadStageIndex } from '../store/loadStages.ts';
import './loadProgress.css';

export function LoadProgress() {
  const loading = useApp((s) => s.loading);
  const actions = useActions();
  if (!loading) return null;
  const at = Math.max(0, loadStageIndex(loading.stage));
  const stage = LOAD_STAGES[at]!;
  const says = `Loading ${loading.connections.toLocaleString('en-US')} connections: ${stage.says}`;
  return (
    <div className="load-progress banner info" role="group" aria-label="Loading a scenario" data-testid="load-progress" data-stage={loading.stage}>
      <span role="status">
        {says} <span className="load-step">(step {at + 1} of {LOAD_STAGES.length})</span>
      </span>
      <progress max={LOAD_STAGES.length} value={at + 1} aria-label="Load progress" aria-valuetext={`step ${at + 1} of ${LOAD_STAGES.length}: ${stage.says}`} />
      <button
        onClick={() => actions.cancelLoad()}
        disabled={!stage.cancellable || loading.cancelling}
        aria-keyshortcuts="Escape"
        title={stage.cancellable ? 'Stop loading and keep the scenario you had (Esc)' : 'The new run is already in place'}
      >
        {loading.cancelling ? 'Cancelling…' : 'Cancel'}
      </button>
    </div>
  );
}
