// WCAG 2 contrast arithmetic, for colours that come from data (a provider's brand colour) rather
// than from the theme, so text on them still reaches AA whatever the colour is.

/** WCAG 2 AA for normal-size text. */
export const AA_NORMAL_TEXT = 4.5;

function channels(hex: string): [number, number, number] | null {
  const match = /^#?([0-9a-f]{6}|[0-9a-f]{3})$/i.exec(hex.trim());
  if (!match) return null;
  const digits = match[1].length === 3 ? [...match[1]].map((d) => d + d).join('') : match[1];
  return [0, 2, 4].map((i) => parseInt(digits.slice(i, i + 2), 16)) as [number, number, number];
}

function luminance([r, g, b]: [number, number, number]): number {
  const linear = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** The contrast ratio of white text on `hex` (1 to 21). */
export function contrastWithWhite(hex: string): number {
  const rgb = channels(hex);
  if (!rgb) return 1;
  return 1.05 / (luminance(rgb) + 0.05);
}

/**
 * The same hue, darkened just enough that white text on it reaches `ratio`: brand colours such
 * as a light orange or cyan keep their look but stay readable. Unparseable input falls back to a
 * dark slate so the text is never lost.
 */
export function darkenForWhiteText(hex: string, ratio = AA_NORMAL_TEXT): string {
  const rgb = channels(hex);
  if (!rgb) return '#334155';
  for (let keep = 1; keep >= 0; keep -= 0.02) {
    const shade = rgb.map((c) => Math.round(c * keep)) as [number, number, number];
    if (1.05 / (luminance(shade) + 0.05) >= ratio) return `#${shade.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
  }
  return '#000000';
}
