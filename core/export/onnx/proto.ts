import { BinaryWriter, WireType } from "@protobuf-ts/runtime";

/**
 * The ONNX messages an export writes, encoded with protobuf-ts's BinaryWriter. Only the fields used are
 * here; their numbers are onnx.proto's (onnx/onnx.proto, IR version 8), which never renumbers a field.
 */

/** TensorProto.DataType. */
export const DataType = { float: 1, int64: 7, string: 8, bool: 9, double: 11 } as const;
export type DataType = (typeof DataType)[keyof typeof DataType];

export type TensorValues =
  | { type: typeof DataType.float; values: Float32Array }
  | { type: typeof DataType.double; values: Float64Array }
  | { type: typeof DataType.int64; values: BigInt64Array }
  | { type: typeof DataType.string; values: string[] };

export type Tensor = TensorValues & { name: string; dims: number[] };

export type Attribute =
  | { name: string; f: number }
  | { name: string; i: number }
  | { name: string; s: string }
  | { name: string; t: Tensor }
  | { name: string; ints: number[] }
  | { name: string; strings: string[] };

export interface Node {
  opType: string;
  inputs: string[];
  outputs: string[];
  name: string;
  domain?: string;
  attributes?: Attribute[];
}

/** A tensor's type; a string dimension is symbolic (the batch size "N"). */
export interface ValueInfo {
  name: string;
  type: DataType;
  shape: Array<number | string>;
  doc?: string;
}

export interface Graph {
  name: string;
  nodes: Node[];
  initializers: Tensor[];
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  doc?: string;
}

export interface Model {
  irVersion: number;
  opsets: Array<{ domain: string; version: number }>;
  producerName: string;
  producerVersion: string;
  doc?: string;
  graph: Graph;
  metadata: Record<string, string>;
}

/** AttributeProto.AttributeType. */
const AttributeType = { float: 1, int: 2, string: 3, tensor: 4, ints: 7, strings: 8 } as const;
const LEN = WireType.LengthDelimited;
const utf8 = new TextEncoder();

export function encodeModel(model: Model): Uint8Array {
  const w = new BinaryWriter();
  w.tag(1, WireType.Varint).int64(model.irVersion);
  w.tag(2, LEN).string(model.producerName);
  w.tag(3, LEN).string(model.producerVersion);
  if (model.doc) w.tag(6, LEN).string(model.doc);
  delimited(w, 7, () => writeGraph(w, model.graph));
  for (const opset of model.opsets) {
    delimited(w, 8, () => {
      w.tag(1, LEN).string(opset.domain);
      w.tag(2, WireType.Varint).int64(opset.version);
    });
  }
  for (const [key, value] of Object.entries(model.metadata)) {
    delimited(w, 14, () => {
      w.tag(1, LEN).string(key);
      w.tag(2, LEN).string(value);
    });
  }
  return w.finish();
}

/** A length-delimited field (a sub-message or a packed list) written in place by `body`. */
function delimited(w: BinaryWriter, field: number, body: () => void): void {
  w.tag(field, LEN).fork();
  body();
  w.join();
}

function writeGraph(w: BinaryWriter, graph: Graph): void {
  for (const node of graph.nodes) delimited(w, 1, () => writeNode(w, node));
  w.tag(2, LEN).string(graph.name);
  for (const tensor of graph.initializers) delimited(w, 5, () => writeTensor(w, tensor));
  if (graph.doc) w.tag(10, LEN).string(graph.doc);
  for (const input of graph.inputs) delimited(w, 11, () => writeValueInfo(w, input));
  for (const output of graph.outputs) delimited(w, 12, () => writeValueInfo(w, output));
}

function writeNode(w: BinaryWriter, node: Node): void {
  for (const input of node.inputs) w.tag(1, LEN).string(input);
  for (const output of node.outputs) w.tag(2, LEN).string(output);
  w.tag(3, LEN).string(node.name);
  w.tag(4, LEN).string(node.opType);
  for (const attribute of node.attributes ?? []) delimited(w, 5, () => writeAttribute(w, attribute));
  if (node.domain) w.tag(7, LEN).string(node.domain);
}

function writeAttribute(w: BinaryWriter, a: Attribute): void {
  w.tag(1, LEN).string(a.name);
  if ("f" in a) {
    w.tag(2, WireType.Bit32).float(a.f);
    w.tag(20, WireType.Varint).int32(AttributeType.float);
  } else if ("i" in a) {
    w.tag(3, WireType.Varint).int64(a.i);
    w.tag(20, WireType.Varint).int32(AttributeType.int);
  } else if ("s" in a) {
    w.tag(4, LEN).bytes(utf8.encode(a.s));
    w.tag(20, WireType.Varint).int32(AttributeType.string);
  } else if ("t" in a) {
    delimited(w, 5, () => writeTensor(w, a.t));
    w.tag(20, WireType.Varint).int32(AttributeType.tensor);
  } else if ("ints" in a) {
    delimited(w, 8, () => {
      for (const v of a.ints) w.int64(v);
    });
    w.tag(20, WireType.Varint).int32(AttributeType.ints);
  } else {
    for (const s of a.strings) w.tag(9, LEN).bytes(utf8.encode(s));
    w.tag(20, WireType.Varint).int32(AttributeType.strings);
  }
}

function writeTensor(w: BinaryWriter, t: Tensor): void {
  if (t.dims.length > 0) {
    delimited(w, 1, () => {
      for (const d of t.dims) w.int64(d);
    });
  }
  w.tag(2, WireType.Varint).int32(t.type);
  if (t.type === DataType.string) {
    for (const s of t.values) w.tag(6, LEN).bytes(utf8.encode(s));
  }
  w.tag(8, LEN).string(t.name);
  // Numbers go in raw_data: little-endian bytes, exactly the values given (onnx.proto's recommended form).
  if (t.type !== DataType.string) w.tag(9, LEN).bytes(littleEndian(t.values));
}

function littleEndian(values: Float32Array | Float64Array | BigInt64Array): Uint8Array {
  const view = new DataView(new ArrayBuffer(values.length * values.BYTES_PER_ELEMENT));
  values.forEach((v: number | bigint, i: number) => {
    if (typeof v === "bigint") view.setBigInt64(i * 8, v, true);
    else if (values instanceof Float32Array) view.setFloat32(i * 4, v, true);
    else view.setFloat64(i * 8, v, true);
  });
  return new Uint8Array(view.buffer);
}

function writeValueInfo(w: BinaryWriter, info: ValueInfo): void {
  w.tag(1, LEN).string(info.name);
  delimited(w, 2, () =>
    // TypeProto.tensor_type: elem_type and shape.
    delimited(w, 1, () => {
      w.tag(1, WireType.Varint).int32(info.type);
      delimited(w, 2, () => {
        for (const dim of info.shape) {
          delimited(w, 1, () => {
            if (typeof dim === "number") w.tag(1, WireType.Varint).int64(dim);
            else w.tag(2, LEN).string(dim);
          });
        }
      });
    }),
  );
  if (info.doc) w.tag(3, LEN).string(info.doc);
}
