// WCAG 2 contrast between two colours, for the palette test and the keyboard walk's focus rings.

/** `#rrggbb` or `rgb(r, g, b)` / `rgba(r, g, b, a)` → `[r, g, b, a]` (0–255, alpha 0–1). */
export function parseColour(text) {
  if (text.startsWith('#')) return [...[1, 3, 5].map((i) => parseInt(text.slice(i, i + 2), 16)), 1];
  const parts = text.match(/[\d.]+/g).map(Number);
  return [parts[0], parts[1], parts[2], parts[3] ?? 1];
}

/** `top` at `alpha` painted over the opaque `under` (what `rgba()` and `color-mix(…, transparent)` give), as `#rrggbb`. */
export function over(top, alpha, under) {
  const [a, b] = [parseColour(top), parseColour(under)];
  return '#' + [0, 1, 2].map((i) => Math.round(a[i] * alpha + b[i] * (1 - alpha)).toString(16).padStart(2, '0')).join('');
}

/** WCAG 2 relative luminance. */
function luminance(colour) {
  const [r, g, b] = parseColour(colour).slice(0, 3).map((v) => v / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio of two opaque colours, 1 to 21. */
export function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
