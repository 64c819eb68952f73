/**
 * jit writes no user data into generated source: constants reach compiled code as numbers the
 * compiler formatted after checking they are numbers, or through the tables passed in at run
 * time. Every input path (constant arrays with a string element, params, shapes, dtype strings,
 * names, static arguments, pytree keys) is tried with a marker string while `new Function` is
 * watched: the marker never reaches it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { add, customVjp, exp, grad, jit, mul, NdArray, sum, type DType } from '../../src'
import { ewiseExpr, floatDTypeText, isSize, numberLiteral } from '../../src/core/codegen'
import { Var, type Equation } from '../../src/core/equation'
import { f64 } from '../transforms/helpers'

const MARK = 'PWNED'
const evil = `1); globalThis.${MARK} = 1; (`

/** Every source text given to `Function` while the watch is on. */
let sources: string[] = []
const RealFunction = globalThis.Function
beforeEach(() => {
  sources = []
  const watch = (args: ReadonlyArray<unknown>): void => void sources.push(args.map(String).join('\n'))
  globalThis.Function = new Proxy(RealFunction, {
    construct: (target, args: unknown[]) => (watch(args), Reflect.construct(target, args) as object),
    apply: (target, self, args: unknown[]) => (watch(args), Reflect.apply(target, self, args) as unknown),
  })
})
afterEach(() => {
  globalThis.Function = RealFunction
})

/** A constant array whose data is not what its type says (as a hostile caller could build one). */
const forged = (shape: ReadonlyArray<unknown>, dtype: string, data: ReadonlyArray<unknown>): NdArray =>
  new NdArray(shape as ReadonlyArray<number>, dtype as DType, data as unknown as Float64Array)

/** Runs `body`, ignoring a typed error it may throw (refusing is fine); returns whether it ran. */
const attempt = (body: () => unknown): boolean => {
  try {
    body()
    return true
  } catch (e) {
    expect(String(e)).not.toContain('SyntaxError')
    return false
  }
}

describe('jit writes no user data into generated source', () => {
  it('scalar code does reach new Function (the watch sees the compiler)', () => {
    const f = jit((x: NdArray) => add(mul(x, 0.5), exp(x)))
    f(f64(1))
    expect(sources.join('\n')).toContain('Math.exp')
  })

  it('constant arrays with a string element, in scalar code and in fused loops', () => {
    const scalar = forged([], 'float64', [evil])
    expect(attempt(() => jit((x: NdArray) => add(mul(x, 2), scalar))(f64(1)))).toBe(true)
    const one = forged([1], 'float64', [evil])
    attempt(() => jit((x: NdArray) => mul(add(mul(x, x), one), x))(f64([1, 2, 3, 4])))
    const full = forged([4], 'float64', [1, evil, 3, 4])
    attempt(() => jit((x: NdArray) => mul(add(mul(x, x), full), x))(f64([1, 2, 3, 4])))
    expect(sources.length).toBeGreaterThan(0)
    expect(sources.join('\n')).not.toContain(MARK)
  })

  it('shapes and dtype strings', () => {
    attempt(() => jit((x: NdArray) => add(mul(x, 2), forged([evil], 'float64', [1])))(f64(1)))
    attempt(() => jit((x: NdArray) => add(mul(x, 2), forged([1], `float64'${evil}`, [1])))(f64([1])))
    attempt(() => jit((x: NdArray) => add(mul(x, x), x))(forged([2], `float64'${evil}`, [1, 2])))
    expect(sources.join('\n')).not.toContain(MARK)
  })

  it('params and names: a custom rule named with the marker, static arguments, pytree keys', () => {
    const named = customVjp(
      Object.defineProperty((x: NdArray) => mul(x, x), 'name', { value: evil }),
      (x: NdArray) => [mul(x, x), x],
      (x: unknown, g: NdArray) => [mul(g, mul(x as NdArray, 2))],
    )
    const f = jit(
      (p: Record<string, NdArray>, s: string) => grad((x: NdArray) => sum(named(add(x, 1))))(p[s] as NdArray),
      {
        staticArgnums: 1,
      },
    )
    expect(attempt(() => f({ [evil]: f64(0.5) }, evil))).toBe(true)
    expect(sources.join('\n')).not.toContain(MARK)
    expect((globalThis as Record<string, unknown>)[MARK]).toBeUndefined()
  })

  it('the emitter’s helpers accept only numbers, float dtypes, sizes and the library’s templates', () => {
    expect(numberLiteral(evil)).toBeNull()
    expect(numberLiteral(-0)).toBe('-0')
    expect(numberLiteral(NaN)).toBe('NaN')
    expect(floatDTypeText(evil as DType)).toBeNull()
    expect(floatDTypeText('constructor' as DType)).toBeNull()
    expect(floatDTypeText('float32')).toBe("'float32'")
    expect([isSize(evil), isSize(1.5), isSize(-1), isSize(3)]).toEqual([false, false, false, true])
    const eq = (op: string): Equation => ({
      primitive: { ewise: { kind: 'binary', op } } as unknown as Equation['primitive'],
      params: {},
      invars: [],
      outvars: [new Var(0, { shape: [], dtype: 'float64' })],
    })
    expect(ewiseExpr(eq('constructor'), 'float64')).toBeNull()
    expect(ewiseExpr(eq('__proto__'), 'float64')).toBeNull()
    expect(ewiseExpr(eq('add'), 'float64')).toBe('a + b')
  })
})
