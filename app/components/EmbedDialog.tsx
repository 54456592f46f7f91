// Embed…: the snippet that puts what is on screen (scenario or preset, time, speed, theme) into
// someone else's page — the <tdi-flow-lab> element, a plain iframe, or React (docs/embedding.md).
import { useEffect, useState } from 'react';
import { useActions, useApp } from '../store/hooks.ts';
import { useSimContext } from '../simContext.ts';
import { shareUrl } from '../share.ts';
import { copyText } from '../clipboard.ts';
import { embedSnippets, type SnippetInput } from '../embed/snippet.ts';

const SIZES = [
  [800, 450],
  [640, 360],
  [1280, 720],
  [320, 200],
] as const;

/** The dialog (EmbedButton.tsx opens it; this chunk loads on the first Embed…, #19). */
export function EmbedDialog({ onClose }: { onClose: () => void }) {
  const sim = useSimContext();
  const actions = useActions();
  const preset = useApp((s) => s.presetName);
  const scenario = useApp((s) => s.scenario);
  const branches = useApp((s) => s.branches.length);
  const speed = useApp((s) => s.speed);
  const appTheme = useApp((s) => s.theme);
  // An open lesson (#8) is what the snippet embeds, unless unticked: by name, or packed as its link.
  const lessonName = useApp((s) => (s.lesson ? (s.lesson.name ?? '') : null));
  const lessonTitle = useApp((s) => s.lesson?.title ?? null);
  const [withLesson, setWithLesson] = useState(true);
  const [packedLesson, setPackedLesson] = useState<string | null>(null);
  // The moment on screen when the dialog opened.
  const [timeUs] = useState(() => sim?.lastFrame?.nowUs ?? 0);
  const changed = preset === null || branches > 1 || (scenario?.faults.length ?? 0) > 0 || (scenario?.policyChanges.length ?? 0) > 0;
  const [withScenario, setWithScenario] = useState(changed);
  const [withTime, setWithTime] = useState(true);
  const [autoplay, setAutoplay] = useState(false);
  const [controls, setControls] = useState<SnippetInput['controls']>('full');
  const [size, setSize] = useState(0);
  const [fragment, setFragment] = useState<string | null>(null);
  const [copied, setCopied] = useState<string | null>(null);

  useEffect(() => {
    if (!withScenario || !scenario) {
      setFragment(null);
      return;
    }
    let live = true;
    void shareUrl({ scenario }, location.href).then((u) => live && setFragment(new URL(u).hash.slice(1)));
    return () => {
      live = false;
    };
  }, [withScenario, scenario]);

  useEffect(() => {
    if (lessonName !== '') return;
    let live = true;
    void actions.lessonLink().then((u) => live && u && setPackedLesson(new URL(u).hash.replace(/^#lesson=/, '')));
    return () => {
      live = false;
    };
  }, [lessonName, actions]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const [width, height] = SIZES[size]!;
  const snippets = embedSnippets({
    appUrl: location.href,
    preset,
    fragment: withScenario ? fragment : null,
    lesson: lessonName === null || !withLesson ? null : lessonName !== '' ? lessonName : packedLesson !== null ? { packed: packedLesson } : null,
    timeUs: withTime ? timeUs : 0,
    speed,
    theme: appTheme === 'system' ? 'auto' : appTheme,
    controls,
    autoplay,
    width,
    height,
  });

  // No clipboard here: the text is selectable.
  const copy = async (what: keyof typeof snippets) => setCopied((await copyText(snippets[what])) ? what : null);

  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-label="Embed" onClick={onClose}>
      <div className="overlay-body embed-dialog" onClick={(e) => e.stopPropagation()}>
        <div className="panel-head">
          <h2>Embed this in another page</h2>
          <button className="icon" aria-label="Close embed" onClick={onClose}>
            ×
          </button>
        </div>
        <div className="embed-options">
          {lessonTitle !== null && (
            <label>
              <input type="checkbox" checked={withLesson} onChange={(e) => setWithLesson(e.target.checked)} /> the lesson “{lessonTitle}” (its own scenario, from its first step)
            </label>
          )}
          <label>
            <input type="checkbox" checked={withTime} onChange={(e) => setWithTime(e.target.checked)} /> start at t = {timeUs} µs
          </label>
          <label>
            <input type="checkbox" checked={withScenario} onChange={(e) => setWithScenario(e.target.checked)} /> {preset ? 'include my changes (faults, policies) in the snippet' : 'include the scenario'}
          </label>
          <label>
            <input type="checkbox" checked={autoplay} onChange={(e) => setAutoplay(e.target.checked)} /> autoplay
          </label>
          <label className="field">
            <span>Controls</span>
            <select aria-label="Controls" value={controls} onChange={(e) => setControls(e.target.value as SnippetInput['controls'])}>
              <option value="full">full</option>
              <option value="minimal">minimal</option>
              <option value="none">none</option>
            </select>
          </label>
          <label className="field">
            <span>Size</span>
            <select aria-label="Size" value={size} onChange={(e) => setSize(Number(e.target.value))}>
              {SIZES.map(([w, h], i) => (
                <option key={i} value={i}>
                  {w}×{h}
                </option>
              ))}
            </select>
          </label>
        </div>
        {(['html', 'iframe', 'react'] as const).map((k) => (
          <section key={k} className="embed-snippet">
            <div className="panel-head">
              <h3>{{ html: 'HTML or Markdown (the element)', iframe: 'A plain iframe (no script)', react: 'React' }[k]}</h3>
              <button onClick={() => void copy(k)}>{copied === k ? 'Copied' : 'Copy'}</button>
            </div>
            <textarea aria-label={`${k} snippet`} data-testid={`embed-snippet-${k}`} readOnly rows={k === 'react' ? 5 : 3} value={snippets[k]} onFocus={(e) => e.currentTarget.select()} />
          </section>
        ))}
        <p className="muted">
          Scripts on the host page can drive the element: <code>await lab.seek(5800)</code>, <code>lab.getState()</code>, <code>lab.export('jsonl')</code> — see docs/embedding.md.
        </p>
      </div>
    </div>
  );
}
