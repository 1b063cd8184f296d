/**
 * Status icons as inline SVG: emoji need an emoji font, which Debian's Chromium (and many Linux desktops)
 * lack, and show as empty boxes. Each icon stands beside its word, so it is hidden from screen readers.
 */
const icon = (shape: string, mark: string) =>
  `<svg class="mg-icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">${shape}<path class="mg-icon-mark" d="${mark}"/></svg>`;

const CIRCLE = '<circle cx="8" cy="8" r="8"/>';

export const ICONS = {
  pass: icon(CIRCLE, "M4.5 8.4l2.4 2.4 4.6-4.9"),
  fail: icon(CIRCLE, "M5.2 5.2l5.6 5.6M10.8 5.2l-5.6 5.6"),
  warn: icon('<path d="M8 .8l7.6 14H.4z"/>', "M8 5.6v4.2M8 12.2v.1"),
} as const;

/** An icon and a word in the status colour: `<span class="mg-status-fail">(x) Failed</span>`. */
export function status(kind: keyof typeof ICONS, word: string): string {
  return `<span class="mg-status-${kind}">${ICONS[kind]} ${word}</span>`;
}
