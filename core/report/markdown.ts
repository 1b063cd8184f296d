import { classesBySupport } from "./format.js";
import {
  confusionTable,
  dataDiffSection,
  dataSummary,
  details,
  gatesTable,
  metricsTable,
  perClassTable,
  runDetails,
  trainingCurve,
  verdict,
} from "./markdown-sections.js";
import type { Report } from "./schema.js";

/** The first line of every modelgate comment; the bot finds its own comment by it. */
export const REPORT_MARKER = "<!-- modelgate:report -->";

export interface MarkdownOptions {
  /** GitHub refuses comments over 65,536 characters; the default leaves room for the bot's own lines. */
  maxChars?: number;
}

/** How much of each big table is shown; `undefined` means all of it. */
interface Cut {
  confusion?: number;
  perClass?: number;
  /** Sections dropped whole, when even empty tables do not fit. */
  dropped: Set<Optional>;
}
type Optional = "curve" | "data" | "run" | "gates" | "metrics";
/** Dropped in this order; the verdict is never dropped. */
const DROP_ORDER: Optional[] = ["curve", "run", "data", "metrics", "gates"];
const MIN_CONFUSION = 2;

/** The pull-request comment: verdict first, the long parts folded, always under `maxChars`. */
export function renderMarkdown(report: Report, { maxChars = 60_000 }: MarkdownOptions = {}): string {
  const fits = (cut: Cut) => compose(report, cut).length <= maxChars;
  const cut: Cut = { dropped: new Set() };
  if (fits(cut)) return compose(report, cut);

  // The confusion matrix grows with the square of the class count, so it gives way first.
  const classes = report.confusionMatrix ? (report.classes?.length ?? 0) : 0;
  cut.confusion = largest(MIN_CONFUSION, classes - 1, (n) => fits({ ...cut, confusion: n })) ?? 0;
  if (cut.confusion > 0) return compose(report, cut);

  if (fits(cut)) return compose(report, cut);
  const perClass = report.perClass?.length ?? 0;
  cut.perClass = largest(1, perClass - 1, (n) => fits({ ...cut, perClass: n })) ?? 0;
  if (fits(cut)) return compose(report, cut);

  for (const section of DROP_ORDER) {
    cut.dropped.add(section);
    if (fits(cut)) return compose(report, restore(cut, fits));
  }
  return hardCut(compose(report, cut), maxChars);
}

/** Sections dropped early may fit again once a later, bigger one is gone. */
function restore(cut: Cut, fits: (cut: Cut) => boolean): Cut {
  for (const section of [...cut.dropped].reverse()) {
    const dropped = new Set(cut.dropped);
    dropped.delete(section);
    if (fits({ ...cut, dropped })) cut = { ...cut, dropped };
  }
  return cut;
}

/** The largest n in [lo, hi] for which `ok(n)` holds, assuming `ok` only turns false as n grows. */
function largest(lo: number, hi: number, ok: (n: number) => boolean): number | undefined {
  let best: number | undefined;
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (ok(mid)) {
      best = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return best;
}

function compose(report: Report, cut: Cut): string {
  const parts = [REPORT_MARKER, verdict(report)];
  const dropped = (section: Optional) => cut.dropped.has(section);
  const omitted: string[] = [];

  // A reviewer reads the data change before the metrics it explains.
  const dataDiff = dataDiffSection(report);
  if (dataDiff) parts.push(dataDiff);
  if (dropped("gates")) omitted.push("gates");
  else parts.push(details(`Gates (${report.gates.length})`, gatesTable(report), !report.passed));
  if (dropped("metrics")) omitted.push("metrics");
  else parts.push("#### Metrics", metricsTable(report));

  const confusion = confusionSection(report, cut.confusion);
  if (confusion) parts.push(confusion);
  const perClass = perClassSection(report, cut.perClass);
  if (perClass) parts.push(perClass);

  const data = dataSummary(report);
  if (data && dropped("data")) omitted.push("data summary");
  else if (data) parts.push(details("Data", data));
  const curve = trainingCurve(report);
  if (curve && dropped("curve")) omitted.push("training curve");
  else if (curve) parts.push(details("Training curve", curve));
  if (dropped("run")) omitted.push("run details");
  else parts.push(details("Run details", runDetails(report)));

  if (omitted.length) {
    parts.push(
      `> [!NOTE]\n> Left out to stay within GitHub's comment size: ${omitted.join(", ")}. See the HTML report.`,
    );
  }
  return parts.join("\n\n");
}

function confusionSection(report: Report, limit: number | undefined): string {
  const classes = report.classes ?? [];
  if (!report.confusionMatrix || classes.length === 0) return "";
  const total = classes.length;
  if (limit === 0) {
    return `> [!NOTE]\n> Confusion matrix (${total} × ${total}) left out: too large for a comment. See the HTML report.`;
  }
  if (limit === undefined || limit >= total) {
    return details(
      `Confusion matrix (${total} classes)`,
      confusionTable(
        report,
        classes.map((_, i) => i),
      ),
    );
  }
  const shown = classesBySupport(report).slice(0, limit);
  shown.sort((a, b) => a - b);
  const note = `_Confusion matrix cut to the ${limit} classes with the most test rows; ${total - limit} of ${total} classes left out. See the HTML report._`;
  return details(
    `Confusion matrix (${limit} of ${total} classes)`,
    `${note}\n\n${confusionTable(report, shown)}`,
  );
}

function perClassSection(report: Report, limit: number | undefined): string {
  const perClass = report.perClass ?? [];
  if (perClass.length === 0) return "";
  const total = perClass.length;
  if (limit === 0) {
    return `> [!NOTE]\n> Per-class metrics (${total} classes) left out: too large for a comment. See the HTML report.`;
  }
  if (limit === undefined || limit >= total) {
    return details(
      `Per-class metrics (${total} classes)`,
      perClassTable(
        report,
        perClass.map((_, i) => i),
      ),
    );
  }
  // When cut, the weakest classes are the ones a reviewer needs to see.
  const shown = perClass
    .map((row, i) => ({ f1: row.f1, i }))
    .sort((a, b) => a.f1 - b.f1 || a.i - b.i)
    .slice(0, limit)
    .map(({ i }) => i);
  const note = `_Per-class table cut to the ${limit} classes with the lowest F1; ${total - limit} of ${total} classes left out. See the HTML report._`;
  return details(
    `Per-class metrics (${limit} of ${total} classes)`,
    `${note}\n\n${perClassTable(report, shown)}`,
  );
}

/** Last resort: cut at a line boundary, closing any folded section left open. */
function hardCut(text: string, maxChars: number): string {
  const note = "\n\n</details>\n\n_Report cut to fit in a comment. See the HTML report._";
  const head = text.slice(0, Math.max(0, maxChars - note.length));
  const atLine = head.slice(0, Math.max(head.lastIndexOf("\n"), REPORT_MARKER.length));
  const open = (atLine.match(/<details/g) ?? []).length > (atLine.match(/<\/details>/g) ?? []).length;
  return atLine + (open ? note : note.replace("\n\n</details>", ""));
}
