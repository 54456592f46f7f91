import { useRef, useState } from 'react';
import { useActions, useApp } from '../store/hooks.ts';
import type { StatusName } from '../../src/base/status.ts';
import { useDialogFocus } from '../hooks/useDialogFocus.ts';

import { FATAL_FAULT_STATUSES, FAULT_RECOVER_US, NON_FATAL_FAULT_STATUSES } from '../../src/scenario/options.ts';

/** "Fail now" on a NIC, protocol layer or transport, with a status menu (R30–R36). */
export function FaultMenu() {
  const actions = useActions();
  const menu = useApp((s) => s.faultMenu);
  const layout = useApp((s) => s.layout);
  const [recoverUs, setRecoverUs] = useState<number>(3000);
  const ref = useRef<HTMLDivElement>(null);
  useDialogFocus(ref, menu !== null && layout !== null);
  if (!menu || !layout) return null;
  const id = layout.nodeIds[menu.node]!;
  const fail = (status: StatusName, fatal: boolean) => {
    actions.injectFault({ driver: id, status, fatal, ...(fatal && recoverUs > 0 ? { recoverAfterUs: recoverUs } : {}) });
    actions.closeFaultMenu();
  };
  const x = Math.min(menu.x, window.innerWidth - 290);
  const y = Math.min(menu.y + 8, window.innerHeight - 360);
  return (
    <div className="fault-menu" role="dialog" aria-label={`Fail ${id}`} ref={ref} style={{ left: Math.max(8, x), top: Math.max(8, y) }}>
      <div className="panel-head">
        <strong>Fail {id} now</strong>
        <button className="icon" aria-label="Close" onClick={actions.closeFaultMenu}>
          ×
        </button>
      </div>
      <label className="field">
        <span>recovers after</span>
        <select aria-label="Recovers after" value={recoverUs} onChange={(e) => setRecoverUs(Number(e.target.value))}>
          {FAULT_RECOVER_US.map((r) => (
            <option key={r} value={r}>
              {r === 0 ? 'never' : `${r / 1000} ms`}
            </option>
          ))}
        </select>
      </label>
      <div className="menu-group">fatal (R31: addresses break)</div>
      {FATAL_FAULT_STATUSES.map((s) => (
        <button key={s} className="menu-item" onClick={() => fail(s, true)}>
          {s}
        </button>
      ))}
      <div className="menu-group">non-fatal ErrorEx (R36)</div>
      {NON_FATAL_FAULT_STATUSES.map((s) => (
        <button key={s} className="menu-item" onClick={() => fail(s, false)}>
          {s}
        </button>
      ))}
    </div>
  );
}
