import { useRef, useState } from 'react';
import { focusStage } from '../hooks/stageFocus.ts';
import { useActions, useApp } from '../store/hooks.ts';
import { speedChoices } from '../store/speeds.ts';
import { isPresetName, PRESET_NAMES } from '../../src/scenario/presets.ts';
import { speedLabel } from '../url.ts';
import { EmbedButton } from './EmbedButton.tsx';
import { LessonsMenu } from '../lesson/LessonsMenu.tsx';
import { ToolbarMore } from './ToolbarMore.tsx';
import { ApiChoice, useApiChoiceInToolbar } from './ApiChoice.tsx';

export function TopBar() {
  const actions = useActions();
  const apiInToolbar = useApiChoiceInToolbar();
  const playing = useApp((s) => s.playing);
  const finished = useApp((s) => s.finished);
  const speed = useApp((s) => s.speed);
  const preset = useApp((s) => s.presetName);
  const seed = useApp((s) => s.scenario?.seed ?? 0);
  const theme = useApp((s) => s.theme);
  const fileRef = useRef<HTMLInputElement>(null);

  const openFile = async (file: File) => actions.loadScenarioText(file.name, await file.text());

  return (
    <header className="topbar">
      <div className="brand">
        <svg viewBox="0 0 32 32" width="22" height="22" aria-hidden="true">
          <rect width="32" height="32" rx="6" fill="var(--accent)" />
          <rect x="6" y="18" width="20" height="8" rx="2" fill="#fff" opacity=".35" />
          <rect x="6" y="18" width="13" height="8" rx="2" fill="#fff" />
          <path d="M16 5v9m-4-4 4 4 4-4" stroke="#fff" strokeWidth="2.5" fill="none" strokeLinecap="round" />
        </svg>
        <span>TDI Flow Lab</span>
      </div>
      <label className="field preset">
        <span>Scenario</span>
        <select aria-label="Preset" value={preset ?? ''} onChange={(e) => isPresetName(e.target.value) && actions.loadPreset(e.target.value)}>
          {preset === null && <option value="">(your file)</option>}
          {PRESET_NAMES.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <div className="transport-controls" role="group" aria-label="Playback">
        <button
          className="primary"
          aria-label={playing ? 'Pause' : finished ? 'Replay from the start' : 'Play'}
          title={finished && !playing ? 'The run is over: play it again from the start (Space)' : 'Play / pause (Space)'}
          onClick={actions.togglePlay}
        >
          <Icon name={playing ? 'pause' : 'play'} /> {playing ? 'Pause' : finished ? 'Replay' : 'Play'}
        </button>
        <button aria-label="Step back one record" title="Step back one record (←)" onClick={actions.stepBack}>
          <Icon name="back" /> Back
        </button>
        <button aria-label="Step one record" title="Step: the next trace record (→), inside an event too (a fault's cascade one callback at a time)" onClick={actions.step}>
          <Icon name="step" /> Step
        </button>
        <button aria-label="Run to end" title="Run to the end" onClick={actions.runToEnd}>
          <Icon name="end" /> End
        </button>
        <button aria-label="Reset" title="Reset (R)" onClick={actions.reset}>
          <Icon name="reset" /> Reset
        </button>
      </div>
      <label className="field speed">
        <span>Speed</span>
        <select aria-label="Speed" value={speed} onChange={(e) => actions.setSpeed(Number(e.target.value))}>
          {speedChoices(speed).map((s) => (
            <option key={s} value={s}>
              {speedLabel(s)}
            </option>
          ))}
        </select>
      </label>
      <div className="spacer" />
      <input ref={fileRef} type="file" accept=".json,application/json" hidden onChange={(e) => (focusStage(), e.target.files?.[0] && void openFile(e.target.files[0]))} />
      <LessonsMenu />
      {/* One button a line: inside ToolbarMore it folds into the More menu on a projector's short screen. */}
      <ToolbarMore>
      <SeedField seed={seed} onCommit={actions.setSeed} />
      {apiInToolbar && <ApiChoice />}
      <button
        title="A link to this moment: the scenario with the faults and policy changes you made, the time, speed, theme, branches and selection"
        onClick={() => void actions.share()}
      >
        Share
      </button>
      <button aria-label="Export…" title="Export… the trace, CSV, summary or a picture" onClick={() => actions.setExportOpen(true)}>
        <svg className="icon-svg" viewBox="0 0 16 16" width="15" height="15" aria-hidden="true">
          <path d="M8 1.5v8m-3.2-3.2L8 9.5l3.2-3.2M2.5 10.5v3h11v-3" stroke="currentColor" strokeWidth="1.6" fill="none" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
      </button>
      <EmbedButton />
      <button title="Run two policies, or TDI and WSK, side by side" onClick={actions.openCompare}>
        Compare…
      </button>
      <button title="Open a scenario file" onClick={() => fileRef.current?.click()}>
        Open…
      </button>
      </ToolbarMore>
      <ProjectorToggle />
      <button aria-label="Toggle theme" title="Light / dark" onClick={actions.cycleTheme}>
        {theme === 'dark' ? '☾' : theme === 'light' ? '☀' : '◐'}
      </button>
      <button aria-label="Help" title="Help and shortcuts (?)" onClick={() => actions.setHelpOpen(true)}>
        ?
      </button>
    </header>
  );
}

/** Projector mode (#8): a toggle button; its state is in the store, the share link and `?projector=1`. */
function ProjectorToggle() {
  const actions = useActions();
  const on = useApp((s) => s.projector);
  return (
    <button className="projector-toggle" aria-pressed={on} aria-label="Projector mode" title="Projector mode: large type, thick strokes, high contrast (?projector=1)" onClick={() => actions.setProjector()}>
      <svg className="icon-svg" viewBox="0 0 16 16" width="15" height="15" aria-hidden="true">
        <rect x="1.5" y="2.5" width="13" height="8" rx="1" stroke="currentColor" strokeWidth="1.5" fill="none" />
        <path d="M8 10.5v3m-3 1h6" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
      </svg>
    </button>
  );
}

/**
 * The seed starts a new run, so it is committed on Enter or on leaving the field — not on every
 * keystroke, which would load 1, 12 and 123 while the user types 123.
 */
function SeedField({ seed, onCommit }: { seed: number; onCommit: (seed: number) => void }) {
  const [draft, setDraft] = useState<string | null>(null);
  const commit = () => {
    if (draft === null) return;
    setDraft(null);
    if (draft.trim() !== '' && Number(draft) !== seed) onCommit(Number(draft));
  };
  return (
    <label className="field seed">
      <span>Seed</span>
      <input
        aria-label="Seed"
        type="number"
        min={0}
        max={4294967295}
        step={1}
        value={draft ?? seed}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') setDraft(null);
        }}
      />
    </label>
  );
}

/** Playback icons as inline SVG: font glyphs for ⏭/⏩ are missing on many machines. */
function Icon({ name }: { name: 'play' | 'pause' | 'back' | 'step' | 'end' | 'reset' }) {
  const paths = {
    play: 'M4 2.5v11l9-5.5z',
    pause: 'M4 2.5h3v11H4zM9 2.5h3v11H9z',
    back: 'M13 2.5v11L6 8zM2.5 2.5H5v11H2.5z',
    step: 'M3 2.5v11l7-5.5zM11 2.5h2.5v11H11z',
    end: 'M1.5 2.5v11l6-5.5zM7.5 2.5v11l6-5.5zM13.5 2.5H15v11h-1.5z',
    reset: 'M8 2.5a5.5 5.5 0 1 1-5.3 7h1.9A3.7 3.7 0 1 0 8 4.3V6.5L4.5 3.4 8 0.3z',
  } as const;
  return (
    <svg className="icon-svg" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <path d={paths[name]} fill="currentColor" />
    </svg>
  );
}
