import { BinaryReader } from "@protobuf-ts/runtime";
import * as ort from "onnxruntime-web";
import type { Feed } from "../../core/export/onnx/feeds.js";

// Node has no cross-origin isolation to speak of; one thread keeps the tests off the other cores.
ort.env.wasm.numThreads = 1;

/** Runs an ONNX model on ONNX Runtime's web (wasm) build, each feed as an [N, 1] column. */
export async function runOnnx(
  bytes: Uint8Array,
  feeds: Record<string, Feed>,
): Promise<Record<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const tensors = Object.fromEntries(
      Object.entries(feeds).map(([name, feed]) => [
        name,
        feed.type === "float64"
          ? new ort.Tensor("float64", feed.values, [feed.values.length, 1])
          : new ort.Tensor("string", feed.values, [feed.values.length, 1]),
      ]),
    );
    return await session.run(tensors);
  } finally {
    await session.release();
  }
}

export interface ModelHeader {
  irVersion: number;
  opsets: Record<string, number>;
  producer: string;
  metadata: Record<string, string>;
}

/** ModelProto's top-level fields read back with protobuf-ts's reader (field numbers from onnx.proto). */
export function readHeader(bytes: Uint8Array): ModelHeader {
  const header: ModelHeader = { irVersion: 0, opsets: {}, producer: "", metadata: {} };
  const reader = new BinaryReader(bytes);
  while (reader.pos < reader.len) {
    const [field, wire] = reader.tag();
    if (field === 1) header.irVersion = Number(reader.int64().toBigInt());
    else if (field === 2) header.producer = reader.string();
    else if (field === 8 || field === 14) {
      const pair = pairOf(reader.bytes(), field === 8);
      if (field === 8) header.opsets[pair[0]] = Number(pair[1]);
      else header.metadata[pair[0]] = pair[1];
    } else reader.skip(wire);
  }
  return header;
}

/** OperatorSetIdProto (domain, version) or StringStringEntryProto (key, value): fields 1 and 2. */
function pairOf(bytes: Uint8Array, numeric: boolean): [string, string] {
  const reader = new BinaryReader(bytes);
  const pair: [string, string] = ["", ""];
  while (reader.pos < reader.len) {
    const [field, wire] = reader.tag();
    if (field === 1) pair[0] = reader.string();
    else if (field === 2) pair[1] = numeric ? reader.int64().toString() : reader.string();
    else reader.skip(wire);
  }
  return pair;
}
