// The built-in lessons, one per seed behaviour (issue 8), each a lesson file in lessons/. Loaded on
// demand: the app and an embed pay for them only when a lesson is opened.
export const LESSON_NAMES = ['send-flow-control', 'partial-copy', 'race', 'herd', 'blocking', 'cascade', 'irql', 'tdi-to-wsk'] as const;
export type LessonName = (typeof LESSON_NAMES)[number];

export const LESSON_TITLES: Record<LessonName, string> = {
  'send-flow-control': 'Send flow control (R11–R13, R20)',
  'partial-copy': 'Partial copy (R12)',
  race: 'The race for freed space (R23–R24)',
  herd: 'Thundering herd vs oldest (R22)',
  blocking: 'Blocking sends and EXPEDITED (R10, R14)',
  cascade: 'The error cascade (R30–R35)',
  irql: 'IRQL and the bug check (R40–R41)',
  'tdi-to-wsk': 'From TDI to WSK (R24, R30 vs W1, W5)',
};

export function isLessonName(name: string): name is LessonName {
  return (LESSON_NAMES as readonly string[]).includes(name);
}

/** A built-in lesson's JSON (unvalidated: it goes through the same validation as a user's file). */
export async function loadBuiltinLesson(name: LessonName): Promise<unknown> {
  const files = {
    'send-flow-control': () => import('./lessons/send-flow-control.json', { with: { type: 'json' } }),
    'partial-copy': () => import('./lessons/partial-copy.json', { with: { type: 'json' } }),
    race: () => import('./lessons/race.json', { with: { type: 'json' } }),
    herd: () => import('./lessons/herd.json', { with: { type: 'json' } }),
    blocking: () => import('./lessons/blocking.json', { with: { type: 'json' } }),
    cascade: () => import('./lessons/cascade.json', { with: { type: 'json' } }),
    irql: () => import('./lessons/irql.json', { with: { type: 'json' } }),
    'tdi-to-wsk': () => import('./lessons/tdi-to-wsk.json', { with: { type: 'json' } }),
  } satisfies Record<LessonName, () => Promise<{ default: unknown }>>;
  return structuredClone((await files[name]()).default);
}
