// The lesson recorder (#15): a lesson recorded while the scenario plays, never written as JSON. "Add
// step here" captures the moment on screen (the step pauses just before the record that follows it)
// and the selected entity as the focus; a question is picked from the record kinds that really come
// next (asked of the worker: src/lesson/build.ts lookAhead over the lessonRun request). The lesson
// validator and checker run as the author builds, each problem beside its step; Preview plays the
// lesson in the lesson player; Save, Link and Embed… carry it as a lesson file does.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import '../editor/editor.css';
import './recorder.css';
import { useActions, useApp } from '../store/hooks.ts';
import { useSimContext } from '../simContext.ts';
import type { SimClient } from '../simClient.ts';
import { commit, redo, startHistory, undo, type History } from '../editor/model.ts';
import { RichText } from '../lesson/LessonPanel.tsx';
import { saveBlob } from '../exportPicture.ts';
import { packLesson } from '../share.ts';
import { copyText } from '../clipboard.ts';
import { embedSnippets } from '../embed/snippet.ts';
import { LESSON_NAMES, LESSON_TITLES, loadBuiltinLesson, type LessonName } from '../../src/lesson/builtins.ts';
import { choicesFor, defaultAsk, howManyFields, kindLabel, lookAhead, problemsByStep, unitOf, whichFields, type QuestionSpec } from '../../src/lesson/build.ts';
import type { Runner } from '../../src/lesson/step.ts';
import { recordSentence } from '../../src/trace/recordTable.ts';
import type { Topology } from '../../src/model/topology.ts';
import { appStore, type Selection } from '../store/store.ts';
import { addStep, blankLesson, deleteStep, draftFromDoc, lessonDoc, lessonFileName, moveStep, newStep, splitProblems, updateStep, type Capture, type RecDraft, type RecStep } from './model.ts';

type Checks = { state: 'checking' | 'done'; lesson: string[]; byStep: string[][]; valid: boolean };

let channelSerial = 0;
/** The worker replays the run for each question about it; each its own channel, so none supersedes another. */
const workerRunner = (sim: SimClient): Runner => async (trigger, fromSeq, collect) =>
  (await sim.request('lessonRun', { trigger, fromSeq, ...(collect ? { collect } : {}) }, { channel: `recorder-${++channelSerial}` })).moment;

function selectedId(sel: Selection, topo: Topology | null): string | null {
  if (!sel || !topo) return null;
  const ids = sel.kind === 'connection' ? topo.connectionIds : sel.kind === 'address' ? topo.addressIds : sel.kind === 'client' ? topo.clientIds : topo.nodeIds;
  return ids[sel.index] ?? null;
}

const us = (t: number): string => `${t.toLocaleString('en-US')} µs`;

export default function Recorder({ onClose }: { onClose: () => void }) {
  const sim = useSimContext();
  const actions = useActions();
  const presetName = useApp((s) => s.presetName);
  const scenario = useApp((s) => s.scenario);
  const topo = useApp((s) => s.layout);
  const selection = useApp((s) => s.selection);
  const previewing = useApp((s) => s.lesson !== null);
  const stageScenario = presetName ?? scenario;
  const [history, setHistory] = useState<History<RecDraft>>(() => startHistory(blankLesson(stageScenario)));
  const draft = history.present;
  const [open, setOpen] = useState<number | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [checks, setChecks] = useState<Checks | null>(null);
  const [shared, setShared] = useState<{ kind: 'link' | 'embed'; text: string } | null>(null);
  const [template, setTemplate] = useState<LessonName>('race');
  const [status, setStatus] = useState('');
  const titleRef = useRef<HTMLInputElement>(null);
  /** A step just added: its title takes the focus once its form is drawn. */
  const focusTitleOf = useRef<number | null>(null);
  useEffect(() => {
    if (open !== null && focusTitleOf.current === open && titleRef.current) {
      focusTitleOf.current = null;
      titleRef.current.focus();
    }
  });

  // The workspace makes room for the recorder (recorder.css): the stage is laid out beside it, nothing under it.
  useEffect(() => {
    const app = document.querySelector<HTMLElement>('.app');
    if (!app || previewing) return;
    app.dataset.recorder = '';
    return () => void delete app.dataset.recorder;
  }, [previewing]);

  const edit = useCallback((f: (d: RecDraft) => RecDraft, typing: string | null = null) => setHistory((h) => commit(h, f(h.present), typing)), []);

  // A lesson without steps follows the scenario on screen (pick another preset, then record).
  useEffect(() => {
    if (draft.steps.length === 0 && stageScenario && draft.scenario !== stageScenario) setHistory((h) => ({ ...h, present: { ...h.present, scenario: stageScenario } }));
  }, [stageScenario, draft.steps.length, draft.scenario]);

  const doc = useMemo(() => lessonDoc(draft), [draft]);

  // The validator and the checker run as the author builds: what they find is shown beside each step.
  useEffect(() => {
    let live = true;
    setChecks((c) => (c ? { ...c, state: 'checking' } : { state: 'checking', lesson: [], byStep: [], valid: false }));
    const timer = setTimeout(() => {
      void (async () => {
        const [{ validateLesson }, { checkLesson, problemLine }] = await Promise.all([import('../../src/lesson/validate.ts'), import('../../src/lesson/check.ts')]);
        if (draft.steps.length === 0) {
          if (live) setChecks({ state: 'done', lesson: ['no steps yet: play or seek to a moment, then Add step here'], byStep: [], valid: false });
          return;
        }
        const v = await validateLesson(doc);
        if (!live) return;
        if (!v.ok) {
          const split = splitProblems(v.problems, draft.steps.length);
          setChecks({ state: 'done', lesson: split.lesson, byStep: split.byStep, valid: false });
          return;
        }
        let problems;
        try {
          problems = await checkLesson(v.lesson);
        } catch (e) {
          if (live) setChecks({ state: 'done', lesson: [`the checker could not run: ${e instanceof Error ? e.message : String(e)}`], byStep: [], valid: true });
          return;
        }
        if (live) setChecks({ state: 'done', lesson: [], byStep: problemsByStep(problems, draft.steps.length, problemLine), valid: true });
      })();
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [doc, draft.steps.length]);

  const problemCount = checks ? checks.lesson.length + checks.byStep.reduce((n, p) => n + p.length, 0) : 0;
  const clean = checks?.state === 'done' && checks.valid && problemCount === 0;

  async function captureHere(): Promise<Capture | null> {
    const f = sim?.lastFrame;
    if (!sim || !f) return null;
    setBusy('Reading what happens next…');
    try {
      const ahead = await lookAhead(workerRunner(sim), f.eventCount);
      const next = ahead.next;
      return {
        events: f.eventCount,
        timeUs: f.nowUs,
        next,
        kinds: ahead.kinds,
        nextSentence: next && topo ? recordSentence(next.record, { topo }) : 'nothing: the run ends here',
        api: appStore.getState().api,
      };
    } catch (e) {
      setStatus(`Could not read the run: ${e instanceof Error ? e.message : String(e)}`);
      return null;
    } finally {
      setBusy(null);
    }
  }

  async function addHere(): Promise<void> {
    const capture = await captureHere();
    if (!capture) return;
    const id = selectedId(selection, topo);
    const step = newStep(capture, id ? [id] : []);
    edit((d) => addStep(d, step));
    setOpen(step.key);
    setStatus(`Step ${draft.steps.length + 1} added at ${us(capture.timeUs)}, after ${capture.events.toLocaleString('en-US')} records.`);
    focusTitleOf.current = step.key;
  }

  async function recaptureStep(s: RecStep): Promise<void> {
    const capture = await captureHere();
    if (!capture) return;
    edit((d) => updateStep(d, s.key, { capture, template: undefined, templateApi: undefined, question: null }));
    setStatus(`The step now pauses at ${us(capture.timeUs)}.`);
  }

  async function openTemplate(): Promise<void> {
    const json = await loadBuiltinLesson(template);
    const next = draftFromDoc(json);
    setHistory((h) => commit(h, next));
    if (typeof next.scenario === 'string' && next.scenario !== presetName) actions.loadPreset(next.scenario as never);
    setOpen(null);
    setStatus(`"${LESSON_TITLES[template]}" opened as a template: its steps keep their moments and questions until you capture them again.`);
  }

  const preview = (): void => void actions.openLesson({ json: doc, label: 'the recorded lesson' });
  const save = (): void => {
    saveBlob(new Blob([JSON.stringify(doc, null, 2) + '\n'], { type: 'application/json' }), lessonFileName(draft));
    setStatus(`Saved as ${lessonFileName(draft)}.`);
  };
  async function link(): Promise<void> {
    const url = new URL(location.href);
    url.search = '';
    url.hash = `lesson=${await packLesson(doc)}`;
    setShared({ kind: 'link', text: url.toString() });
    setStatus((await copyText(url.toString())) ? 'The lesson\'s link is copied.' : 'The lesson\'s link is below: select it to copy.');
  }
  async function embed(): Promise<void> {
    const packed = await packLesson(doc);
    const s = embedSnippets({ appUrl: location.href, preset: null, fragment: null, lesson: { packed }, timeUs: 0, speed: 1, theme: 'auto', controls: 'full', autoplay: false, width: 800, height: 450 });
    setShared({ kind: 'embed', text: s.html });
    setStatus('The embed snippet is below (docs/embedding.md).');
  }

  // Ctrl+Z / Ctrl+Shift+Z (Ctrl+Y) undo and redo in the recorder, or with nothing focused (a deleted
  // step's button took the focus with it); inside a text box the browser's own undo types back.
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const t = e.target as HTMLElement | null;
      if (!(e.ctrlKey || e.metaKey) || t?.closest('input, select, textarea')) return;
      if (t && t !== document.body && !t.closest('#lesson-recorder')) return;
      const k = e.key.toLowerCase();
      if (k !== 'z' && k !== 'y') return;
      e.preventDefault();
      setHistory((h) => (k === 'y' || e.shiftKey ? redo(h) : undo(h)));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  /** After a step's button goes (Delete), the focus goes to the step now in its place, or to Add step here. */
  const refocus = (index: number): void =>
    void requestAnimationFrame(() => {
      const root = document.getElementById('lesson-recorder');
      const toggles = root?.querySelectorAll<HTMLElement>('.recorder-step-toggle');
      (toggles?.[Math.min(index, toggles.length - 1)] ?? root?.querySelector<HTMLElement>('.recorder-add'))?.focus();
    });

  if (previewing) {
    return (
      <div className="recorder-preview-bar" role="region" aria-label="Lesson recorder (previewing)">
        <span>Previewing the recorded lesson as a student sees it.</span>
        <button onClick={() => actions.exitLesson()}>Back to the recorder</button>
      </div>
    );
  }

  const invalidWhy = checks?.valid ? undefined : 'Fix the problems listed first';
  return (
    <section id="lesson-recorder" className="lesson-recorder panel" aria-label="Lesson recorder">
      <div className="editor-bar">
        <h2>Record a lesson</h2>
        <button onClick={() => setHistory(undo)} disabled={history.past.length === 0} title="Undo (Ctrl+Z)">
          Undo
        </button>
        <button onClick={() => setHistory(redo)} disabled={history.future.length === 0} title="Redo (Ctrl+Shift+Z)">
          Redo
        </button>
        <span className="spacer" />
        <button className="icon" aria-label="Close the recorder" onClick={onClose}>
          ×
        </button>
      </div>
      <div className="editor-bar recorder-actions">
        <button onClick={preview} disabled={!checks?.valid} title={invalidWhy ?? 'Play the lesson as a student sees it'}>
          Preview
        </button>
        <button onClick={save} title="Download the lesson file (tdi-flow lesson check FILE checks it)">
          Save
        </button>
        <button onClick={() => void link()} disabled={!checks?.valid} title={invalidWhy ?? 'A link that opens this lesson (it travels in the link)'}>
          Link
        </button>
        <button onClick={() => void embed()} disabled={!checks?.valid} title={invalidWhy ?? 'A snippet that puts this lesson in another page'}>
          Embed…
        </button>
      </div>
      <div className="recorder-body">
        <div className="editor-fields recorder-lesson-fields">
          <div className="editor-field">
            <label htmlFor="rec-title">Lesson title</label>
            <input id="rec-title" type="text" value={draft.title} onChange={(e) => edit((d) => ({ ...d, title: e.target.value }), 'lesson-title')} />
          </div>
          <div className="editor-field">
            <label htmlFor="rec-summary">Summary</label>
            <textarea id="rec-summary" rows={2} value={draft.summary} onChange={(e) => edit((d) => ({ ...d, summary: e.target.value }), 'lesson-summary')} />
          </div>
          <div className="editor-field">
            <label htmlFor="rec-template">Template</label>
            <span className="recorder-row">
              <select id="rec-template" value={template} onChange={(e) => setTemplate(e.target.value as LessonName)}>
                {LESSON_NAMES.map((n) => (
                  <option key={n} value={n}>
                    {LESSON_TITLES[n]}
                  </option>
                ))}
              </select>
              <button onClick={() => void openTemplate()}>Open as template</button>
            </span>
          </div>
        </div>
        <div className={`editor-problems ${clean ? 'good' : 'bad'}`} data-testid="recorder-checks" aria-live="polite">
          <p>
            {checks?.state !== 'done'
              ? 'Checking the lesson…'
              : clean
                ? `✓ The lesson checker finds nothing in ${draft.steps.length} step${draft.steps.length === 1 ? '' : 's'}.`
                : `${problemCount} problem${problemCount === 1 ? '' : 's'}${checks.valid ? ' found by the lesson checker' : ''}: each is shown beside its step.`}
          </p>
          {checks && checks.lesson.length > 0 && (
            <ul>
              {checks.lesson.map((p, i) => (
                <li key={i}>{p}</li>
              ))}
            </ul>
          )}
        </div>
        <ol className="recorder-steps" aria-label="Lesson steps">
          {draft.steps.map((s, i) => (
            <StepItem
              key={s.key}
              step={s}
              index={i}
              count={draft.steps.length}
              open={open === s.key}
              problems={checks?.byStep[i] ?? []}
              topo={topo}
              titleRef={titleRef}
              onToggle={() => setOpen(open === s.key ? null : s.key)}
              onEdit={(patch, typing) => edit((d) => updateStep(d, s.key, patch), typing ?? null)}
              onMove={(by) => edit((d) => moveStep(d, s.key, by))}
              onDelete={() => {
                edit((d) => deleteStep(d, s.key));
                refocus(i);
                setStatus(`Step ${i + 1} deleted (Undo brings it back).`);
              }}
              onRecapture={() => void recaptureStep(s)}
              busy={busy !== null}
            />
          ))}
        </ol>
        {shared && (
          <div className="recorder-shared">
            <label htmlFor="rec-shared">{shared.kind === 'link' ? 'The lesson\'s link' : 'Embed snippet'}</label>
            <textarea id="rec-shared" readOnly rows={shared.kind === 'link' ? 2 : 4} value={shared.text} data-testid={`recorder-${shared.kind}`} onFocus={(e) => e.currentTarget.select()} />
          </div>
        )}
      </div>
      <div className="recorder-foot">
        <button className="recorder-add" onClick={() => void addHere()} disabled={busy !== null || !sim} title="A step at the moment on screen; the selected part of the stage is its focus">
          + Add step here
        </button>
        <span className="recorder-status" role="status">
          {busy ?? status}
        </span>
      </div>
    </section>
  );
}

interface StepItemProps {
  step: RecStep;
  index: number;
  count: number;
  open: boolean;
  problems: string[];
  topo: Topology | null;
  titleRef: React.RefObject<HTMLInputElement | null>;
  busy: boolean;
  onToggle(): void;
  onEdit(patch: Partial<Omit<RecStep, 'key'>>, typing?: string): void;
  onMove(by: -1 | 1): void;
  onDelete(): void;
  onRecapture(): void;
}

function StepItem({ step: s, index: i, count, open, problems, topo, titleRef, busy, onToggle, onEdit, onMove, onDelete, onRecapture }: StepItemProps) {
  const n = i + 1;
  const where = s.capture ? `at ${us(s.capture.timeUs)}` : 'from the template';
  const asks = s.question ? (s.question.kind === 'which' ? ' · asks which' : ' · asks how many') : s.template?.question ? ' · asks (template)' : '';
  const formId = `rec-step-${s.key}`;
  return (
    <li className={`recorder-step${problems.length > 0 ? ' bad' : ''}`} data-testid="recorder-step">
      <div className="recorder-step-head">
        <button className="recorder-step-toggle" aria-expanded={open} aria-controls={formId} onClick={onToggle}>
          {n}. {s.title.trim() || '(untitled)'} <span className="muted">{where + asks}</span>
        </button>
        <button className="icon" aria-label={`Move step ${n} up`} disabled={i === 0} onClick={() => onMove(-1)}>
          ↑
        </button>
        <button className="icon" aria-label={`Move step ${n} down`} disabled={i === count - 1} onClick={() => onMove(1)}>
          ↓
        </button>
        <button className="recorder-delete" aria-label={`Delete step ${n}`} onClick={onDelete}>
          Delete
        </button>
      </div>
      {problems.length > 0 && (
        <ul className="recorder-step-problems" aria-label={`Problems of step ${n}`} data-testid="recorder-step-problems">
          {problems.map((p, j) => (
            <li key={j}>{p}</li>
          ))}
        </ul>
      )}
      {open && (
        <div id={formId} role="group" aria-label={`Step ${n}: its fields`} className="recorder-step-form">
          <p className="muted recorder-moment">
            {s.capture
              ? `Pauses at ${us(s.capture.timeUs)}, after ${s.capture.events.toLocaleString('en-US')} records; next: ${s.capture.nextSentence}`
              : 'Keeps the template\'s moment and question.'}{' '}
            <button className="link" onClick={onRecapture} disabled={busy}>
              Capture the moment on screen instead
            </button>
          </p>
          <div className="editor-fields">
            <div className="editor-field">
              <label htmlFor={`${formId}-title`}>Title</label>
              <input id={`${formId}-title`} ref={titleRef} type="text" value={s.title} onChange={(e) => onEdit({ title: e.target.value }, `${s.key}-title`)} />
            </div>
            <div className="editor-field">
              <label htmlFor={`${formId}-narration`}>Narration</label>
              <textarea id={`${formId}-narration`} rows={3} value={s.narration} onChange={(e) => onEdit({ narration: e.target.value }, `${s.key}-narration`)} aria-describedby={`${formId}-markup`} />
            </div>
            <div className="editor-field">
              <span className="field-label">Preview</span>
              <div className="recorder-preview" aria-label="Narration preview" role="region">
                {s.narration.trim() ? <RichText text={s.narration} /> : <p className="muted">Nothing yet.</p>}
                <p id={`${formId}-markup`} className="muted recorder-hint">
                  A blank line starts a paragraph; **bold** and `code` are the only markup.
                </p>
              </div>
            </div>
            <FocusField step={s} formId={formId} topo={topo} onEdit={onEdit} />
            <QuestionFields step={s} formId={formId} topo={topo} onEdit={onEdit} />
            <div className="editor-field">
              <label htmlFor={`${formId}-explain`}>Explain after</label>
              <textarea id={`${formId}-explain`} rows={2} value={s.explain} onChange={(e) => onEdit({ explain: e.target.value }, `${s.key}-explain`)} />
            </div>
          </div>
        </div>
      )}
    </li>
  );
}

function FocusField({ step: s, formId, topo, onEdit }: { step: RecStep; formId: string; topo: Topology | null; onEdit: StepItemProps['onEdit'] }) {
  // The scenario's parts in a steady order (a box never moves as it is ticked); a big scenario lists
  // the first few dozen and any chosen beyond them.
  const all = topo ? [...topo.clientIds, ...topo.addressIds, ...topo.connectionIds, ...topo.nodeIds] : [];
  const chosen = new Set(s.focus);
  const shown = [...all.filter((id, i) => i < 48 || chosen.has(id)), ...s.focus.filter((id) => !all.includes(id))];
  const toggle = (id: string, on: boolean): void => onEdit({ focus: on ? [...s.focus, id] : s.focus.filter((f) => f !== id) });
  return (
    <div className="editor-field">
      <span className="field-label" id={`${formId}-focus`}>
        Focus
      </span>
      <div role="group" aria-labelledby={`${formId}-focus`} className="recorder-checks">
        {shown.map((id) => (
          <label key={id}>
            <input type="checkbox" checked={s.focus.includes(id)} onChange={(e) => toggle(id, e.target.checked)} /> {id}
          </label>
        ))}
      </div>
    </div>
  );
}

function QuestionFields({ step: s, formId, topo, onEdit }: { step: RecStep; formId: string; topo: Topology | null; onEdit: StepItemProps['onEdit'] }) {
  const q = s.question;
  const kinds = s.capture?.kinds ?? [];
  const whichKinds = kinds.filter((k) => whichFields(k.first).length > 0);
  const countKinds = kinds.filter((k) => howManyFields(k.first).length > 0);
  const mode = q?.kind ?? 'none';

  const start = (kind: 'none' | 'which' | 'howMany'): void => {
    if (kind === 'none') return onEdit({ question: null });
    const list = kind === 'which' ? whichKinds : countKinds;
    const first = list.find((k) => k.type === 'callback.sendPossible') ?? list[0];
    if (!first) return;
    onEdit({ question: specFor(kind, first.type, first.first) });
  };
  const specFor = (kind: 'which' | 'howMany', type: string, rec: (typeof kinds)[number]['first'], field?: string): QuestionSpec => {
    if (kind === 'which') {
      const f = field ?? whichFields(rec)[0]!;
      return { kind, type, field: f, ask: defaultAsk(kind, type, f), choices: topo ? choicesFor(f, topo).slice(0, 24) : [] };
    }
    const f = field ?? howManyFields(rec)[0]!;
    const unit = unitOf(f);
    return { kind, type, field: f, ask: defaultAsk(kind, type, f), ...(unit ? { unit } : {}) };
  };
  const picked = q ? kinds.find((k) => k.type === q.type) : undefined;

  if (!s.capture) {
    return (
      <div className="editor-field">
        <span className="field-label">Question</span>
        <p className="muted">{s.template?.question ? 'The template\'s question, kept as it is.' : 'None.'} Capture the moment on screen to ask one here.</p>
      </div>
    );
  }
  return (
    <>
      <div className="editor-field">
        <span className="field-label" id={`${formId}-qkind`}>
          Question
        </span>
        <div role="radiogroup" aria-labelledby={`${formId}-qkind`} className="recorder-checks">
          {(
            [
              ['none', 'none'],
              ['which', 'who / which'],
              ['howMany', 'how many'],
            ] as const
          ).map(([k, label]) => (
            <label key={k}>
              <input type="radio" name={`${formId}-qkind`} checked={mode === k} disabled={k !== 'none' && (k === 'which' ? whichKinds : countKinds).length === 0} onChange={() => start(k)} /> {label}
            </label>
          ))}
        </div>
      </div>
      {q && (
        <>
          <div className="editor-field">
            <label htmlFor={`${formId}-qtype`}>Answer from the next</label>
            <select
              id={`${formId}-qtype`}
              value={q.type}
              onChange={(e) => {
                const k = kinds.find((x) => x.type === e.target.value);
                if (k) onEdit({ question: { ...specFor(q.kind, k.type, k.first), ask: q.ask } });
              }}
            >
              {(q.kind === 'which' ? whichKinds : countKinds).map((k) => (
                <option key={k.type} value={k.type}>
                  {kindLabel(k.type)} · at {us(k.first.t)}
                </option>
              ))}
            </select>
          </div>
          {picked && (
            <div className="editor-field">
              <label htmlFor={`${formId}-qfield`}>{q.kind === 'which' ? 'its' : 'its number'}</label>
              <select id={`${formId}-qfield`} value={q.field} onChange={(e) => onEdit({ question: { ...specFor(q.kind, q.type, picked.first, e.target.value), ask: q.ask } })}>
                {(q.kind === 'which' ? whichFields(picked.first) : howManyFields(picked.first)).map((f) => (
                  <option key={f} value={f}>
                    {f} (here: {String((picked.first as Record<string, unknown>)[f])})
                  </option>
                ))}
              </select>
            </div>
          )}
          <div className="editor-field">
            <label htmlFor={`${formId}-ask`}>Ask</label>
            <input id={`${formId}-ask`} type="text" value={q.ask} onChange={(e) => onEdit({ question: { ...q, ask: e.target.value } }, `${s.key}-ask`)} />
          </div>
          {q.kind === 'which' && topo && (
            <div className="editor-field">
              <span className="field-label" id={`${formId}-choices`}>
                Choices
              </span>
              <div role="group" aria-labelledby={`${formId}-choices`} className="recorder-checks">
                {choicesFor(q.field, topo)
                  .slice(0, 48)
                  .map((id) => (
                    <label key={id}>
                      <input
                        type="checkbox"
                        checked={q.choices.includes(id)}
                        onChange={(e) => onEdit({ question: { ...q, choices: e.target.checked ? [...q.choices, id] : q.choices.filter((c) => c !== id) } })}
                      />{' '}
                      {id}
                    </label>
                  ))}
              </div>
            </div>
          )}
          {q.kind === 'howMany' && (
            <div className="editor-field">
              <label htmlFor={`${formId}-unit`}>Unit</label>
              <input id={`${formId}-unit`} type="text" value={q.unit ?? ''} onChange={(e) => onEdit({ question: withUnit(q, e.target.value) }, `${s.key}-unit`)} />
            </div>
          )}
        </>
      )}
    </>
  );
}

/** A "how many" with its unit as typed (none when empty). */
function withUnit(q: Extract<QuestionSpec, { kind: 'howMany' }>, unit: string): QuestionSpec {
  const { unit: _old, ...rest } = q;
  return unit ? { ...rest, unit } : rest;
}
