// The lesson panel (#8): the step's narration, its question (predict, then run), the reveal checked
// against the model, Next/Back, progress, restart and exit. React owns this panel only; the stage's
// focus outline is drawn by the stack view (components/Stage.tsx passes it the step's focus).
import { useEffect, useRef, useState } from 'react';
import { useActions, useApp } from '../store/hooks.ts';
import { parseRichText } from '../../src/lesson/richText.ts';
import { fmtUs } from '../format.ts';
import type { LessonReveal, LessonStepUi, LessonUi, StudentAnswer } from './types.ts';
import './lesson.css';

/** Narration: paragraphs, **bold** and `code`, rendered as elements and text nodes (never as HTML). */
export function RichText({ text, className }: { text: string; className?: string }) {
  return (
    <div className={className}>
      {parseRichText(text).map((para, i) => (
        <p key={i}>
          {para.map((part, j) => (part.code ? <code key={j}>{part.text}</code> : part.bold ? <strong key={j}>{part.text}</strong> : <span key={j}>{part.text}</span>))}
        </p>
      ))}
    </div>
  );
}

/**
 * `embedded`: in embed.html (app/embed/lesson.tsx) the page around it is someone else's, so there is
 * no Exit (the host closes it through the API), no Link (the link would be to the bare embed) and no
 * Lessons menu to point to.
 */
export function LessonPanel({ embedded = false }: { embedded?: boolean }) {
  const actions = useActions();
  const lesson = useApp((s) => s.lesson);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const index = lesson?.index ?? -1;
  // A new step: its title takes focus only if focus was in the panel (a clicker or keys keep theirs).
  useEffect(() => {
    const h = headingRef.current;
    if (h && h.closest('.lesson-panel')?.contains(document.activeElement) && document.activeElement?.tagName !== 'BUTTON') h.focus();
  }, [index]);
  if (!lesson) return null;
  const step = lesson.steps[lesson.index]!;
  const n = lesson.steps.length;
  const reveal = lesson.reveals[lesson.index] ?? null;
  const phase = lesson.phase;
  const done = phase === 'done';
  return (
    <section className="lesson-panel" aria-label={`Lesson: ${lesson.title}`} data-testid="lesson" data-phase={phase} data-step={lesson.index + 1}>
      <div className="lesson-head">
        <span className="lesson-kicker">Lesson</span>
        <strong className="lesson-title">{lesson.title}</strong>
        {!embedded && (
          <button className="lesson-exit" aria-label="Exit lesson" title="Exit the lesson (the scenario stays)" onClick={actions.exitLesson}>
            ×
          </button>
        )}
      </div>
      <div className="lesson-progress" role="progressbar" aria-label="Lesson progress" aria-valuemin={1} aria-valuemax={n} aria-valuenow={lesson.index + 1} aria-valuetext={`Step ${lesson.index + 1} of ${n}`}>
        <div className="lesson-progress-bar" style={{ width: `${((lesson.index + (done ? 1 : phase === 'paused' ? 1 : 0.5)) / n) * 100}%` }} />
      </div>
      <p className="lesson-count" data-testid="lesson-count">
        {done ? `All ${n} steps done` : `Step ${lesson.index + 1} of ${n}`}
        {phase === 'running' && <span className="lesson-running"> · running to the moment…</span>}
      </p>
      {/* The step's text scrolls inside the panel; the footer (end notice, Back/Next) stays in view (#8). */}
      {done ? (
        <div className="lesson-body" data-testid="lesson-body" tabIndex={0} role="region" aria-label="End of the lesson">
          <EndScreen lesson={lesson} embedded={embedded} />
        </div>
      ) : (
      <div className="lesson-body" data-testid="lesson-body" tabIndex={0} role="region" aria-label="Lesson step">
        <div aria-live="polite">
          <h3 className="lesson-step-title" tabIndex={-1} ref={headingRef} data-testid="lesson-step-title">
            {step.title}
          </h3>
          <RichText className="lesson-narration" text={step.narration} />
        </div>
        {(lesson.checks?.[lesson.index]?.length ?? 0) > 0 && (
          <div className="lesson-checks" data-testid="lesson-checks">
            <p>⚠ The lesson checker found:</p>
            <ul>
              {lesson.checks![lesson.index]!.map((c, i) => (
                <li key={i}>{c}</li>
              ))}
            </ul>
          </div>
        )}
        {step.question && (phase === 'asking' ? <Question key={lesson.index} step={step} /> : <p className="lesson-ask">{step.question.ask}</p>)}
        {reveal && phase !== 'asking' && phase !== 'running' && <Reveal reveal={reveal} unit={step.question?.unit} />}
        {step.explain && (phase === 'paused' || done) && <RichText className="lesson-explain" text={step.explain} />}
        {lesson.missed && (
          <p className="lesson-missed" role="alert">
            {lesson.missed}
          </p>
        )}
      </div>
      )}
      <div className="lesson-foot">
        <div className="lesson-nav" role="group" aria-label="Lesson steps">
          <button onClick={actions.lessonBack} disabled={lesson.index === 0 && !done} title="Previous step, back in time to its moment (PageUp, ←)">
            ‹ Back
          </button>
          <button
            className="primary"
            onClick={actions.lessonNext}
            disabled={done || phase === 'loading'}
            title={phase === 'asking' ? (lesson.draft ? 'Check your prediction against the model (PageDown, →)' : 'Run without a prediction (PageDown, →)') : phase === 'running' ? 'Skip to the moment (PageDown, →)' : 'Next step (PageDown, →)'}
          >
            {phase === 'asking' ? (lesson.draft ? 'Check ›' : 'Run without predicting ›') : phase === 'running' ? 'Skip ›' : lesson.index + 1 === n ? 'Finish ›' : 'Next ›'}
          </button>
          <button onClick={actions.lessonRestart} title="Start the lesson again">
            ↺ Restart
          </button>
          {!embedded && <LinkButton key={lesson.title} />}
        </div>
      </div>
    </section>
  );
}

function LinkButton() {
  const actions = useActions();
  const [copied, setCopied] = useState<string | null>(null);
  return (
    <>
      <button
        title="A link that opens this lesson"
        onClick={() =>
          void actions.lessonLink().then(async (link) => {
            if (!link) return;
            setCopied(link);
            try {
              await navigator.clipboard.writeText(link);
            } catch {
              // No clipboard: the link is shown to copy by hand.
            }
          })
        }
      >
        Link
      </button>
      {copied && <input className="share-link lesson-link" aria-label="Lesson link" readOnly value={copied} onFocus={(e) => e.currentTarget.select()} />}
    </>
  );
}

function Question({ step }: { step: LessonStepUi }) {
  const actions = useActions();
  const q = step.question!;
  const [choice, setChoice] = useState<string | null>(null);
  const [set, setSet] = useState<Set<string>>(new Set());
  const [num, setNum] = useState('');
  const answer: StudentAnswer | null =
    q.kind === 'choice' ? (choice !== null ? { kind: 'choice', value: choice } : null) : q.kind === 'set' ? (set.size ? { kind: 'set', values: [...set] } : null) : num.trim() !== '' && Number.isFinite(Number(num)) ? { kind: 'number', value: Number(num) } : null;
  // The choice so far goes to the player: a clicker's PageDown checks it (docs/lessons.md).
  const key = JSON.stringify(answer);
  // Keyed on the answer's value (`answer` is a new object each render; `actions` is stable): sent once per change.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => actions.lessonDraft(answer), [key]);
  return (
    <form
      className="lesson-question"
      data-testid="lesson-question"
      onSubmit={(e) => {
        e.preventDefault();
        if (answer) actions.lessonAnswer(answer);
      }}
      onKeyDown={(e) => {
        // A clicker's keys reach here after a choice was clicked (focus in a radio or the number box):
        // PageDown checks what is chosen (or runs without a prediction), PageUp goes back.
        if (e.key !== 'PageDown' && e.key !== 'PageUp') return;
        e.preventDefault();
        e.stopPropagation();
        if (e.key === 'PageUp') actions.lessonBack();
        else if (answer) actions.lessonAnswer(answer);
        else actions.lessonNext();
      }}
    >
      <fieldset>
        <legend className="lesson-ask">
          <span className="lesson-predict">Predict:</span> {q.ask}
        </legend>
        {q.kind === 'number' ? (
          <label className="lesson-number">
            <input type="number" inputMode="numeric" aria-label={`Your prediction${q.unit ? ` in ${q.unit}` : ''}`} value={num} onChange={(e) => setNum(e.target.value)} />
            {q.unit && <span>{q.unit}</span>}
          </label>
        ) : (
          <div className="lesson-choices">
            {q.choices!.map((c) => (
              <label key={c} className="lesson-choice">
                <input
                  type={q.kind === 'choice' ? 'radio' : 'checkbox'}
                  name="lesson-choice"
                  value={c}
                  checked={q.kind === 'choice' ? choice === c : set.has(c)}
                  onChange={(e) => {
                    if (q.kind === 'choice') setChoice(c);
                    else
                      setSet((prev) => {
                        const next = new Set(prev);
                        if (e.target.checked) next.add(c);
                        else next.delete(c);
                        return next;
                      });
                  }}
                />
                <span>{c}</span>
              </label>
            ))}
          </div>
        )}
      </fieldset>
      <button className="primary" type="submit" disabled={!answer}>
        Check against the model ›
      </button>
    </form>
  );
}

/** The end: how many predictions matched the model, each with a link to its moment; Restart. */
function EndScreen({ lesson, embedded }: { lesson: LessonUi; embedded: boolean }) {
  const actions = useActions();
  const asked = lesson.steps.flatMap((s, i) => (s.question ? [{ step: s, index: i, reveal: lesson.reveals[i] ?? null }] : []));
  const predicted = asked.filter((a) => a.reveal?.student);
  const right = predicted.filter((a) => a.reveal!.right);
  return (
    <div className="lesson-end" data-testid="lesson-end">
      <h3 className="lesson-step-title" data-testid="lesson-step-title">
        How the predictions did
      </h3>
      <p className="lesson-done" role="status" data-testid="lesson-done" data-right={right.length} data-predicted={predicted.length} data-questions={asked.length}>
        End of the lesson: <strong>{right.length} of {predicted.length}</strong> prediction{predicted.length === 1 ? '' : 's'} matched the model
        {predicted.length < asked.length ? ` (${asked.length - predicted.length} of the ${asked.length} questions ran without one)` : ''}.{' '}
        {embedded ? 'Restart it, or go on exploring the scenario.' : 'Restart it, pick another from Lessons, or go on exploring the scenario.'}
      </p>
      <ol className="lesson-end-list">
        {asked.map(({ step, index, reveal }) => {
          const s = reveal?.student;
          const mark = !reveal ? '–' : !s ? '–' : reveal.right ? '✓' : '✗';
          const yours = !s ? 'no prediction' : s.kind === 'set' ? [...s.values].sort().join(', ') || '(none)' : s.kind === 'number' ? s.value.toLocaleString('en-US') : s.value;
          return (
            <li key={index} data-testid="lesson-end-item" data-right={!s ? 'none' : String(reveal!.right)}>
              <span className="lesson-end-mark" aria-hidden="true">
                {mark}
              </span>{' '}
              Step {index + 1}: {step.question!.ask}{' '}
              <span className="lesson-end-answers">
                {reveal ? `You: ${yours}. The model: ${reveal.modelText}.` : 'Not reached.'}
              </span>{' '}
              {reveal?.at && (
                <button className="link" onClick={() => actions.lessonShowMoment(index)} aria-label={`Show that moment: step ${index + 1}`}>
                  Show that moment
                </button>
              )}
            </li>
          );
        })}
      </ol>
    </div>
  );
}

function Reveal({ reveal, unit }: { reveal: LessonReveal; unit: string | undefined }) {
  const actions = useActions();
  const s = reveal.student;
  const yours = !s ? null : s.kind === 'set' ? [...s.values].sort().join(', ') || '(none)' : s.kind === 'number' ? `${s.value.toLocaleString('en-US')}${unit ? ` ${unit}` : ''}` : s.value;
  return (
    <div className={`lesson-reveal ${s ? (reveal.right ? 'right' : 'wrong') : 'none'}`} data-testid="lesson-reveal" data-right={s ? String(reveal.right) : 'none'}>
      <p className="lesson-verdict" role="status">
        {s ? (reveal.right ? '✓ Right — the model agrees.' : '✗ Not what the model did.') : 'No prediction made.'}
      </p>
      {yours !== null && (
        <p>
          Your prediction: <strong data-testid="lesson-yours">{yours}</strong>
        </p>
      )}
      <p>
        The model: <strong data-testid="lesson-model-answer">{reveal.modelText}</strong>
      </p>
      {reveal.decidedBy && (
        <p className="lesson-decided">
          At {fmtUs(reveal.decidedBy.t)}: {reveal.decidedBy.sentence}{' '}
          <button className="link" onClick={() => actions.seek(reveal.decidedBy!.t, { events: reveal.decidedBy!.seq + 1 })}>
            Show that moment
          </button>
        </p>
      )}
    </div>
  );
}
