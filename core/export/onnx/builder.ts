import type { Attribute, DataType, Node, Tensor, TensorValues } from "./proto.js";

/**
 * Collects a graph's nodes and constants, handing out value names that never clash with each other or
 * with the names reserved for the graph's inputs and outputs (column names are the user's choice).
 */
export class GraphBuilder {
  readonly nodes: Node[] = [];
  readonly initializers: Tensor[] = [];
  private readonly used = new Set<string>();

  constructor(reserved: Iterable<string>) {
    for (const name of reserved) this.used.add(name);
  }

  /** A value or node name not used before, derived from `hint`. */
  fresh(hint: string): string {
    let name = hint;
    for (let n = 1; this.used.has(name); n++) name = `${hint}_${n}`;
    this.used.add(name);
    return name;
  }

  /** A constant; `dims` [] makes a scalar. Returns its value name. */
  constant(hint: string, values: TensorValues, dims: number[] = [values.values.length]): string {
    const name = this.fresh(hint);
    this.initializers.push({ ...values, name, dims } as Tensor);
    return name;
  }

  /**
   * Adds one node and returns its output's name: `output` when the graph must expose it under that
   * (reserved) name, else a fresh one.
   */
  op(
    opType: string,
    inputs: string[],
    options: { attributes?: Attribute[]; domain?: string; output?: string; hint?: string } = {},
  ): string {
    const output = options.output ?? this.fresh(options.hint ?? opType.toLowerCase());
    this.nodes.push({
      opType,
      inputs,
      outputs: [output],
      name: this.fresh(`${opType}_node`),
      ...(options.domain ? { domain: options.domain } : {}),
      ...(options.attributes ? { attributes: options.attributes } : {}),
    });
    return output;
  }

  cast(input: string, to: DataType, output?: string): string {
    return this.op("Cast", [input], { attributes: [{ name: "to", i: to }], ...(output ? { output } : {}) });
  }

  /** Concatenation along axis 1, skipped for a single part. */
  concat(parts: string[], hint: string): string {
    if (parts.length === 1) return parts[0]!;
    return this.op("Concat", parts, { attributes: [{ name: "axis", i: 1 }], hint });
  }
}
