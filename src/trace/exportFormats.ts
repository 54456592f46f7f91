// The command line's output formats, by name: their own module so that the page can list them
// without loading the engine that exportRun.ts runs (the app's first load, #19).
export const EXPORT_FORMATS = ['jsonl', 'chrome-trace', 'csv', 'summary'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function isExportFormat(f: unknown): f is ExportFormat {
  return typeof f === 'string' && (EXPORT_FORMATS as readonly string[]).includes(f);
}
