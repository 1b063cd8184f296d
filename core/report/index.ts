export { escapeHtml, escapeMarkdown } from "./escape.js";
export { formatDelta, formatNumber, formatPValue } from "./format.js";
export { REPORT_CSP, renderHtml } from "./html.js";
export { type MarkdownOptions, REPORT_MARKER, renderMarkdown } from "./markdown.js";
export { parseReport, parseReportText } from "./parse.js";
export {
  ClassMetrics,
  DataPart,
  Delta,
  Epoch,
  GateResult,
  GateRule,
  Override,
  REPORT_LIMITS,
  Report,
  type ReportInput,
  RunInfo,
} from "./schema.js";
