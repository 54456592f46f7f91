// Client colours: distinguishable in both themes and for the common colour-vision deficiencies
// (Okabe–Ito order, then a few more).
const PALETTE = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#8a7a00', '#7a5cff', '#3a9e9e', '#b05a3c'];

export function clientColor(index: number): string {
  return PALETTE[index % PALETTE.length]!;
}
