import { UserError } from "../../errors.js";
import type { NetworkPredictor as Predictor } from "../../model/predict.js";
import { encodedWidth } from "../../model/preprocess.js";
import { GraphBuilder } from "./builder.js";
import { BATCH, encodeFeatures, featureInputs } from "./encoding.js";
import { denseLayers, emitNetwork } from "./network.js";
import { DataType, encodeModel, type ValueInfo } from "./proto.js";

// ONNX 1.12's pairing (Debian bookworm's python3-onnx checks it): IR version 8, opset 17, ai.onnx.ml 3.
export const IR_VERSION = 8;
export const OPSET = 17;
export const ML_OPSET = 3;

export interface OnnxOptions {
  /** modelgate's version, recorded as the producer's. */
  producerVersion: string;
  /** The model folder's manifest, named in messages. */
  file: string;
}

export interface OnnxModel {
  bytes: Uint8Array;
  inputs: ValueInfo[];
  outputs: ValueInfo[];
}

/**
 * A modelgate model as one ONNX graph: one [N, 1] input per feature column, modelgate's preprocessing,
 * one Gemm and activation per Dense layer, then `label` and `probabilities` (classification) or `value`
 * (regression, in the target's units).
 */
export function toOnnx(predictor: Predictor, options: OnnxOptions): OnnxModel {
  const prep = predictor.preprocessor;
  const target = prep.target;
  const outputs: ValueInfo[] =
    target.task === "classification"
      ? [
          { name: "label", type: DataType.string, shape: [BATCH, 1], doc: "the most probable class" },
          {
            name: "probabilities",
            type: DataType.float,
            shape: [BATCH, target.classes.length],
            doc: "one column per class, in the order of the metadata's modelgate.classes",
          },
        ]
      : [{ name: "value", type: DataType.double, shape: [BATCH, 1], doc: `predicted ${target.name}` }];
  const dated = prep.features.find((f) => f.kind === "datetime");
  if (dated) {
    throw new UserError(
      `feature "${dated.name}" is a date (expanded into year, month, day of week and hour), which the ONNX export does not encode yet; set data.dates: exclude (or leave the column out of data.features) and retrain to export`,
      { file: options.file, field: "data.dates" },
    );
  }
  const clash = prep.features.find((f) => outputs.some((o) => o.name === f.name));
  if (clash) {
    throw new UserError(
      `feature "${clash.name}" has the name of an ONNX output (${outputs.map((o) => o.name).join(", ")}); rename the column and retrain to export`,
      { file: options.file },
    );
  }
  const layers = denseLayers(predictor.model, options.file);
  checkWidths(predictor, layers, options.file);
  const inputs = featureInputs(prep);
  const b = new GraphBuilder([...inputs, ...outputs].map((v) => v.name));
  const last = emitNetwork(b, encodeFeatures(b, prep), layers);
  if (target.task === "classification") {
    b.op("Identity", [last], { output: "probabilities" });
    const best = b.op("ArgMax", [last], {
      attributes: [
        { name: "axis", i: 1 },
        { name: "keepdims", i: 1 },
      ],
      hint: "best_class",
    });
    const classes = b.constant("classes", { type: DataType.string, values: target.classes });
    b.op("Gather", [classes, best], { output: "label" });
  } else {
    // encode.ts's unscaling, in float64 as predict.ts does it.
    const scaled = b.op("Mul", [
      b.cast(last, DataType.double),
      b.constant("target_std", { type: DataType.double, values: Float64Array.of(target.std) }, []),
    ]);
    const mean = b.constant(
      "target_mean",
      { type: DataType.double, values: Float64Array.of(target.mean) },
      [],
    );
    b.op("Add", [scaled, mean], { output: "value" });
  }
  const bytes = encodeModel({
    irVersion: IR_VERSION,
    opsets: [
      { domain: "", version: OPSET },
      { domain: "ai.onnx.ml", version: ML_OPSET },
    ],
    producerName: "modelgate",
    producerVersion: options.producerVersion,
    doc: `modelgate ${target.task} model for "${target.name}", preprocessing included: feed raw column values.`,
    graph: { name: "modelgate", nodes: b.nodes, initializers: b.initializers, inputs, outputs },
    metadata: metadataOf(predictor),
  });
  return { bytes, inputs, outputs };
}

function checkWidths(predictor: Predictor, layers: ReturnType<typeof denseLayers>, file: string): void {
  const target = predictor.preprocessor.target;
  const width = encodedWidth(predictor.preprocessor.features);
  const classes = target.task === "classification" ? target.classes.length : 1;
  const problem =
    layers.length === 0
      ? "the network has no layers"
      : layers[0]!.inputs !== width
        ? `the network takes ${layers[0]!.inputs} inputs but the preprocessing makes ${width}`
        : layers.some((l, i) => i > 0 && l.inputs !== layers[i - 1]!.units)
          ? "the layers' sizes do not chain"
          : layers.at(-1)!.units !== classes
            ? `the network gives ${layers.at(-1)!.units} outputs; the target needs ${classes}`
            : undefined;
  if (problem) throw new UserError(`cannot export: ${problem}`, { file });
}

/** What a serving stack needs to read the outputs: the class order and each input's meaning. */
function metadataOf(predictor: Predictor): Record<string, string> {
  const { features, target } = predictor.preprocessor;
  return {
    "modelgate.task": target.task,
    "modelgate.target": target.name,
    ...(target.task === "classification" ? { "modelgate.classes": JSON.stringify(target.classes) } : {}),
    "modelgate.features": JSON.stringify(
      features.map((f) => ({
        name: f.name,
        kind: f.kind,
        type: f.kind === "categorical" ? "string" : "float64",
      })),
    ),
  };
}
