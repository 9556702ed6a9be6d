// Brand colours behind white initials: darkened only as much as AA needs, never lightened or re-hued.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AA_NORMAL_TEXT, contrastWithWhite, darkenForWhiteText } from '@/components/ui/contrast';

const hex = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }))
  .map((rgb) => `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`);
const channels = (h: string) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));

describe('darkenForWhiteText', () => {
  it('matches the WCAG ratio for known colours', () => {
    expect(contrastWithWhite('#000000')).toBeCloseTo(21, 5);
    expect(contrastWithWhite('#ffffff')).toBeCloseTo(1, 5);
    // HubSpot's orange fails with white text (2.56:1) and is darkened to pass.
    expect(contrastWithWhite('#ff7a59')).toBeLessThan(AA_NORMAL_TEXT);
    expect(contrastWithWhite(darkenForWhiteText('#ff7a59'))).toBeGreaterThanOrEqual(AA_NORMAL_TEXT);
    // A colour that already passes is kept as it is.
    expect(darkenForWhiteText('#4f46e5')).toBe('#4f46e5');
  });

  it('always reaches AA, only darkens, and keeps the hue (every channel scaled alike)', () => {
    fc.assert(
      fc.property(hex, (colour) => {
        const out = darkenForWhiteText(colour);
        expect(contrastWithWhite(out)).toBeGreaterThanOrEqual(AA_NORMAL_TEXT);
        const [before, after] = [channels(colour), channels(out)];
        after.forEach((c, i) => expect(c).toBeLessThanOrEqual(before[i]));
        const max = Math.max(...before);
        if (max > 40) after.forEach((c, i) => expect(Math.abs(c / Math.max(1, Math.max(...after)) - before[i] / max)).toBeLessThan(0.1));
      }),
    );
  });

  it('falls back to a readable slate for a value that is not a colour', () => {
    expect(contrastWithWhite(darkenForWhiteText('not-a-colour'))).toBeGreaterThanOrEqual(AA_NORMAL_TEXT);
  });
});
