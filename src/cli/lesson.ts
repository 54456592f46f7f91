// `tdi-flow lesson check FILE|NAME`: a lesson validated, then played as a class would play it and
// checked (src/lesson/check.ts). Exit 0 when clean; 2 with one line per problem, naming the step and
// the record — the same checks the app runs when a lesson is opened (docs/lessons.md § Checking a lesson).
import { isLessonName, LESSON_NAMES, loadBuiltinLesson } from '../lesson/builtins.ts';
import { MAX_LESSON_CHARS } from '../lesson/schema.ts';
import { parseLessonText, validateLesson } from '../lesson/validate.ts';
import { checkLesson, problemLine } from '../lesson/check.ts';
import { readCapped, shown } from './input.ts';

export const LESSON_USAGE = `usage:
  tdi-flow lesson check FILE.json|NAME   check a lesson file, or a built-in lesson by name (${LESSON_NAMES.join(', ')})

A lesson is validated, then played step by step as a class would play it. Each problem is one line
naming the step and the record: an answer already on screen when its question is asked, an answer
that is not the first such record the class sees for the entities in focus, a step that stops where
the previous one did, a "which first?" question where only one choice can happen, a step that never
triggers. Exit 0 when clean, 2 when a problem is found (docs/lessons.md § Checking a lesson).`;

export class LessonUsageError extends Error {}

export async function lessonCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write(LESSON_USAGE + '\n');
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'check') throw new LessonUsageError(`unknown lesson command "${sub}" (try: tdi-flow lesson check FILE|NAME)`);
  if (rest.length !== 1) throw new LessonUsageError('lesson check takes one lesson file or built-in lesson name');
  const source = rest[0]!;
  const name = shown(source);
  const v = await loadLesson(source);
  if (!v.ok) {
    for (const p of v.problems) process.stderr.write(`${name}: ${p}\n`);
    return 2;
  }
  const problems = await checkLesson(v.lesson);
  if (problems.length > 0) {
    for (const p of problems) process.stderr.write(`${name}: ${problemLine(p)}\n`);
    return 2;
  }
  const questions = v.lesson.steps.filter((s) => s.question).length;
  process.stdout.write(`${name}: clean — ${v.lesson.steps.length} steps, ${questions} question${questions === 1 ? '' : 's'}\n`);
  return 0;
}

async function loadLesson(source: string) {
  // A name with no path and no .json is a built-in lesson.
  if (!/[/\\.]/.test(source)) {
    if (isLessonName(source)) return validateLesson(await loadBuiltinLesson(source));
    return { ok: false as const, problems: [`(root): there is no built-in lesson "${source.slice(0, 60)}" (try ${LESSON_NAMES.join(', ')}, or a file name)`] };
  }
  let text: string;
  try {
    const bytes = readCapped(source, MAX_LESSON_CHARS * 4);
    if (bytes === null) return { ok: false as const, problems: ['(root): too large: a lesson may have at most 1 MiB'] };
    text = new TextDecoder().decode(bytes);
  } catch (e) {
    return { ok: false as const, problems: [`cannot read file (${(e as NodeJS.ErrnoException).code ?? String(e)})`] };
  }
  return parseLessonText(text);
}
