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

/** The card names the model's kind; an imported model's signature and lineage replace the training details. */
function modelDetails(manifest: ModelManifest, run: RunRecord | undefined): string[] {
  const e = (text: string) => escapeMarkdown(text);
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

/** A model card (Mitchell et al. 2019's sections, trimmed to what modelgate knows for certain). */
export function renderModelCard(input: {
  name: string;
  manifest: ModelManifest;
  version?: ModelVersion;
  report?: Report;
  release?: string;
}): string {
  const { manifest, version, report } = input;
  const run = RunRecord.safeParse(manifest.run);
  const e = (text: string) => escapeMarkdown(text);
  const lines: string[] = [
    `# Model card: ${e(input.name)}${version ? ` v${version.version}` : ""}`,
    "",
    "## Model details",
    "",
    `- Task: ${manifest.task}, predicting \`${e(manifest.target)}\`${manifest.classes ? ` (classes: ${manifest.classes.map(e).join(", ")})` : ""}`,
    ...modelDetails(manifest, run.success ? run.data : undefined),
    ...(input.release ? [`- Release: ${e(input.release)}`] : []),
    "",
    "## Intended use",
    "",
    `Scoring rows with the ${manifest.features.length} input features below, drawn from the same population as the training data. Raw values go in; ${manifest.kind === "modelgate-mlp" || manifest.signature.inputs.some((i) => i.layout === "encoded") ? "the preprocessing saved with the model is applied (standardisation, imputation, one-hot encoding)" : "the model's own graph does any preprocessing"}.`,
    "",
    markdownTable([["Feature", "Kind"], ...manifest.features.map((f) => [e(f.name), f.kind])]),
    "",
    "## Data",
    "",
  ];
  const data = run.success ? run.data.data : undefined;
  if (data?.train || data?.test) {
    lines.push(
      markdownTable([
        ["Part", "Rows", "Fingerprint", "File"],
        ...(["train", "test"] as const).flatMap((part) => {
          const d = data[part];
          return d ? [[part, String(d.rows), `\`${d.fingerprint.slice(0, 19)}\``, e(d.file)]] : [];
        }),
      ]),
    );
  } else lines.push("No data lineage was recorded with this model.");
  const metrics = report?.metrics ?? version?.metrics ?? {};
  lines.push("", "## Metrics", "");
  if (Object.keys(metrics).length > 0) {
    lines.push(
      markdownTable([
        ["Metric", "Value"],
        ...Object.entries(metrics).map(([k, v]) => [e(k), formatNumber(v)]),
      ]),
    );
  } else lines.push("No evaluation metrics were recorded.");
  if (report?.gates.length) {
    lines.push(
      "",
      "## Gates",
      "",
      markdownTable([
        ["Metric", "Rule", "Threshold", "Passed"],
        ...report.gates.map((g) => [e(g.metric), g.rule, formatNumber(g.threshold), g.passed ? "yes" : "no"]),
      ]),
    );
  }
  lines.push("", "## Lineage", "");
  const lineage = [
    ["Run", run.success ? run.data.id : version?.runId],
    ["Commit", run.success ? run.data.git?.commit : version?.commit],
    ["Config hash", version?.configHash],
    ["Registered", version?.createdAt],
  ].filter((row): row is [string, string] => typeof row[1] === "string");
  lines.push(
    lineage.length > 0
      ? markdownTable([["", ""], ...lineage.map(([k, v]) => [k, `\`${e(v)}\``])])
      : "Unknown.",
  );
  lines.push(
    "",
    "## Limitations",
    "",
    "- Predictions are only as good as the training data: rows unlike it (a new or missing category is encoded as the training mix of categories; numbers outside the training range are extrapolated) deserve scepticism. `modelgate drift` compares live data with this model's training profile (`profile.json`).",
    "- Metrics come from the held-out rows listed above and carry sampling error; the pull-request report shows their confidence intervals.",
    ...(manifest.task === "classification" ? ["- Probabilities are not calibrated."] : []),
    "",
  );
  return lines.join("\n");
}
