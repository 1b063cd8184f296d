import { markdownTable } from "markdown-table";
import type { ModelManifest } from "../model/index.js";
import type { ModelVersion } from "../registry/index.js";
import { escapeMarkdown, formatNumber, type Report } from "../report/index.js";
import { RunRecord } from "../tracking/schema.js";

const KIND_NAMES: Record<ModelManifest["kind"], string> = {
  "modelgate-mlp": "modelgate-mlp (a multilayer perceptron trained by modelgate)",
  onnx: "onnx (an imported ONNX graph)",
  "tfjs-layers": "tfjs-layers (an imported TensorFlow.js LayersModel)",
  "tfjs-graph": "tfjs-graph (an imported TensorFlow.js GraphModel)",
};

const e = (text: string) => escapeMarkdown(text);

/** The card names the model's kind; an imported model's signature and lineage replace the training details. */
function modelDetails(manifest: ModelManifest, run: RunRecord | undefined): string[] {
  const kind = `- Kind: ${KIND_NAMES[manifest.kind]}`;
  if (manifest.kind === "modelgate-mlp") {
    const c = manifest.config;
    return [
      kind,
      `- Architecture: multilayer perceptron, hidden layers [${c.hidden.join(", ")}], ${c.activation}, dropout ${c.dropout}, ${c.optimizer} at ${c.learningRate}`,
      `- Trained with TensorFlow.js on the \`${e(manifest.backend)}\` backend${run ? ` in ${((run.durationMs ?? 0) / 1000).toFixed(1)} s, ${run.history.length} epochs` : ""}`,
    ];
  }
  const { signature, lineage } = manifest;
  const inputs = signature.inputs.map(
    (i) => `\`${e(i.name)}\` (${i.layout}, ${i.dtype}: ${i.columns.map(e).join(", ")})`,
  );
  return [
    kind,
    `- Inputs: ${inputs.join("; ")}; output \`${e(signature.output)}\``,
    `- Imported from \`${e(lineage.source)}\` on ${e(lineage.importedAt)}${lineage.importedBy ? ` by ${e(lineage.importedBy)}` : ""}${lineage.commit ? ` at commit \`${e(lineage.commit.slice(0, 12))}\`` : ""}; scored with \`${e(manifest.backend)}\``,
  ];
}

const section = (title: string, body: string[]) => ["", `## ${title}`, "", ...body];

/** A model card (Mitchell et al. 2019's sections, trimmed to what modelgate knows for certain). */
export function renderModelCard(input: {
  name: string;
  manifest: ModelManifest;
  version?: ModelVersion;
  report?: Report;
  release?: string;
}): string {
  const { manifest, version, report } = input;
  const parsed = RunRecord.safeParse(manifest.run);
  const run = parsed.success ? parsed.data : undefined;
  return [
    `# Model card: ${e(input.name)}${version ? ` v${version.version}` : ""}`,
    ...section("Model details", [
      `- Task: ${manifest.task}, predicting \`${e(manifest.target)}\`${manifest.classes ? ` (classes: ${manifest.classes.map(e).join(", ")})` : ""}`,
      ...modelDetails(manifest, run),
      ...(input.release ? [`- Release: ${e(input.release)}`] : []),
    ]),
    ...section("Intended use", intendedUse(manifest)),
    ...section("Data", [dataTable(run)]),
    ...section("Metrics", [metricsTable(report?.metrics ?? version?.metrics ?? {})]),
    ...(report?.gates.length ? section("Gates", [gatesTable(report)]) : []),
    ...section("Lineage", [lineageTable(run, version)]),
    ...section("Limitations", limitations(manifest)),
    "",
  ].join("\n");
}

function intendedUse(manifest: ModelManifest): string[] {
  const preprocessed =
    manifest.kind === "modelgate-mlp" || manifest.signature.inputs.some((i) => i.layout === "encoded");
  return [
    `Scoring rows with the ${manifest.features.length} input features below, drawn from the same population as the training data. Raw values go in; ${preprocessed ? "the preprocessing saved with the model is applied (standardisation, imputation, one-hot encoding)" : "the model's own graph does any preprocessing"}.`,
    "",
    markdownTable([["Feature", "Kind"], ...manifest.features.map((f) => [e(f.name), f.kind])]),
  ];
}

function dataTable(run: RunRecord | undefined): string {
  const data = run?.data;
  if (!data?.train && !data?.test) return "No data lineage was recorded with this model.";
  return markdownTable([
    ["Part", "Rows", "Fingerprint", "File"],
    ...(["train", "test"] as const).flatMap((part) => {
      const d = data[part];
      return d ? [[part, String(d.rows), `\`${d.fingerprint.slice(0, 19)}\``, e(d.file)]] : [];
    }),
  ]);
}

function metricsTable(metrics: Record<string, number>): string {
  if (Object.keys(metrics).length === 0) return "No evaluation metrics were recorded.";
  return markdownTable([
    ["Metric", "Value"],
    ...Object.entries(metrics).map(([k, v]) => [e(k), formatNumber(v)]),
  ]);
}

function gatesTable(report: Report): string {
  return markdownTable([
    ["Metric", "Rule", "Threshold", "Passed"],
    ...report.gates.map((g) => [e(g.metric), g.rule, formatNumber(g.threshold), g.passed ? "yes" : "no"]),
  ]);
}

function lineageTable(run: RunRecord | undefined, version: ModelVersion | undefined): string {
  const lineage = [
    ["Run", run ? run.id : version?.runId],
    ["Commit", run ? run.git?.commit : version?.commit],
    ["Config hash", version?.configHash],
    ["Registered", version?.createdAt],
  ].filter((row): row is [string, string] => typeof row[1] === "string");
  if (lineage.length === 0) return "Unknown.";
  return markdownTable([["", ""], ...lineage.map(([k, v]) => [k, `\`${e(v)}\``])]);
}

function limitations(manifest: ModelManifest): string[] {
  return [
    "- Predictions are only as good as the training data: rows unlike it (a new or missing category is encoded as the training mix of categories; numbers outside the training range are extrapolated) deserve scepticism. `modelgate drift` compares live data with this model's training profile (`profile.json`).",
    "- Metrics come from the held-out rows listed above and carry sampling error; the pull-request report shows their confidence intervals.",
    ...(manifest.task === "classification" ? ["- Probabilities are not calibrated."] : []),
  ];
}
