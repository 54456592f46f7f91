// What the app can export and what the files are called: named after the scenario and the simulated
// time they show, e.g. race-5800us.trace.json, so a folder of exports sorts and explains itself.
import { EXPORT_FORMATS, type ExportFormat } from '../src/trace/exportFormats.ts';

export type PictureFormat = 'svg' | 'png';
export type AppExportFormat = ExportFormat | PictureFormat;
export const APP_EXPORT_FORMATS: readonly AppExportFormat[] = [...EXPORT_FORMATS, 'svg', 'png'];

export function isAppExportFormat(f: unknown): f is AppExportFormat {
  return typeof f === 'string' && (APP_EXPORT_FORMATS as readonly string[]).includes(f);
}

export const FORMAT_LABELS: Record<AppExportFormat, string> = {
  jsonl: 'Trace as JSON lines (.trace.jsonl)',
  'chrome-trace': 'Trace for Perfetto / chrome://tracing (.trace.json)',
  csv: 'Time series as CSV (.csv)',
  summary: 'Summary: totals, fairness (.summary.json)',
  svg: 'Picture as SVG (.svg)',
  png: 'Picture as PNG (.png)',
};

const SUFFIX: Record<ExportFormat, string> = { jsonl: 'trace.jsonl', 'chrome-trace': 'trace.json', csv: 'csv', summary: 'summary.json' };
export const MIME: Record<AppExportFormat, string> = {
  jsonl: 'application/x-ndjson',
  'chrome-trace': 'application/json',
  csv: 'text/csv',
  summary: 'application/json',
  svg: 'image/svg+xml',
  png: 'image/png',
};

/** A file-name-safe form of a preset name or scenario title. */
export function slug(text: string): string {
  return (
    text
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48)
      .replace(/-+$/, '') || 'scenario'
  );
}

/** e.g. race-5800us.trace.json, race-5800us.stage.png, my-scenario-20000us.csv. */
export function exportFileName(name: string, format: AppExportFormat, timeUs: number, target = 'stage'): string {
  const base = `${slug(name)}-${Math.max(0, Math.round(timeUs))}us`;
  if (format === 'svg' || format === 'png') return `${base}.${slug(target)}.${format}`;
  return `${base}.${SUFFIX[format]}`;
}
