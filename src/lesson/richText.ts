// Narration's rich text: paragraphs (a blank line), **bold** and `code` — nothing else, and nothing
// that could become markup: the app renders these parts as text nodes, never as HTML.
export interface TextPart {
  text: string;
  bold?: boolean;
  code?: boolean;
}

export function parseRichText(source: string): TextPart[][] {
  return source
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, ' ').trim())
    .filter((p) => p !== '')
    .map(parseParagraph);
}

function parseParagraph(p: string): TextPart[] {
  const parts: TextPart[] = [];
  // `code` first (nothing is bold inside it), then **bold**; an unmatched marker stays as text.
  const re = /`([^`]+)`|\*\*([^*]+)\*\*/g;
  let last = 0;
  for (let m = re.exec(p); m; m = re.exec(p)) {
    if (m.index > last) parts.push({ text: p.slice(last, m.index) });
    parts.push(m[1] !== undefined ? { text: m[1], code: true } : { text: m[2]!, bold: true });
    last = m.index + m[0].length;
  }
  if (last < p.length) parts.push({ text: p.slice(last) });
  return parts;
}
