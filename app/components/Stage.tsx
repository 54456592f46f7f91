import { ApiBadge, ApiChoice, useApiChoiceInToolbar } from './ApiChoice.tsx';
import { useEffect, useRef } from 'react';
import type { Selection } from '../store/store.ts';
import { useActions, useApp } from '../store/hooks.ts';
import { createStackView, type Entity } from '../viz/stackView.ts';
import type { Topology } from '../../src/model/topology.ts';
import { fmtUs } from '../format.ts';
import type { Frame } from '../../src/protocol/messages.ts';
import { speedLabel } from '../url.ts';
import { useSimContext as useSim } from '../simContext.ts';
import { createScrubber } from '../viz/timelineView.ts';
import { lowRate } from '../viz/lowRate.ts';
import { setText } from '../viz/dom.ts';
import { useFrames, useViewFactory } from '../hooks/useViewFactory.ts';
import { Narration } from '../narration/Narration.tsx';
import { focusEntities } from '../lesson/focus.ts';
import { EditButton } from '../editor/EditButton.tsx';
import { RecordButton } from '../recorder/RecordButton.tsx';
import { LoadProgress } from './LoadProgress.tsx';
import { Banners } from './Banners.tsx';

export function Stage({ panelsOpen, onTogglePanels }: { panelsOpen: boolean; onTogglePanels: () => void }) {
  const sim = useSim();
  const apiInToolbar = useApiChoiceInToolbar();
  const actions = useActions();
  const layout = useApp((s) => s.layout);
  const scenario = useApp((s) => s.scenario);
  const selection = useApp((s) => s.selection);
  const projector = useApp((s) => s.projector);
  const api = useApp((s) => s.api);
  const hostRef = useRef<HTMLDivElement>(null);
  const timeRef = useRef<HTMLSpanElement>(null);
  const eventsRef = useRef<HTMLSpanElement>(null);
  const speedRef = useRef<HTMLSpanElement>(null);
  const scrubRef = useRef<HTMLDivElement>(null);
  const durationUs = scenario?.durationUs ?? 0;

  const viewRef = useViewFactory(
    hostRef,
    sim && layout ? (el) => createStackView(el, layout, { onSelect: (e) => actions.select(e as Selection), onNodeMenu: actions.openFaultMenu }, { projector, api }) : null,
    [sim, layout, actions, projector, api],
    { sim, onFrame: (view, f) => view.update(f) },
  );
  useViewFactory(scrubRef, sim && layout && durationUs ? (el) => createScrubber(el, durationUs, { onSeek: actions.seek }) : null, [sim, layout, durationUs, actions], {
    sim,
    onFrame: (scrubber, f) => scrubber.update(f),
  });
  // The status line at the panels' low rate (#10), each part written only when it changes.
  const statusFrame = useRef<Frame | null>(null);
  const status = useRef(
    lowRate(() => {
      const f = statusFrame.current;
      if (!f) return;
      setText(timeRef.current, `${fmtUs(f.nowUs)} / ${fmtUs(f.durationUs)}`);
      setText(eventsRef.current, f.eventCount.toLocaleString('en-US'));
      // A polite status: written only when it changes, so it is announced once.
      setText(speedRef.current, f.behind ? `can't keep up — running at ${speedLabel(f.achievedSpeed)}` : f.playing ? '' : f.finished ? 'finished' : 'paused');
      const cls = f.behind ? 'behind' : '';
      if (speedRef.current && speedRef.current.className !== cls) speedRef.current.className = cls;
    }),
  );
  useEffect(() => () => status.current.cancel(), []);
  useFrames(
    sim,
    (f: Frame) => {
      statusFrame.current = f;
      status.current.request(!f.playing || f.rewound);
    },
    [],
  );

  // `projector` rebuilds the view (above): what it highlighted and outlined is drawn again on the new one.
  useEffect(() => {
    viewRef.current?.highlight(selectionEntities(selection, layout));
  }, [selection, layout, projector, viewRef]);

  // A lesson step's focus: the entities it is about, outlined on the stage.
  const focusIds = useApp((s) => (s.lesson ? s.lesson.steps[s.lesson.index]?.focus.join('\n') ?? '' : ''));
  useEffect(() => {
    viewRef.current?.focus(focusEntities(focusIds ? focusIds.split('\n') : [], layout));
  }, [focusIds, layout, projector, viewRef]);

  return (
    <section className="stage" aria-label="Driver stack">
      <div className="stage-head">
        <div className="title-row">
          <h1 data-testid="title">{scenario?.title ?? 'Loading…'}</h1>
          <ApiBadge />
          {!apiInToolbar && <ApiChoice />}
          <EditButton />
          <RecordButton />
          <BranchBar />
          {/* Shown only in projector mode on a short screen (projector.css), where the panels and the log fold away. */}
          <button className="panels-toggle" aria-expanded={panelsOpen} aria-controls="side-panels event-log" onClick={onTogglePanels} title="Show or hide the side panels and the event log">
            {panelsOpen ? 'Hide panels' : 'Panels & log'}
          </button>
        </div>
        {scenario?.description && (
          <p className="description" title={scenario.description}>
            {scenario.description}
          </p>
        )}
      </div>
      <div className="stack-wrap">
        <div className="stack-host" ref={hostRef} data-testid="stack" />
        <Banners />
        <LoadProgress />
      </div>
      <Narration />
      <div className="status">
        <div className="scrubber-host" ref={scrubRef} data-testid="scrubber" />
        <span>
          t = <span ref={timeRef} data-testid="sim-time">0 µs</span>
        </span>
        <span title="Trace records written so far: Step moves one (a TDI_SEND's submission goes with its completion), inside a kernel event too">
          records <span ref={eventsRef} data-testid="event-count">0</span>
        </span>
        <span ref={speedRef} data-testid="play-state" role="status" />
      </div>
    </section>
  );
}

function BranchBar() {
  const actions = useActions();
  const branches = useApp((s) => s.branches);
  const branch = useApp((s) => s.branch);
  if (branches.length < 2) return null;
  return (
    <div className="branch-bar">
      <select aria-label="Branch" value={branch} onChange={(e) => actions.switchBranch(Number(e.target.value))}>
        {branches.map((b, i) => (
          <option key={i} value={i}>
            {b.label}
          </option>
        ))}
      </select>
      <button onClick={actions.compareBranches}>
        Compare branches
      </button>
    </div>
  );
}

export function selectionEntities(sel: Selection, layout: Pick<Topology, 'connectionAddress' | 'addressClient'> | null): Entity[] {
  if (!sel || !layout) return [];
  if (sel.kind === 'connection') {
    const a = layout.connectionAddress[sel.index]!;
    return [sel, { kind: 'address', index: a }, { kind: 'client', index: layout.addressClient[a]! }];
  }
  if (sel.kind === 'address') return [sel, { kind: 'client', index: layout.addressClient[sel.index]! }];
  return [sel];
}
