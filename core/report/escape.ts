/**
 * Escaping for strings that came from a report, which may come from a fork pull request.
 *
 * Markdown metacharacters become numeric character references rather than backslash escapes:
 * CommonMark never reads a reference as structure, and references also work inside the HTML
 * blocks of a comment (`<summary>`), where backslashes would show literally.
 */

// Bidi overrides and zero-width marks can make a string read differently from what it is.
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is being removed
const CONTROL = /[\u0000-\u0008\u000e-\u001f\u007f]/g;
const WHITESPACE = /[\s\u2028\u2029]+/g;

const MARKDOWN_SPECIAL = /[\\`*_{}[\]()<>#!|~&$]/g;
// Where the string opens a line (a list item), "- ", "1. ", "=" or "+" would start a list or a heading.
const LEADING = /^(?:[-+=]|[0-9]{1,9}[.)](?:\s|$))/;

/** One line, no invisible or control characters, at most `max` characters. */
export function cleanText(text: string, max = Number.POSITIVE_INFINITY): string {
  const line = text.replace(CONTROL, "").replace(INVISIBLE, "").replace(WHITESPACE, " ").trim();
  return line.length > max ? `${line.slice(0, Math.max(0, max - 1))}…` : line;
}

/**
 * Makes untrusted text inert in a GitHub comment: no links, images, HTML, mentions, tables or
 * formatting; newlines collapsed. Safe in table cells, headings, list items and `<summary>`.
 */
export function escapeMarkdown(text: string, max?: number): string {
  const escaped = cleanText(text, max)
    .replace(MARKDOWN_SPECIAL, (char) => `&#${char.charCodeAt(0)};`)
    .replace(LEADING, (start) => `&#${start.charCodeAt(0)};${start.slice(1)}`)
    // GitHub finds mentions in the rendered text, where a reference is already '@' again;
    // a zero-width space after it keeps `@everyone` from pinging anyone (what Dependabot does).
    .replace(/@/g, "@&#8203;")
    // Bare URLs are autolinked the same way; break the scheme so none becomes clickable.
    .replace(/:\/\//g, ":&#8203;//")
    .replace(/\bwww\./gi, (www) => `${www.slice(0, 3)}&#8203;.`)
    // Issue references (#123, owner/repo#123, GH-123) would link, and notify, another thread.
    .replace(/&#35;(?=[0-9])/g, "&#35;&#8203;")
    .replace(/\b(GH)-(?=[0-9])/gi, "$1&#8203;-");
  return escaped;
}

const HTML_SPECIAL: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** For text and attribute values in the HTML report. */
export function escapeHtml(text: string, max?: number): string {
  return cleanText(text, max).replace(/[&<>"']/g, (char) => HTML_SPECIAL[char] ?? char);
}
