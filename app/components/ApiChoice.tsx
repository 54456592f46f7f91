// TDI or WSK (#20): which kernel interface the run's clients use. The toolbar's choice reloads the
// scenario on screen under the other API (the store's setApi); the badge beside the title says
// which one the run on screen uses, so a screenshot or a class at the back of the room can tell.
import { useActions, useApp } from '../store/hooks.ts';
import { useMediaQuery } from '../hooks/useMediaQuery.ts';

/**
 * Where the TDI/WSK choice sits: in the toolbar on a phone (its rows wrap anyway) and in projector
 * mode (its More menu); elsewhere beside the scenario's title, so a 1280-wide toolbar stays one row (#8).
 */
export function useApiChoiceInToolbar(): boolean {
  const projector = useApp((s) => s.projector);
  return useMediaQuery('(max-width: 760px)') || projector;
}

export function ApiChoice() {
  const actions = useActions();
  const api = useApp((s) => s.api);
  return (
    <label className="field api" title="The kernel interface the clients send through: TDI (TdiSend, SendPossible, ClientEventError) or its replacement, Winsock Kernel (WskSend IRPs that pend, WskSendBacklogEvent, WskDisconnectEvent). ?api=wsk">
      <span>API</span>
      <select aria-label="Kernel API" value={api} onChange={(e) => actions.setApi(e.target.value === 'wsk' ? 'wsk' : 'tdi')}>
        <option value="tdi">TDI</option>
        <option value="wsk">WSK</option>
      </select>
    </label>
  );
}

export function ApiBadge() {
  const api = useApp((s) => s.api);
  if (api !== 'wsk') return null;
  return (
    <span className="api-badge" data-testid="api-badge" title="This run's clients use Winsock Kernel: WskSend IRPs pend until their data is sent; no SendPossible, no ClientEventError">
      WSK
    </span>
  );
}
