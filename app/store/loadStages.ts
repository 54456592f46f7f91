// The stages of a big load (issue 18) as the page shows them: the page posts the scenario, the
// worker checks it, builds the model and hands the run back (loadProgress), the page draws it.
import type { WorkerLoadStage } from '../../src/protocol/messages.ts';

export type LoadStage = 'posting' | WorkerLoadStage | 'drawing';

/** In order, each with what the bar says. The worker's part can be cancelled; once it hands the run over, the new run is in place. */
export const LOAD_STAGES: readonly { stage: LoadStage; says: string; cancellable: boolean }[] = [
  { stage: 'posting', says: 'sending the scenario to the simulation', cancellable: true },
  { stage: 'validating', says: 'checking the scenario', cancellable: true },
  { stage: 'building', says: 'building the model', cancellable: true },
  { stage: 'sending', says: 'handing the run to the page', cancellable: false },
  { stage: 'drawing', says: 'drawing the stage', cancellable: false },
];

export function loadStageIndex(stage: LoadStage): number {
  return LOAD_STAGES.findIndex((s) => s.stage === stage);
}
