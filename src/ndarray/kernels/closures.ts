/**
 * The element-wise expressions of `./expressions` turned into closures without code generation,
 * for where `new Function` is not allowed (a Content-Security-Policy without 'unsafe-eval',
 * `node --disallow-code-generation-from-strings`). A small parser reads the subset of JavaScript
 * the tables use — numbers, `a`, `b`, `Math.f(…)`, `H.f(…)`, unary `-`, `* / + -`, comparisons,
 * `=== !==`, `&& ||` and `? :` — into a tree of closures that evaluates the same operations in
 * the same order, so the results are the same bits as the compiled loops.
 *
 * @category kernels
 * @since 0.2.0
 */
import { InternalError } from '../errors'
import { scalarHelpers } from './expressions'

/** An element-wise expression as a function of its operands (`b` is ignored by unary ones). */
export type ScalarFunction = (a: number, b: number) => number

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A parsed node: its closure, and what it is when it is a leaf (so parents can specialise). */
interface Node {
  readonly f: ScalarFunction
  readonly leaf?: { readonly kind: 'a' | 'b' } | { readonly kind: 'const'; readonly value: number }
}

type Op2 = (x: number, y: number) => number

/** Binary operators by precedence level (lowest first), as in JavaScript. */
const LEVELS: ReadonlyArray<Readonly<Record<string, Op2>>> = [
  { '||': (x, y) => x || y },
  { '&&': (x, y) => x && y },
  { '===': (x, y) => +(x === y), '!==': (x, y) => +(x !== y) },
  { '<': (x, y) => +(x < y), '<=': (x, y) => +(x <= y), '>': (x, y) => +(x > y), '>=': (x, y) => +(x >= y) },
  { '+': (x, y) => x + y, '-': (x, y) => x - y },
  { '*': (x, y) => x * y, '/': (x, y) => x / y },
]

const TOKEN = /\s*(\d+(?:\.\d*)?(?:e[+-]?\d+)?|[A-Za-z_]\w*(?:\.\w+)?|===|!==|<=|>=|&&|\|\||[-+*/<>()?:,])/y

const tokenize = (expr: string): string[] => {
  const out: string[] = []
  TOKEN.lastIndex = 0
  while (TOKEN.lastIndex < expr.trimEnd().length) {
    const m = TOKEN.exec(expr)
    if (m === null) throw new InternalError(`closures: cannot read ${JSON.stringify(expr)} at ${TOKEN.lastIndex}`)
    out.push(m[1] as string)
  }
  return out
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

const leafA: Node = { f: (a) => a, leaf: { kind: 'a' } }
const leafB: Node = { f: (_a, b) => b, leaf: { kind: 'b' } }
const constant = (value: number): Node => ({ f: () => value, leaf: { kind: 'const', value } })

/**
 * `l op r`. Leaf operands are read directly rather than through their closures (the common
 * `a + b`, `a * a`, `1 / a`), which halves the calls per element.
 */
const binaryNode = (op: Op2, l: Node, r: Node): Node => {
  const lk = l.leaf?.kind
  const rk = r.leaf?.kind
  if (lk === 'a' && rk === 'b') return { f: (a, b) => op(a, b) }
  if (lk === 'a' && rk === 'a') return { f: (a) => op(a, a) }
  if (lk === 'a' && r.leaf?.kind === 'const') {
    const c = r.leaf.value
    return { f: (a) => op(a, c) }
  }
  if (l.leaf?.kind === 'const' && rk === 'a') {
    const c = l.leaf.value
    return { f: (a) => op(c, a) }
  }
  const lf = l.f
  const rf = r.f
  return { f: (a, b) => op(lf(a, b), rf(a, b)) }
}

const callNode = (fn: (...xs: number[]) => number, args: ReadonlyArray<Node>): Node => {
  const [x, y] = args
  if (args.length === 1 && x !== undefined) {
    const xf = x.f
    return x.leaf?.kind === 'a' ? { f: (a) => fn(a) } : { f: (a, b) => fn(xf(a, b)) }
  }
  if (args.length === 2 && x !== undefined && y !== undefined) {
    const xf = x.f
    const yf = y.f
    return { f: (a, b) => fn(xf(a, b), yf(a, b)) }
  }
  const fs = args.map((n) => n.f)
  return { f: (a, b) => fn(...fs.map((g) => g(a, b))) }
}

/** `Math.name` or `H.name` (a helper of `scalarHelpers`) as a function. */
const lookup = (qualified: string): ((...xs: number[]) => number) => {
  const [ns, name] = qualified.split('.') as [string, string | undefined]
  const table: Readonly<Record<string, unknown>> | undefined =
    ns === 'Math' ? (Math as unknown as Record<string, unknown>) : ns === 'H' ? scalarHelpers : undefined
  const fn = name === undefined ? undefined : table?.[name]
  if (typeof fn !== 'function') throw new InternalError(`closures: unknown function ${qualified}`)
  return fn as (...xs: number[]) => number
}

// -------------------------------------------------------------------------------------
// parser
// -------------------------------------------------------------------------------------

class Parser {
  private i = 0
  constructor(
    private readonly tokens: ReadonlyArray<string>,
    private readonly source: string,
  ) {}

  parse(): Node {
    const node = this.ternary()
    if (this.i !== this.tokens.length) this.fail(`unexpected ${this.peek()}`)
    return node
  }

  private peek(): string | undefined {
    return this.tokens[this.i]
  }

  private next(): string {
    const t = this.tokens[this.i++]
    if (t === undefined) this.fail('unexpected end')
    return t
  }

  private expect(t: string): void {
    const got = this.next()
    if (got !== t) this.fail(`expected ${t}, got ${got}`)
  }

  private fail(why: string): never {
    throw new InternalError(`closures: cannot read ${JSON.stringify(this.source)}: ${why}`)
  }

  private ternary(): Node {
    const cond = this.binary(0)
    if (this.peek() !== '?') return cond
    this.next()
    const yes = this.ternary()
    this.expect(':')
    const no = this.ternary()
    const [c, y, n] = [cond.f, yes.f, no.f]
    return { f: (a, b) => (c(a, b) ? y(a, b) : n(a, b)) }
  }

  private binary(level: number): Node {
    const ops = LEVELS[level]
    if (ops === undefined) return this.unary()
    let left = this.binary(level + 1)
    for (let t = this.peek(); t !== undefined && ops[t] !== undefined; t = this.peek()) {
      this.next()
      left = binaryNode(ops[t] as Op2, left, this.binary(level + 1))
    }
    return left
  }

  private unary(): Node {
    if (this.peek() !== '-') return this.primary()
    this.next()
    const x = this.unary()
    if (x.leaf?.kind === 'const') return constant(-x.leaf.value)
    const xf = x.f
    return x.leaf?.kind === 'a' ? { f: (a) => -a } : { f: (a, b) => -xf(a, b) }
  }

  private primary(): Node {
    const t = this.next()
    if (t === '(') {
      const inner = this.ternary()
      this.expect(')')
      return inner
    }
    if (t === 'a') return leafA
    if (t === 'b') return leafB
    if (/^\d/.test(t)) return constant(Number(t))
    if (!t.includes('.')) this.fail(`unknown name ${t}`)
    const fn = lookup(t)
    this.expect('(')
    const args: Node[] = []
    while (this.peek() !== ')') {
      if (args.length > 0) this.expect(',')
      args.push(this.ternary())
    }
    this.expect(')')
    return callNode(fn, args)
  }
}

/**
 * The closure that computes an element-wise expression of `./expressions` (operands `a`, `b`,
 * helpers `H.name`), built without code generation; booleans come out as 1 and 0, which is what
 * the kernels store for them.
 */
export const expressionClosure = (expr: string): ScalarFunction => new Parser(tokenize(expr), expr).parse().f
