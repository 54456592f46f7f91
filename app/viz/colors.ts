// Client colours: distinguishable in both themes and for the common colour-vision deficiencies
// (Okabe–Ito order, then a few more; the darker ones darkened a little so that a label on them
// reaches 4.5:1 in white — see clientTextColor).
const PALETTE = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#c05200', '#7d6e00', '#6a4cf5', '#3a9e9e', '#b05a3c'];

export function clientColor(index: number): string {
  return PALETTE[index % PALETTE.length]!;
}

/** Text on a client's colour: white or near-black, whichever contrasts more (≥ 4.5:1 for every colour of the palette). */
export function clientTextColor(index: number): string {
  const hex = clientColor(index);
  const lum = [1, 3, 5]
    .map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  const l = 0.2126 * lum[0]! + 0.7152 * lum[1]! + 0.0722 * lum[2]!;
  const dark = 0.0129; // #1b1f24
  return (1.05 / (l + 0.05)) >= (l + 0.05) / (dark + 0.05) ? '#ffffff' : '#1b1f24';
}
