import { useActions, useApp } from '../store/hooks.ts';
import { fmtUs } from '../format.ts';
import { LessonProblems } from '../lesson/LessonsMenu.tsx';
import { ProblemsBanner } from './ProblemsBanner.tsx';
import { WorkerSilence, useWorkerSilence } from './WorkerSilence.tsx';

export function Banners() {
  const actions = useActions();
  const problems = useApp((s) => s.problems);
  // A notice that only reports what was done, and a link that was copied, are toasts (Toasts.tsx).
  const notice = useApp((s) => (s.notice !== s.transientNotice ? s.notice : null));
  const shareLink = useApp((s) => (s.shareCopied === false ? s.shareLink : null));
  const shareCopied = useApp((s) => s.shareCopied);
  const fatal = useApp((s) => s.fatal);
  const lessonProblems = useApp((s) => s.lessonProblems);
  const seeking = useApp((s) => s.seeking);
  const silentMs = useWorkerSilence();
  if (!fatal && problems.length === 0 && !shareLink && !notice && !lessonProblems && !seeking && silentMs === null) return null;
  // Over the top of the drawing, bounded, each dismissible (#8): a banner never takes rows from the
  // stage, so the title, the caption, the status line and the scrubber keep their place; only its
  // buttons and fields take the pointer, so what it lies over can still be clicked.
  return (
    <div className="banners" data-testid="banners">
      <WorkerSilence silentMs={silentMs} />
      {seeking && (
        // A seek slower than SEEK_PROGRESS_AFTER_MS (#10): how far it got, and a way out (Cancel, Esc).
        <div className="banner info seek-progress" role="group" aria-label="Seek in progress" data-testid="seek-progress">
          <span>
            Travelling to {fmtUs(seeking.targetUs)}: at {fmtUs(seeking.atUs)}
          </span>
          <progress max={1} value={seeking.fraction} aria-label="Seek progress" />
          <span>{Math.floor(seeking.fraction * 100)}%</span>
          <button onClick={() => actions.cancelSeek()} aria-keyshortcuts="Escape" title="Stop here (Esc)">
            Cancel
          </button>
        </div>
      )}
      {fatal && (
        <div className="banner bad" role="alert">
          {fatal}
        </div>
      )}
      {problems.length > 0 && (
        <ProblemsBanner
          heading="That scenario was not loaded"
          problems={problems}
          footer="The scenario you had is still loaded."
          testId="problems"
          onDismiss={() => actions.dismiss('problems')}
        />
      )}
      <LessonProblems />
      {shareLink && (
        <div className="banner info" role="status" data-testid="share">
          <span>{shareCopied === true ? 'Link to this moment, copied to the clipboard:' : shareCopied === false ? 'Link to this moment (the browser did not let it be copied: select it and copy):' : 'Link to this moment:'}</span>
          <input className="share-link" aria-label="Share link" readOnly value={shareLink} onFocus={(e) => e.currentTarget.select()} />
          <button onClick={() => actions.dismiss('shareLink')}>Dismiss</button>
        </div>
      )}
      {notice && (
        <div className="banner info" role="status" data-testid="notice">
          <span>{notice}</span>
          <button onClick={() => actions.dismiss('notice')}>Dismiss</button>
        </div>
      )}
    </div>
  );
}
