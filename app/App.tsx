import { useCallback, useEffect, useLayoutEffect, useState } from 'react';
import { SimClient } from './simClient.ts';
import { appStore } from './store/store.ts';
import { useApp } from './store/hooks.ts';
import { enableLessons } from './store/actions.ts';
import { PROTOCOL_VERSION } from '../src/protocol/messages.ts';
import { Legend } from './components/Legend.tsx';
// Parts the first frame does not show load on first use (#19).
import { BugcheckScreen, CompareDialog, ExportDialog, FaultMenu, HelpOverlay, Inspector, LessonPanel } from './components/later.tsx';
import { Toasts } from './components/Toasts.tsx';
import { InspectorJump } from './components/InspectorJump.tsx';
import { readUrlState } from './url.ts';
import { SimContext } from './simContext.ts';
import { WhyPanel } from './components/WhyPanel.tsx';
import { ChartsPanel } from './components/ChartsPanel.tsx';
import { EditorMount } from './editor/EditButton.tsx';
import { TopBar } from './components/TopBar.tsx';
import { Stage } from './components/Stage.tsx';
import { EventLog } from './log/EventLog.tsx';
import { useKeyboard } from './hooks/useKeyboard.ts';

// The lesson player loads when a lesson is first opened.
enableLessons(() => import('./lesson/controller.ts'));

export function App() {
  const [client, setClient] = useState<SimClient | null>(null);
  const theme = useApp((s) => s.theme);
  const projector = useApp((s) => s.projector);
  // Projector mode on a short screen (projector.css) shows the stage alone: the side column comes
  // back for a lesson, a why? chain or a selection, and the Panels button brings it and the log (#8).
  const sideWanted = useApp((s) => s.lesson !== null || s.why !== null || s.selection !== null);
  const [panelsOpen, setPanelsOpen] = useState(false);
  const togglePanels = useCallback(() => setPanelsOpen((o) => !o), []);

  // A worker that dies is replaced: the next generation boots from the moment the old one showed.
  const [generation, setGeneration] = useState<{ n: number; hash?: string; notice?: string }>({ n: 0 });

  useEffect(() => {
    const c = new SimClient();
    setClient(c);
    const actions = appStore.getState().actions;
    // A small handle for scripts (benchmarks, automation, a host page): the page's own actions, a
    // protocol command carried out through them, the last frame drawn.
    (window as unknown as { tdiFlowLab: unknown }).tdiFlowLab = {
      protocolVersion: PROTOCOL_VERSION,
      actions,
      command: actions.command,
      lastFrame: () => c.lastFrame,
    };
    const url = readUrlState(location.search);
    const restarted = generation.n > 0;
    if (url.projector !== undefined && !restarted) actions.setProjector(url.projector);
    const disconnect = actions.connect(c, {
      preset: url.preset,
      ...(url.seed !== undefined && !restarted ? { seed: url.seed } : {}),
      ...(url.speed !== undefined && !restarted ? { speed: url.speed } : {}),
      ...(url.api !== undefined && !restarted ? { api: url.api } : {}),
      notices: generation.notice ? [generation.notice] : url.notices,
      hash: generation.hash ?? location.hash,
    });
    const offDead = c.onDead((reason) => {
      // The scenario, branches, time, speed and selection, as a share link carries them, reopened in
      // a new worker: the class sees a notice, not a frozen page.
      const moment = actions.shareMoment();
      void (moment ? import('./share.ts').then(({ shareUrl }) => shareUrl(moment, location.href)).then((u) => new URL(u).hash) : Promise.resolve(location.hash)).then((hash) =>
        setGeneration((g) => ({ n: g.n + 1, hash, notice: `The simulation worker stopped (${reason}); a new one took over at the same moment.` })),
      );
    });
    return () => {
      offDead();
      disconnect();
      c.destroy();
    };
  }, [generation]);

  useKeyboard();
  // The theme's variables hang on <html> (styles.css): a plain attribute match, cheap to keep.
  useLayoutEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  return (
    <SimContext.Provider value={client}>
      <div className="app" data-theme={theme} data-projector={projector ? '' : undefined} data-side={sideWanted ? '' : undefined} data-panels={panelsOpen ? '' : undefined}>
        <TopBar />
        <main className="workspace">
          <Stage panelsOpen={panelsOpen} onTogglePanels={togglePanels} />
          {/* The legend before the charts: at 1280 × 720 it is on screen without scrolling. */}
          <aside className="side" id="side-panels" aria-label="Inspector and legend" tabIndex={0}>
            <LessonPanel />
            <WhyPanel />
            <Inspector />
            <Legend />
            <ChartsPanel />
          </aside>
          <EventLog />
        </main>
        <FaultMenu />
        <Toasts />
        <CompareDialog />
        <ExportDialog />
        <HelpOverlay />
        <BugcheckScreen />
        <InspectorJump />
        <EditorMount />
      </div>
    </SimContext.Provider>
  );
}
