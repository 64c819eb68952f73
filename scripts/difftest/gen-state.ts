/**
 * The generator's state: a seeded random source, the variables with their tracked shape, dtype and
 * autograd flags, and the statement builder. Op families (gen-ops.ts) and program kinds
 * (generate.ts) are written on top of it.
 */
import type { Arg, Data, DType, Expr, Item, Stmt } from './program'

/** mulberry32: a small seeded generator, so program `seed` always gives the same program. */
export class Rng {
  private s: number
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0
    let t = this.s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1))
  }
  chance(p: number): boolean {
    return this.next() < p
  }
  pick<T>(xs: ReadonlyArray<T>): T {
    const x = xs[Math.floor(this.next() * xs.length)]
    if (x === undefined) throw new RangeError('pick from an empty list')
    return x
  }
  /** Picks by weight: `[[w, value], …]`. */
  weighted<T>(xs: ReadonlyArray<readonly [number, T]>): T {
    const total = xs.reduce((s, [w]) => s + w, 0)
    let r = this.next() * total
    for (const [w, v] of xs) {
      r -= w
      if (r < 0) return v
    }
    return (xs[xs.length - 1] as readonly [number, T])[1]
  }
}

/** What the generator believes about a variable (programs stay valid unless made invalid on purpose). */
export interface VarInfo {
  shape: number[]
  dtype: DType
  /** requires_grad */
  rg: boolean
  leaf: boolean
  /** The shape is data-dependent (masked_select, nonzero, …): never picked as an operand. */
  opaque?: boolean
}

export const numel = (s: ReadonlyArray<number>): number => s.reduce((a, b) => a * b, 1)
export const isFloat = (d: DType): boolean => d === 'float32' || d === 'float64'

/** NumPy broadcasting of two shapes, or null. */
export const broadcast = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): number[] | null => {
  const n = Math.max(a.length, b.length)
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1
    const y = b[b.length - n + i] ?? 1
    if (x !== y && x !== 1 && y !== 1) return null
    out.push(Math.max(x, y))
  }
  return out
}

export const v = (name: string): Arg => ({ t: 'v', v: name })
export const f = (x: number): Arg => ({ t: 'f', v: x })
export const i = (x: number): Arg => ({ t: 'i', v: x })
export const b = (x: boolean): Arg => ({ t: 'b', v: x })
export const ints = (xs: ReadonlyArray<number>): Arg => ({ t: 'tuple', v: xs.map(i) })
export const call = (
  recv: string,
  name: string,
  args: ReadonlyArray<Arg> = [],
  kw: ReadonlyArray<readonly [string, Arg]> = [],
): Expr => ({ e: 'call', recv, name, args, kw })

/** The statement builder with the variable table. */
export class Gen {
  readonly rng: Rng
  readonly vars = new Map<string, VarInfo>()
  readonly leaves: string[] = []
  /** Names of non-tensor variables (modules, losses, optimizers). */
  readonly objects: string[] = []
  private readonly blocks: Stmt[][] = [[]]
  private nextVar = 0
  private nextId = 0
  /** The program's float dtype. */
  readonly dt: DType
  /**
   * Avoid shapes whose gradients are mathematically zero and so rounding noise (a batch of 2 under
   * BatchNorm, LayerNorm over 2 features, cancelling L1 signs): set for seeds TIDY_SEED and above.
   */
  readonly tidy: boolean

  constructor(seed: number, tidy = false) {
    this.rng = new Rng(seed)
    this.tidy = tidy
    this.dt = this.rng.chance(0.5) ? 'float32' : 'float64'
  }

  get body(): Stmt[] {
    return this.blocks[0] as Stmt[]
  }
  private push(s: Stmt): void {
    ;(this.blocks[this.blocks.length - 1] as Stmt[]).push(s)
  }
  fresh(prefix = 'v'): string {
    return `${prefix}${this.nextVar++}`
  }
  info(name: string): VarInfo {
    const x = this.vars.get(name)
    if (x === undefined) throw new RangeError(`unknown variable ${name}`)
    return x
  }
  get inNoGrad(): boolean {
    return this.blocks.length > 1
  }

  /** `out = expr`, tracking `out` (or each of `outs`) with the given info. */
  let(op: string, x: Expr, out: VarInfo | ReadonlyArray<VarInfo> | null, prefix = 'v'): string[] {
    const infos = out === null ? [] : Array.isArray(out) ? (out as ReadonlyArray<VarInfo>) : [out as VarInfo]
    const names = infos.map(() => this.fresh(prefix))
    names.forEach((n, k) => this.vars.set(n, infos[k] as VarInfo))
    const target = out === null ? null : Array.isArray(out) ? names : (names[0] as string)
    this.push({ s: 'let', id: this.nextId++, op, out: target, x })
    return names
  }
  /** `name = expr` for a module, loss or optimizer (not a tensor). */
  obj(op: string, x: Expr, prefix: string): string {
    const name = this.fresh(prefix)
    this.objects.push(name)
    this.push({ s: 'let', id: this.nextId++, op, out: name, x })
    return name
  }
  /** A statement whose value is not kept (`x.backward()`, `x.add_(y)`). */
  run(op: string, x: Expr): void {
    this.push({ s: 'let', id: this.nextId++, op, out: null, x })
  }
  set(recv: string, items: ReadonlyArray<Item>, value: Arg): void {
    this.push({ s: 'set', id: this.nextId++, op: 'setitem', recv, items, value })
  }
  rec(name: string): void {
    this.push({ s: 'rec', v: name })
  }
  noGrad(body: () => void, op = 'no_grad'): void {
    const block: Stmt[] = []
    const id = this.nextId++
    this.blocks.push(block)
    try {
      body()
    } finally {
      this.blocks.pop()
    }
    this.push({ s: 'nograd', id, op, body: block })
  }

  /** Source lines per language (a definition, an attribute assignment): see program.ts `raw`. */
  raw(op: string, py: ReadonlyArray<string>, js: ReadonlyArray<string>): void {
    this.push({ s: 'raw', id: this.nextId++, op, py, js })
  }
  /** A context manager around `body`'s statements: see program.ts `with`. */
  with(op: string, py: string, js: string, body: () => void): void {
    const block: Stmt[] = []
    const id = this.nextId++
    this.blocks.push(block)
    try {
      body()
    } finally {
      this.blocks.pop()
    }
    this.push({ s: 'with', id, op, py, js, body: block })
  }

  /** Deterministic tensor data: multiples of 1/8 in [-2, 2] (exact in float32). */
  data(shape: ReadonlyArray<number>, dtype: DType, hi = 16): Data {
    const el = (): number | boolean =>
      dtype === 'bool' ? this.rng.chance(0.5) : dtype === 'int64' ? this.rng.int(0, hi) : this.rng.int(-16, 16) / 8
    const build = (d: number): Data =>
      d === shape.length ? el() : Array.from({ length: shape[d] as number }, () => build(d + 1))
    return build(0)
  }
  /** `torch.tensor(data, dtype=…, requires_grad=…)`. */
  leaf(shape: ReadonlyArray<number>, dtype: DType = this.dt, rg = false, hi = 16): string {
    const kw: Array<readonly [string, Arg]> = [['dtype', { t: 'dtype', v: dtype }]]
    if (rg) kw.push(['requires_grad', b(true)])
    const [name] = this.let('tensor', call('torch', 'tensor', [{ t: 'data', v: this.data(shape, dtype, hi) }], kw), {
      shape: [...shape],
      dtype,
      rg,
      leaf: true,
    })
    if (rg) this.leaves.push(name as string)
    return name as string
  }
  randShape(maxRank = 3, maxDim = 4): number[] {
    const r = this.rng.int(0, maxRank)
    return Array.from({ length: r }, () => this.rng.int(1, maxDim))
  }
  /** A float variable, preferring recent ones (chains of ops). */
  pickFloat(pred: (x: VarInfo) => boolean = () => true): string | null {
    const xs = [...this.vars].filter(([, x]) => isFloat(x.dtype) && x.opaque !== true && pred(x)).map(([n]) => n)
    if (xs.length === 0) return null
    return this.rng.chance(0.6) ? (xs[xs.length - 1] as string) : this.rng.pick(xs)
  }
  /** A shape that broadcasts with `s` (some dims 1, maybe fewer or one more leading dim), or `s` exactly with `into`. */
  compatShape(s: ReadonlyArray<number>, into = false): number[] {
    const drop = s.length === 0 ? 0 : this.rng.int(0, s.length)
    const out = s.slice(drop).map((d) => (this.rng.chance(0.3) ? 1 : d))
    if (!into && this.rng.chance(0.15)) out.unshift(this.rng.int(1, 3))
    return out
  }
}
