/**
 * A tiny WebAssembly assembler: enough of the binary format (LEB128, sections, imports, exports,
 * function bodies, the SIMD prefix) to emit small numeric kernels from TypeScript at load time.
 * No external tools and no committed binaries: the bytes are built here and compiled with
 * `new WebAssembly.Module(bytes)`.
 */

/** Value types. */
export const I32 = 0x7f
export const I64 = 0x7e
export const F32 = 0x7d
export const F64 = 0x7c
export const V128 = 0x7b
export type ValType = typeof I32 | typeof I64 | typeof F32 | typeof F64 | typeof V128

/** Core opcodes used by the kernels (one byte each). */
export const Op = {
  unreachable: 0x00,
  nop: 0x01,
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  return: 0x0f,
  drop: 0x1a,
  select: 0x1b,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Load: 0x28,
  f32Load: 0x2a,
  f64Load: 0x2b,
  i32Store: 0x36,
  f32Store: 0x38,
  f64Store: 0x39,
  memorySize: 0x3f,
  memoryGrow: 0x40,
  i32Const: 0x41,
  i32Eqz: 0x45,
  i32Eq: 0x46,
  i32Ne: 0x47,
  i32LtS: 0x48,
  i32LtU: 0x49,
  i32GtS: 0x4a,
  i32GtU: 0x4b,
  i32LeS: 0x4c,
  i32LeU: 0x4d,
  i32GeS: 0x4e,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32And: 0x71,
  i32Or: 0x72,
  i32Shl: 0x74,
  i32ShrS: 0x75,
  i32ShrU: 0x76,
  f32Abs: 0x8b,
  f32Neg: 0x8c,
  f32Sqrt: 0x91,
  f32Add: 0x92,
  f32Sub: 0x93,
  f32Mul: 0x94,
  f32Div: 0x95,
  f64Abs: 0x99,
  f64Neg: 0x9a,
  f64Sqrt: 0x9f,
  f64Add: 0xa0,
  f64Sub: 0xa1,
  f64Mul: 0xa2,
  f64Div: 0xa3,
  f64PromoteF32: 0xbb,
} as const

/** SIMD opcodes (emitted after the 0xfd prefix as a LEB128 u32). */
export const SimdOp = {
  v128Load: 0x00,
  v128Load32Splat: 0x09,
  v128Load64Splat: 0x0a,
  v128Store: 0x0b,
  v128Const: 0x0c,
  i8x16Shuffle: 0x0d,
  i8x16Splat: 0x0f,
  i32x4Splat: 0x11,
  f32x4Splat: 0x13,
  f64x2Splat: 0x14,
  i32x4ExtractLane: 0x1b,
  f32x4ExtractLane: 0x1f,
  f64x2ExtractLane: 0x21,
  i8x16Eq: 0x23,
  i32x4Eq: 0x37,
  i32x4Ne: 0x38,
  f32x4Eq: 0x41,
  f32x4Ne: 0x42,
  f32x4Lt: 0x43,
  f32x4Gt: 0x44,
  f32x4Le: 0x45,
  f32x4Ge: 0x46,
  f64x2Eq: 0x47,
  f64x2Ne: 0x48,
  f64x2Lt: 0x49,
  f64x2Gt: 0x4a,
  f64x2Le: 0x4b,
  f64x2Ge: 0x4c,
  v128Not: 0x4d,
  v128And: 0x4e,
  v128AndNot: 0x4f,
  v128Or: 0x50,
  v128Xor: 0x51,
  v128Bitselect: 0x52,
  v128AnyTrue: 0x53,
  v128Load32Zero: 0x5c,
  v128Load64Zero: 0x5d,
  f32x4DemoteF64x2Zero: 0x5e,
  f64x2PromoteLowF32x4: 0x5f,
  i8x16Neg: 0x61,
  i8x16NarrowI16x8S: 0x65,
  i16x8NarrowI32x4S: 0x85,
  i16x8ExtendLowI8x16S: 0x87,
  i16x8ExtendHighI8x16S: 0x88,
  i16x8ExtendLowI8x16U: 0x89,
  i32x4ExtendLowI16x8S: 0xa7,
  i32x4ExtendHighI16x8S: 0xa8,
  i32x4ExtendLowI16x8U: 0xa9,
  i64x2ExtendLowI32x4S: 0xc7,
  i64x2ExtendHighI32x4S: 0xc8,
  i64x2Shl: 0xcb,
  i64x2Add: 0xce,
  f32x4Abs: 0xe0,
  f32x4Neg: 0xe1,
  f32x4Sqrt: 0xe3,
  f32x4Add: 0xe4,
  f32x4Sub: 0xe5,
  f32x4Mul: 0xe6,
  f32x4Div: 0xe7,
  f32x4Min: 0xe8,
  f32x4Max: 0xe9,
  f64x2Abs: 0xec,
  f64x2Neg: 0xed,
  f64x2Sqrt: 0xef,
  f64x2Add: 0xf0,
  f64x2Sub: 0xf1,
  f64x2Mul: 0xf2,
  f64x2Div: 0xf3,
  f64x2Min: 0xf4,
  f64x2Max: 0xf5,
  f64x2Pmin: 0xf6,
  f64x2Pmax: 0xf7,
  f64x2Nearest: 0x94,
  i32x4TruncSatF64x2SZero: 0xfc,
  f32x4Nearest: 0x6a,
  f32x4Pmin: 0xea,
  f32x4Pmax: 0xeb,
  i32x4Shl: 0xab,
  i32x4ShrS: 0xac,
  i32x4ShrU: 0xad,
  i32x4Add: 0xae,
  i32x4Sub: 0xb1,
  i32x4TruncSatF32x4S: 0xf8,
  f32x4ConvertI32x4S: 0xfa,
} as const

/** Growable byte sink with the LEB128 encodings the binary format uses. */
export class ByteWriter {
  private buf: Uint8Array<ArrayBuffer> = new Uint8Array(256)
  private len = 0

  get length(): number {
    return this.len
  }

  byte(b: number): this {
    if (this.len === this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2)
      next.set(this.buf)
      this.buf = next
    }
    this.buf[this.len++] = b & 0xff
    return this
  }

  bytes(bs: ArrayLike<number>): this {
    for (let i = 0; i < bs.length; i++) this.byte(bs[i] as number)
    return this
  }

  /** Unsigned LEB128 (u32). */
  u32(v: number): this {
    let x = v >>> 0
    do {
      let b = x & 0x7f
      x >>>= 7
      if (x !== 0) b |= 0x80
      this.byte(b)
    } while (x !== 0)
    return this
  }

  /** Signed LEB128 (s32). */
  s32(v: number): this {
    let x = v | 0
    for (;;) {
      const b = x & 0x7f
      x >>= 7
      const done = (x === 0 && (b & 0x40) === 0) || (x === -1 && (b & 0x40) !== 0)
      this.byte(done ? b : b | 0x80)
      if (done) return this
    }
  }

  /** UTF-8 name prefixed by its length. */
  name(s: string): this {
    const enc = new TextEncoder().encode(s)
    this.u32(enc.length)
    return this.bytes(enc)
  }

  /** A length-prefixed copy of another writer's bytes. */
  vec(w: ByteWriter): this {
    this.u32(w.length)
    return this.bytes(w.toBytes())
  }

  toBytes(): Uint8Array<ArrayBuffer> {
    return this.buf.slice(0, this.len)
  }
}

/** Builds one function body: declared locals plus an instruction stream. */
export class FuncBuilder {
  readonly code = new ByteWriter()
  private readonly locals: ValType[] = []

  /** @param params the function's parameter types (locals 0..params.length-1). */
  constructor(
    readonly params: readonly ValType[],
    readonly results: readonly ValType[],
  ) {}

  /** Declares a new local and returns its index. */
  local(t: ValType): number {
    this.locals.push(t)
    return this.params.length + this.locals.length - 1
  }

  op(code: number): this {
    this.code.byte(code)
    return this
  }

  simd(code: number): this {
    this.code.byte(0xfd).u32(code)
    return this
  }

  get(i: number): this {
    this.code.byte(Op.localGet).u32(i)
    return this
  }

  set(i: number): this {
    this.code.byte(Op.localSet).u32(i)
    return this
  }

  tee(i: number): this {
    this.code.byte(Op.localTee).u32(i)
    return this
  }

  i32(v: number): this {
    this.code.byte(Op.i32Const).s32(v)
    return this
  }

  /** block/loop/if with an empty block type, or one result of type `result`. */
  begin(code: typeof Op.block | typeof Op.loop | typeof Op.if, result?: ValType): this {
    this.code.byte(code).byte(result ?? 0x40)
    return this
  }

  end(): this {
    return this.op(Op.end)
  }

  br(depth: number): this {
    this.code.byte(Op.br).u32(depth)
    return this
  }

  brIf(depth: number): this {
    this.code.byte(Op.brIf).u32(depth)
    return this
  }

  /** A load or store with its memarg (alignment as log2 bytes, constant byte offset). */
  mem(code: number, alignLog2: number, offset: number): this {
    this.code.byte(code).u32(alignLog2).u32(offset)
    return this
  }

  /** A SIMD load or store with its memarg. */
  simdMem(code: number, alignLog2: number, offset: number): this {
    this.code.byte(0xfd).u32(code).u32(alignLog2).u32(offset)
    return this
  }

  /** A SIMD instruction with one lane-index immediate (extract_lane). */
  lane(code: number, index: number): this {
    this.code.byte(0xfd).u32(code).byte(index)
    return this
  }

  /** i8x16.shuffle with its 16 lane indices (0-15 from the first operand, 16-31 from the second). */
  shuffle(lanes: ArrayLike<number>): this {
    if (lanes.length !== 16) throw new RangeError('shuffle: 16 lane indices expected')
    this.code.byte(0xfd).u32(SimdOp.i8x16Shuffle).bytes(lanes)
    return this
  }

  /** f32.const (little-endian IEEE bits). */
  f32(v: number): this {
    const b = new Uint8Array(4)
    new DataView(b.buffer).setFloat32(0, v, true)
    this.code.byte(0x43).bytes(b)
    return this
  }

  /** f64.const (little-endian IEEE bits). */
  f64(v: number): this {
    const b = new Uint8Array(8)
    new DataView(b.buffer).setFloat64(0, v, true)
    this.code.byte(0x44).bytes(b)
    return this
  }

  /** local[i] += delta (i32). */
  addTo(i: number, delta: number): this {
    return this.get(i).i32(delta).op(Op.i32Add).set(i)
  }

  /** The body in binary form: local declarations (run-length grouped), code, `end`. */
  encode(): Uint8Array<ArrayBuffer> {
    const groups: Array<[number, ValType]> = []
    for (const t of this.locals) {
      const last = groups[groups.length - 1]
      if (last !== undefined && last[1] === t) last[0]++
      else groups.push([1, t])
    }
    const body = new ByteWriter()
    body.u32(groups.length)
    for (const [count, t] of groups) body.u32(count).byte(t)
    body.bytes(this.code.toBytes())
    body.byte(Op.end)
    return body.toBytes()
  }
}

interface FuncEntry {
  name: string
  fn: FuncBuilder
}

/** A module with an imported memory and exported functions. */
export class ModuleBuilder {
  private readonly funcs: FuncEntry[] = []
  private memoryImport:
    { module: string; field: string; minPages: number; sharedMaxPages: number | undefined } | undefined

  /**
   * Imports a memory (`module`.`field`) with at least `minPages` 64 KiB pages; with
   * `sharedMaxPages`, a shared memory (threads) of at most that many pages.
   */
  importMemory(module: string, field: string, minPages: number, sharedMaxPages?: number): this {
    this.memoryImport = { module, field, minPages, sharedMaxPages }
    return this
  }

  /** Adds an exported function. */
  func(name: string, fn: FuncBuilder): this {
    this.funcs.push({ name, fn })
    return this
  }

  /** The complete module bytes. */
  encode(): Uint8Array<ArrayBuffer> {
    const out = new ByteWriter()
    out.bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00])
    const section = (id: number, body: ByteWriter): void => {
      out.byte(id).vec(body)
    }
    // Type section: one signature per function (duplicates are harmless).
    const types = new ByteWriter().u32(this.funcs.length)
    for (const { fn } of this.funcs) {
      types.byte(0x60).u32(fn.params.length).bytes(fn.params).u32(fn.results.length).bytes(fn.results)
    }
    section(1, types)
    if (this.memoryImport !== undefined) {
      const imp = new ByteWriter().u32(1)
      const { module, field, minPages, sharedMaxPages } = this.memoryImport
      imp.name(module).name(field).byte(0x02)
      // limits: 0x00 min, or 0x03 min max shared
      if (sharedMaxPages === undefined) imp.byte(0x00).u32(minPages)
      else imp.byte(0x03).u32(minPages).u32(sharedMaxPages)
      section(2, imp)
    }
    const fnSec = new ByteWriter().u32(this.funcs.length)
    for (let i = 0; i < this.funcs.length; i++) fnSec.u32(i)
    section(3, fnSec)
    const exp = new ByteWriter().u32(this.funcs.length)
    this.funcs.forEach(({ name }, i) => exp.name(name).byte(0x00).u32(i))
    section(7, exp)
    const code = new ByteWriter().u32(this.funcs.length)
    for (const { fn } of this.funcs) {
      const body = fn.encode()
      code.u32(body.length).bytes(body)
    }
    section(10, code)
    return out.toBytes()
  }
}
