// The "Lessons" menu: the built-in lessons and "Open lesson file…"; and the banner that names a
// lesson file's problems (nothing else changes: the scenario on screen stays).
import { useEffect, useRef } from 'react';
import { useActions, useApp } from '../store/hooks.ts';
import { LESSON_NAMES, LESSON_TITLES } from '../../src/lesson/builtins.ts';
import { ProblemsBanner } from '../components/ProblemsBanner.tsx';

export function LessonsMenu() {
  const actions = useActions();
  const open = useApp((s) => s.lessonMenuOpen);
  const fileRef = useRef<HTMLInputElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const wrapRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    menuRef.current?.querySelector<HTMLButtonElement>('button')?.focus();
    const away = (e: MouseEvent) => {
      if (!wrapRef.current?.contains(e.target as Node)) actions.setLessonMenuOpen(false);
    };
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [open, actions]);
  const onMenuKey = (e: React.KeyboardEvent) => {
    const items = [...(menuRef.current?.querySelectorAll<HTMLButtonElement>('button') ?? [])];
    const i = items.indexOf(document.activeElement as HTMLButtonElement);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      e.stopPropagation();
      items[(i + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
    }
  };
  return (
    <div className="lessons-menu" ref={wrapRef}>
      <button aria-haspopup="menu" aria-expanded={open} title="Guided lessons with predictions checked against the model" onClick={() => actions.setLessonMenuOpen(!open)}>
        Lessons
      </button>
      <input
        ref={fileRef}
        type="file"
        accept=".json,application/json"
        hidden
        data-testid="lesson-file"
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = '';
          if (f) void f.text().then((text) => actions.openLessonText(f.name, text));
        }}
      />
      {open && (
        <div className="lessons-popup" role="menu" aria-label="Lessons" ref={menuRef} onKeyDown={onMenuKey}>
          {LESSON_NAMES.map((n) => (
            <button key={n} role="menuitem" onClick={() => void actions.openLesson(n)}>
              {LESSON_TITLES[n]}
            </button>
          ))}
          <button
            role="menuitem"
            className="lessons-file"
            onClick={() => {
              actions.setLessonMenuOpen(false);
              fileRef.current?.click();
            }}
          >
            Open lesson file…
          </button>
        </div>
      )}
    </div>
  );
}

export function LessonProblems() {
  const actions = useActions();
  const p = useApp((s) => s.lessonProblems);
  if (!p) return null;
  return (
    <ProblemsBanner
      heading={`${p.source} was not opened`}
      problems={p.problems}
      footer="What you had on screen is still there."
      testId="lesson-problems"
      onDismiss={() => actions.dismiss('problems')}
    />
  );
}
