/**
 * A minimal WebAssembly binary writer: enough to emit the training kernels at run time without a
 * toolchain (no wat2wasm, no clang in the build). Opcodes are the core and fixed-width SIMD specs'.
 */

export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;
export type ValueType = typeof I32 | typeof F32 | typeof V128;

function uleb(value: number, out: number[]): void {
  let v = value >>> 0;
  do {
    const byte = v & 0x7f;
    v >>>= 7;
    out.push(v === 0 ? byte : byte | 0x80);
  } while (v !== 0);
}

function sleb(value: number, out: number[]): void {
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return;
  }
}

/**
 * Emits one function body; locals are numbered after the parameters, in declaration order. Parameters and
 * locals are named so that the module's text rendering (kernels.wat) reads like the generator.
 */
export class Body {
  readonly code: number[] = [];
  private readonly locals: Array<{ type: ValueType; name: string }> = [];

  constructor(readonly params: readonly string[]) {}

  local(type: ValueType, name: string): number {
    this.locals.push({ type, name });
    return this.params.length + this.locals.length - 1;
  }

  /** Every parameter's and local's name, by index. */
  names(): string[] {
    return [...this.params, ...this.locals.map((local) => local.name)];
  }

  op(...bytes: number[]): this {
    this.code.push(...bytes);
    return this;
  }
  get(index: number): this {
    return this.immediate(0x20, index, uleb);
  }
  set(index: number): this {
    return this.immediate(0x21, index, uleb);
  }
  i32(value: number): this {
    return this.immediate(0x41, value, sleb);
  }
  /** An opcode and its LEB128 immediate. */
  private immediate(opcode: number, value: number, encode: typeof uleb): this {
    this.code.push(opcode);
    encode(value, this.code);
    return this;
  }
  f32(value: number): this {
    this.code.push(0x43, ...new Uint8Array(new Float32Array([value]).buffer));
    return this;
  }
  /** A SIMD instruction (0xfd prefix), with a memarg when it touches memory. */
  simd(opcode: number, offset?: number): this {
    this.code.push(0xfd);
    uleb(opcode, this.code);
    if (offset !== undefined) this.memarg(offset);
    return this;
  }
  /** f32.load / f32.store (and other plain memory ops) with a constant byte offset. */
  mem(opcode: number, offset: number): this {
    this.code.push(opcode);
    return this.memarg(offset);
  }
  private memarg(offset: number): this {
    // Alignment hint 0: rows of odd widths are not 16-byte aligned, and the hint must not overstate.
    this.code.push(0);
    uleb(offset, this.code);
    return this;
  }

  /** `local += step` for an i32 local and an i32 local or constant step. */
  addTo(index: number, step: { local: number } | number): this {
    this.get(index);
    if (typeof step === "number") this.i32(step);
    else this.get(step.local);
    return this.op(OP.i32Add).set(index);
  }

  encode(): number[] {
    const out: number[] = [];
    const groups: Array<[number, ValueType]> = [];
    for (const { type } of this.locals) {
      const last = groups.at(-1);
      if (last && last[1] === type) last[0]++;
      else groups.push([1, type]);
    }
    uleb(groups.length, out);
    for (const [count, type] of groups) {
      uleb(count, out);
      out.push(type);
    }
    out.push(...this.code, 0x0b);
    return out;
  }
}

export const OP = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  void: 0x40,
  select: 0x1b,
  i32Eqz: 0x45,
  i32Ne: 0x47,
  i32GtS: 0x4a,
  i32LeS: 0x4c,
  i32GeS: 0x4e,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32And: 0x71,
  i32Shl: 0x74,
  f32Load: 0x2a,
  f32Store: 0x38,
  f32Gt: 0x5e,
  f32Add: 0x92,
  f32Mul: 0x94,
  f32Max: 0x97,
} as const;

export const SIMD = {
  load: 0x00,
  load32Splat: 0x09,
  store: 0x0b,
  splat: 0x13,
  gt: 0x44,
  and: 0x4e,
  sqrt: 0xe3,
  add: 0xe4,
  sub: 0xe5,
  mul: 0xe6,
  div: 0xe7,
  max: 0xe9,
} as const;

function section(id: number, content: number[], out: number[]): void {
  out.push(id);
  uleb(content.length, out);
  out.push(...content);
}

function name(text: string, out: number[]): void {
  const bytes = new TextEncoder().encode(text);
  uleb(bytes.length, out);
  out.push(...bytes);
}

/** The custom "name" section: function names (subsection 1) and their parameters' and locals' (2). */
function nameSection(functions: Array<{ name: string; body: Body }>, out: number[]): void {
  const content: number[] = [];
  name("name", content);
  const functionNames: number[] = [];
  uleb(functions.length, functionNames);
  const localNames: number[] = [];
  uleb(functions.length, localNames);
  functions.forEach((f, i) => {
    uleb(i, functionNames);
    name(f.name, functionNames);
    uleb(i, localNames);
    const names = f.body.names();
    uleb(names.length, localNames);
    names.forEach((local, index) => {
      uleb(index, localNames);
      name(local, localNames);
    });
  });
  section(1, functionNames, content);
  section(2, localNames, content);
  section(0, content, out);
}

/** A module of i32-parameter, result-less functions over one imported memory `env.memory`. */
export function moduleBytes(functions: Array<{ name: string; body: Body }>): Uint8Array {
  const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const types: number[] = [];
  uleb(functions.length, types);
  for (const f of functions) {
    types.push(0x60);
    uleb(f.body.params.length, types);
    for (let i = 0; i < f.body.params.length; i++) types.push(I32);
    types.push(0);
  }
  section(1, types, out);
  const imports: number[] = [1];
  name("env", imports);
  name("memory", imports);
  imports.push(0x02, 0x00, 1);
  section(2, imports, out);
  const declared: number[] = [];
  uleb(functions.length, declared);
  for (let i = 0; i < functions.length; i++) uleb(i, declared);
  section(3, declared, out);
  const exports: number[] = [];
  uleb(functions.length, exports);
  functions.forEach((f, i) => {
    name(f.name, exports);
    exports.push(0x00);
    uleb(i, exports);
  });
  section(7, exports, out);
  const code: number[] = [];
  uleb(functions.length, code);
  for (const f of functions) {
    const body = f.body.encode();
    uleb(body.length, code);
    code.push(...body);
  }
  section(10, code, out);
  nameSection(functions, out);
  return Uint8Array.from(out);
}
