// Everything a lesson needs in the embed, as ONE lazily loaded chunk: the player, its validator and
// the React panel. Split into several dynamic imports, the bundler hoists what they share with the
// first load (the topology builder, the record table) into it or into extra chunks it must fetch.
import * as controller from '../lesson/controller.ts';
import '../../src/lesson/validate.ts';

export { controller };
export { mountLesson } from './lesson.tsx';
