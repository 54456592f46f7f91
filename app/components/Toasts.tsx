import { useEffect, useRef, useState } from 'react';
import './toasts.css';
import { useActions, useApp } from '../store/hooks.ts';

/** How long a notice that only reports what was just done stays, unless the pointer or the focus is on it. */
export const TOAST_MS = 6000;

/**
 * Notices that report what was just done ("Injected …", "Link … copied") — one at a time, the newest,
 * in a corner of the window off the stage, and gone by themselves. A notice that asks for something
 * (a link that could not be copied, a problem, an error) stays in the banners until dismissed.
 */
export function Toasts() {
  const actions = useActions();
  const notice = useApp((s) => s.notice);
  const transient = useApp((s) => s.transientNotice);
  const shareLink = useApp((s) => s.shareLink);
  const shareCopied = useApp((s) => s.shareCopied);
  const noticeToast = notice !== null && notice === transient ? notice : null;
  const shareToast = shareLink !== null && shareCopied !== false ? shareLink : null;
  // The newest of the two is shown; the other is dismissed, so they never pile up.
  const [newest, setNewest] = useState<'notice' | 'share' | null>(null);
  const seen = useRef<{ notice: string | null; share: string | null }>({ notice: null, share: null });
  useEffect(() => {
    const was = seen.current;
    seen.current = { notice: noticeToast, share: shareToast };
    if (shareToast && shareToast !== was.share) {
      if (noticeToast) actions.dismiss('notice');
      setNewest('share');
    } else if (noticeToast && noticeToast !== was.notice) {
      if (shareToast) actions.dismiss('shareLink');
      setNewest('notice');
    }
  }, [noticeToast, shareToast, actions]);
  const kind = newest === 'share' && shareToast ? 'share' : noticeToast ? 'notice' : shareToast ? 'share' : null;
  const key = kind === 'share' ? shareToast : noticeToast;
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!kind) return;
    // Held while the pointer is on it or the focus in it (to read or copy it); checked when due.
    let timer: ReturnType<typeof setTimeout>;
    const due = () => {
      const el = box.current;
      if (el && (el.matches(':hover') || el.contains(document.activeElement))) timer = setTimeout(due, TOAST_MS / 3);
      else actions.dismiss(kind === 'share' ? 'shareLink' : 'notice');
    };
    timer = setTimeout(due, TOAST_MS);
    return () => clearTimeout(timer);
  }, [kind, key, actions]);
  if (!kind) return null;
  const hold = { ref: box };
  return (
    <div className="toasts" aria-live="polite">
      {kind === 'share' ? (
        <div className="toast" role="status" data-testid="share" {...hold}>
          <span>{shareCopied ? 'Link to this moment, copied to the clipboard:' : 'Link to this moment:'}</span>
          <input className="share-link" aria-label="Share link" readOnly value={shareToast!} onFocus={(e) => e.currentTarget.select()} />
          <button onClick={() => actions.dismiss('shareLink')}>Dismiss</button>
        </div>
      ) : (
        <div className="toast" role="status" data-testid="notice" {...hold}>
          <span>{noticeToast}</span>
          <button onClick={() => actions.dismiss('notice')}>Dismiss</button>
        </div>
      )}
    </div>
  );
}
