import { useLayoutEffect, useRef, useState } from 'react';
import { useActions, useApp } from '../store/hooks.ts';
import type { StatusName } from '../../src/base/status.ts';
import { useDialogFocus } from '../hooks/useDialogFocus.ts';

import { FATAL_FAULT_STATUSES, FAULT_RECOVER_US, NON_FATAL_FAULT_STATUSES } from '../../src/scenario/options.ts';

/** Gap kept between the menu and the window's edges, px. */
const EDGE_PX = 8;

/**
 * Where the menu goes: below the point it was opened at, or above it when there is no room below,
 * always inside the window (scrolling inside itself when the window is shorter than the menu).
 */
export function placeMenu(at: { x: number; y: number }, size: { width: number; height: number }, view: { width: number; height: number }) {
  const maxHeight = view.height - 2 * EDGE_PX;
  const height = Math.min(size.height, maxHeight);
  const left = Math.max(EDGE_PX, Math.min(at.x, view.width - size.width - EDGE_PX));
  const below = at.y + EDGE_PX;
  const above = at.y - EDGE_PX - height;
  const top = below + height <= view.height - EDGE_PX ? below : above >= EDGE_PX ? above : Math.max(EDGE_PX, view.height - EDGE_PX - height);
  return { left, top, maxHeight };
}

/** "Fail now" on a NIC, protocol layer or transport, with a status menu (R30–R36). */
export function FaultMenu() {
  const actions = useActions();
  const menu = useApp((s) => s.faultMenu);
  const layout = useApp((s) => s.layout);
  // What a user expects of "fail it": it stays failed, unless they ask for a recovery.
  const [recoverUs, setRecoverUs] = useState<number>(0);
  const [place, setPlace] = useState<{ left: number; top: number; maxHeight: number } | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  useDialogFocus(ref, menu !== null && layout !== null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!menu || !el) return;
    const fit = () => setPlace(placeMenu(menu, { width: el.offsetWidth, height: el.scrollHeight }, { width: window.innerWidth, height: window.innerHeight }));
    fit();
    window.addEventListener('resize', fit);
    return () => window.removeEventListener('resize', fit);
  }, [menu, layout]);
  if (!menu || !layout) return null;
  const id = layout.nodeIds[menu.node]!;
  const fail = (status: StatusName, fatal: boolean) => {
    actions.injectFault({ driver: id, status, fatal, ...(fatal && recoverUs > 0 ? { recoverAfterUs: recoverUs } : {}) });
    actions.closeFaultMenu();
  };
  const style = place ? { left: place.left, top: place.top, maxHeight: place.maxHeight } : { left: menu.x, top: menu.y, visibility: 'hidden' as const };
  return (
    <div className="fault-menu" role="dialog" aria-label={`Fail ${id}`} ref={ref} style={style}>
      <div className="panel-head">
        <strong>Fail {id} now</strong>
        <button className="icon" aria-label="Close" onClick={actions.closeFaultMenu}>
          ×
        </button>
      </div>
      <label className="field">
        <span>recovers</span>
        <select aria-label="Recovers" value={recoverUs} onChange={(e) => setRecoverUs(Number(e.target.value))}>
          {FAULT_RECOVER_US.map((r) => (
            <option key={r} value={r}>
              {r === 0 ? 'never (stays failed)' : `after ${r / 1000} ms`}
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
