/**
 * The element-wise expressions of ./expressions evaluated without code generation: each template
 * (`'(a >= 0 ? 1 / (1 + Math.exp(-a)) : …)'`) is parsed once into a tree of closures. Used where
 * `new Function` is refused (a strict CSP, `node --disallow-code-generation-from-strings`), so the
 * kernels' loops and `jit`'s interpreter compute the very same formula, bit for bit, with no
 * second copy of it. Only the templates' own grammar is accepted: numbers, `a`, `b`,
 * `Math.f(…)`, `H.f(…)`, unary `-`, `* / + -`, comparisons, `&& ||`, `? :` and parentheses.
 *
 * @category ndarray
 * @since 0.2.0
 */
import { InternalError } from '../errors'
import type { Helpers } from './expressions'

/** An expression of `a` and `b` (`H` holds the helpers). */
export type ScalarFn = (a: number, b: number, H: Helpers) => number

type Node = (a: number, b: number, H: Helpers) => number | boolean
type Fn = (...xs: number[]) => number

const TOKEN = /\s*(\d+(?:\.\d+)?(?:e[+-]?\d+)?|[A-Za-z_]\w*(?:\.\w+)?|===|!==|>=|<=|&&|\|\||[-+*/()?:<>,])/y

const tokenize = (src: string): string[] => {
  const out: string[] = []
  TOKEN.lastIndex = 0
  while (TOKEN.lastIndex < src.trimEnd().length) {
    const m = TOKEN.exec(src)
    if (m === null) throw new InternalError(`expression: cannot read '${src}'`)
    out.push(m[1] as string)
  }
  return out
}

const BINARY: Readonly<Record<string, readonly [number, (x: number, y: number) => number | boolean]>> = {
  '||': [1, (x, y) => x || y],
  '&&': [2, (x, y) => x && y],
  '===': [3, (x, y) => x === y],
  '!==': [3, (x, y) => x !== y],
  '<': [4, (x, y) => x < y],
  '>': [4, (x, y) => x > y],
  '<=': [4, (x, y) => x <= y],
  '>=': [4, (x, y) => x >= y],
  '+': [5, (x, y) => x + y],
  '-': [5, (x, y) => x - y],
  '*': [6, (x, y) => x * y],
  '/': [6, (x, y) => x / y],
}

/** A recursive-descent (precedence-climbing) parser over the tokens. */
class Parser {
  private pos = 0
  constructor(private readonly tokens: ReadonlyArray<string>) {}

  private peek(): string | undefined {
    return this.tokens[this.pos]
  }
  private take(expected?: string): string {
    const t = this.tokens[this.pos++]
    if (t === undefined || (expected !== undefined && t !== expected))
      throw new InternalError(`expression: expected ${expected ?? 'a token'}, got ${t ?? 'the end'}`)
    return t
  }

  /** Checks that every token was read. */
  end(): void {
    if (this.pos !== this.tokens.length) throw new InternalError(`expression: unexpected ${this.peek() ?? ''}`)
  }

  /** expr := binary ('?' expr ':' expr)? */
  expr(): Node {
    const test = this.binary(1)
    if (this.peek() !== '?') return test
    this.take('?')
    const yes = this.expr()
    this.take(':')
    const no = this.expr()
    return (a, b, H) => (test(a, b, H) ? yes(a, b, H) : no(a, b, H))
  }

  private binary(min: number): Node {
    let left = this.unary()
    for (let op = this.peek(); op !== undefined && (BINARY[op]?.[0] ?? 0) >= min; op = this.peek()) {
      const [prec, f] = BINARY[this.take()] as readonly [number, (x: number, y: number) => number | boolean]
      const l = left
      const r = this.binary(prec + 1)
      left = (a, b, H) => f(l(a, b, H) as number, r(a, b, H) as number)
    }
    return left
  }

  private unary(): Node {
    if (this.peek() !== '-') return this.primary()
    this.take('-')
    const x = this.unary()
    return (a, b, H) => -(x(a, b, H) as number)
  }

  private primary(): Node {
    const t = this.take()
    if (t === '(') {
      const e = this.expr()
      this.take(')')
      return e
    }
    if (t === 'a') return (a) => a
    if (t === 'b') return (_, b) => b
    if (/^\d/.test(t)) {
      const v = Number(t)
      return () => v
    }
    return this.call(t)
  }

  /** `Math.f(args)` or `H.f(args)`. */
  private call(name: string): Node {
    const [ns, fn] = name.split('.') as [string, string | undefined]
    if (fn === undefined || (ns !== 'Math' && ns !== 'H')) throw new InternalError(`expression: unknown name ${name}`)
    this.take('(')
    const args: Node[] = [this.expr()]
    while (this.peek() === ',') {
      this.take(',')
      args.push(this.expr())
    }
    this.take(')')
    if (ns === 'Math') {
      const f = Object.prototype.hasOwnProperty.call(Math, fn)
        ? (Math as unknown as Readonly<Record<string, Fn>>)[fn]
        : undefined
      if (typeof f !== 'function') throw new InternalError(`expression: unknown function Math.${fn}`)
      return (a, b, H) => f(...args.map((x) => x(a, b, H) as number))
    }
    return (a, b, H) =>
      (H as unknown as Readonly<Record<string, Fn>>)[fn]?.(...args.map((x) => x(a, b, H) as number)) ?? NaN
  }
}

/** The expression `src` (a template of ./expressions) as a function, with no code generation. */
export const closureOf = (src: string): ScalarFn => {
  const tokens = tokenize(src)
  const p = new Parser(tokens)
  const node = p.expr()
  p.end()
  return node as ScalarFn
}
