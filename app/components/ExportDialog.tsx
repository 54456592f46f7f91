// Export…: a trace, CSV or summary of the current run (made in the worker by the command line's
// exporters, streamed, with a progress bar and Cancel), or a picture of the stage or a chart.
import { useEffect, useState } from 'react';
import { useActions, useApp } from '../store/hooks.ts';
import { useSimContext } from '../simContext.ts';
import { APP_EXPORT_FORMATS, FORMAT_LABELS, type AppExportFormat } from '../exportFiles.ts';
import { pictureTargets, type PictureTarget } from '../exportPicture.ts';
import { fmtUs } from '../format.ts';
import './export.css';

export function ExportDialog() {
  const open = useApp((s) => s.exportOpen);
  const exporting = useApp((s) => s.exporting);
  const duration = useApp((s) => s.scenario?.durationUs ?? 0);
  const actions = useActions();
  const sim = useSimContext();
  const [format, setFormat] = useState<AppExportFormat>('jsonl');
  const [until, setUntil] = useState<'now' | 'end'>('now');
  const [target, setTarget] = useState('stage');
  const [targets, setTargets] = useState<PictureTarget[]>([]);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [nowUs, setNowUs] = useState(0);

  useEffect(() => {
    if (!open) return;
    // What is on the page when the dialog opens: the time shown and the pictures there are.
    setTargets(pictureTargets());
    setNowUs(sim?.lastFrame?.nowUs ?? 0);
    setStatus(null);
  }, [open, sim]);

  if (!open) return null;
  const picture = format === 'svg' || format === 'png';
  const opts = picture ? { target } : { until };
  const fileName = actions.exportFileName(format, opts);
  const close = () => {
    if (!exporting) actions.setExportOpen(false);
  };
  const run = async () => {
    setStatus(null);
    try {
      const name = await actions.download(format, opts);
      setStatus({ ok: true, text: `Saved ${name}.` });
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') setStatus({ ok: true, text: 'Cancelled.' });
      else setStatus({ ok: false, text: e instanceof Error ? e.message : String(e) });
    }
  };

  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-label="Export" onClick={close} onKeyDown={(e) => e.key === 'Escape' && close()}>
      <div className="overlay-body export-body" onClick={(e) => e.stopPropagation()}>
        <div className="panel-head">
          <h2>Export</h2>
          <button className="icon" aria-label="Close export" onClick={close} disabled={!!exporting}>
            ×
          </button>
        </div>
        <fieldset className="export-group">
          <legend>What</legend>
          {APP_EXPORT_FORMATS.map((f) => (
            <label key={f} className="export-choice">
              <input type="radio" name="export-format" value={f} checked={format === f} onChange={() => setFormat(f)} disabled={!!exporting} />
              {FORMAT_LABELS[f]}
            </label>
          ))}
        </fieldset>
        {picture ? (
          <label className="export-row">
            <span>Of</span>
            <select aria-label="Picture of" value={target} onChange={(e) => setTarget(e.target.value)}>
              {targets.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.label}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <fieldset className="export-group">
            <legend>Run up to</legend>
            <label className="export-choice">
              <input type="radio" name="export-until" checked={until === 'now'} onChange={() => setUntil('now')} disabled={!!exporting} />
              now (t = {fmtUs(nowUs)})
            </label>
            <label className="export-choice">
              <input type="radio" name="export-until" checked={until === 'end'} onChange={() => setUntil('end')} disabled={!!exporting} />
              the end of the run ({fmtUs(duration)})
            </label>
            <p className="hint">
              The scenario runs again from the start in the background, with the faults and policy changes you made — the same output as{' '}
              <code>tdi-flow run</code>.
            </p>
          </fieldset>
        )}
        <div className="export-row">
          <span className="hint">File</span>
          <code data-testid="export-file-name">{fileName}</code>
        </div>
        {exporting && (
          <div className="export-row" role="status">
            <span>Making the {exporting.format === 'chrome-trace' ? 'Perfetto trace' : exporting.format === 'jsonl' ? 'JSONL trace' : exporting.format}…</span>
            <progress max={1} value={exporting.progress} aria-label="Export progress" />
            <span>{Math.round(exporting.progress * 100)}%</span>
            <button onClick={actions.cancelExport}>Cancel</button>
          </div>
        )}
        {status && (
          <p className={status.ok ? 'export-status' : 'export-status bad'} role={status.ok ? 'status' : 'alert'} data-testid="export-status">
            {status.text}
          </p>
        )}
        <div className="export-actions">
          <button className="primary" onClick={() => void run()} disabled={!!exporting}>
            Export
          </button>
        </div>
      </div>
    </div>
  );
}
