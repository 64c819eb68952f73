/**
 * User-defined derivative rules. `customVjp(f, fwd, bwd)` and `customJvp(f, jvpRule)` return a
 * function like `f` that binds a call primitive carrying the user's rules, so it works under
 * every transform and at any nesting depth.
 *
 * @category transforms
 * @since 0.1.0
 */
import { instantiate, zerosLike } from '../core/lax'
import { definePrimitive } from '../core/primitive'
import { bind, concrete } from '../core/trace'
import { Zero, type Aval, type Linear } from '../core/zero'
import { DTypeError, ShapeError, ValueError, fmtShape } from '../ndarray/errors'
import { array } from '../ndarray/create'
import { isFloat } from '../ndarray/dtype'
import { NdArray } from '../ndarray/NdArray'
import { shapesEqual } from '../ndarray/shape'
import { jvp } from './jvp'
import { vjp } from './vjp'

type ArrayFn = (...args: NdArray[]) => NdArray

const toArgs = (op: string, args: ReadonlyArray<unknown>): NdArray[] =>
  args.map((a, i) => {
    if (a instanceof NdArray) return a
    if (typeof a === 'number') return array(a)
    throw new ValueError(`${op}: argument ${i} must be an array or a number, got ${typeof a}`)
  })

const checkOut = (op: string, out: unknown): NdArray => {
  if (!(out instanceof NdArray)) throw new ValueError(`${op}: the function must return one array, got ${typeof out}`)
  return out
}

/**
 * The shape rule of a call primitive: the aval of `f` applied to zeros of the input avals.
 * NOTE: only `checkTape` asks for shape rules (the transforms evaluate on concrete values), and
 * `f` is an arbitrary function, so evaluating it is the one way to know its output aval.
 */
const callAval = (f: ArrayFn, avals: ReadonlyArray<Aval>): Aval => {
  const out = f(...avals.map((a) => zerosLike(a)))
  return { shape: out.shape, dtype: out.dtype }
}

/** Checks a rule's tangent or cotangent against the aval it must have. */
const checkAval = (what: string, x: NdArray, like: Aval): NdArray => {
  if (!shapesEqual(x.shape, like.shape)) throw new ShapeError(`${what} has shape ${fmtShape(x.shape)} but must have shape ${fmtShape(like.shape)}`)
  if (x.dtype !== like.dtype) throw new DTypeError(`${what} has dtype ${x.dtype} but must have dtype ${like.dtype}`)
  return x
}

// -------------------------------------------------------------------------------------
// custom_vjp
// -------------------------------------------------------------------------------------

interface CustomVjpParams {
  readonly f: ArrayFn
  readonly fwd: (...args: NdArray[]) => readonly [NdArray, unknown]
  readonly bwd: (residuals: unknown, cotangent: NdArray) => ReadonlyArray<NdArray | number | null | undefined>
}

/**
 * The call primitive of {@link customVjp}. Under reverse mode the recording runs `fwd` and
 * keeps its residuals; the VJP calls `bwd`. Under forward mode (where JAX refuses), wengert
 * differentiates `f` itself.
 */
const custom_vjp_call = definePrimitive<'custom_vjp_call', ReadonlyArray<NdArray>, CustomVjpParams>({
  name: 'custom_vjp_call',
  impl: (xs, { f }) => checkOut('customVjp', f(...xs)),
  shape: (avals, { f }) => callAval(f, avals),
  forward: (xs, { fwd }) => {
    const r = fwd(...xs)
    if (!Array.isArray(r) || r.length !== 2) throw new ValueError('customVjp: fwd must return [output, residuals]')
    return [checkOut('customVjp fwd', r[0]), r[1]]
  },
  jvp: ({ inputs, params: { f } }, tangents) =>
    jvp(f, [...inputs], tangents.map((t, i) => instantiate(t, inputs[i] as NdArray)))[1],
  vjp: ({ inputs, params: { fwd, bwd }, residuals }, yBar) => {
    const res = residuals === undefined ? fwd(...inputs)[1] : residuals
    const cts = bwd(res, yBar)
    if (!Array.isArray(cts) || cts.length !== inputs.length) {
      throw new ValueError(`customVjp: bwd must return one cotangent per argument (${inputs.length}), got ${Array.isArray(cts) ? cts.length : typeof cts}`)
    }
    return inputs.map((x, i): Linear => {
      const c = cts[i]
      if (c === null || c === undefined) return Zero.like(x)
      const arr = typeof c === 'number' ? array(c, { dtype: x.dtype }) : c
      if (!(arr instanceof NdArray)) throw new ValueError(`customVjp: bwd returned a ${typeof arr} as the cotangent of argument ${i}; expected an array, a number or null`)
      return checkAval(`customVjp: the cotangent bwd returned for argument ${i}`, arr, x)
    })
  },
  formatParams: ({ f }) => `[f=${f.name || 'anonymous'}]`,
})

/**
 * A function with a user-defined VJP, as JAX's `custom_vjp`: `fwd(...args)` returns
 * `[out, residuals]`, `bwd(residuals, cotangent)` returns one cotangent per argument (null for
 * none). `bwd` written with wengert ops is itself differentiable.
 *
 * @example
 * import { customVjp, grad, array, log, exp, add, div, mul, sub } from 'wengert'
 * // log(1 + eˣ) with a stable gradient σ(x)
 * const softplus = customVjp(
 *   (x) => log(add(exp(x), 1)),
 *   (x) => [log(add(exp(x), 1)), x],
 *   (x, g) => [mul(g, div(1, add(exp(mul(x as import('wengert').NdArray, -1)), 1)))],
 * )
 * const d = grad(softplus)(array(0, { dtype: 'float64' }))
 * assert.ok(Math.abs((d.item() as number) - 0.5) < 1e-12)
 * @category transforms
 * @since 0.1.0
 */
export const customVjp = (
  f: (...args: NdArray[]) => NdArray,
  fwd: (...args: NdArray[]) => readonly [NdArray, unknown],
  bwd: (residuals: unknown, cotangent: NdArray) => ReadonlyArray<NdArray | number | null | undefined>,
): ((...args: ReadonlyArray<NdArray | number>) => NdArray) => {
  const params: CustomVjpParams = { f, fwd, bwd }
  return (...args) => bind(custom_vjp_call, toArgs('customVjp', args), params)
}

// -------------------------------------------------------------------------------------
// custom_jvp
// -------------------------------------------------------------------------------------

interface CustomJvpParams {
  readonly f: ArrayFn
  readonly rule: (primals: ReadonlyArray<NdArray>, tangents: ReadonlyArray<NdArray>) => readonly [NdArray, NdArray]
}

/**
 * The call primitive of {@link customJvp}. Reverse mode transposes the user's JVP rule: the
 * rule is linear in the tangents, so its VJP at zero tangents is its transpose.
 */
const custom_jvp_call = definePrimitive<'custom_jvp_call', ReadonlyArray<NdArray>, CustomJvpParams>({
  name: 'custom_jvp_call',
  impl: (xs, { f }) => checkOut('customJvp', f(...xs)),
  shape: (avals, { f }) => callAval(f, avals),
  jvp: ({ inputs, output, params: { rule } }, tangents) => {
    const r = rule(inputs, tangents.map((t, i) => instantiate(t, inputs[i] as NdArray)))
    if (!Array.isArray(r) || r.length !== 2) throw new ValueError('customJvp: the rule must return [output, tangentOut]')
    return checkAval('customJvp: the tangent the rule returned', checkOut('customJvp rule', r[1]), output)
  },
  // x̄ = (rule's tangent map)ᵀ ȳ, by reverse mode over the rule at zero tangents; only the float
  // inputs that need a cotangent are tangent variables (integer inputs keep a zero tangent)
  vjp: ({ inputs, needs, params: { rule } }, yBar) => {
    const zeros = inputs.map((x) => zerosLike(concrete(x)))
    const wanted = inputs.flatMap((x, i) => (needs[i] === true && isFloat(x.dtype) ? [i] : []))
    const linear = (...ts: NdArray[]): NdArray => {
      const all = [...zeros]
      wanted.forEach((k, j) => {
        all[k] = ts[j] as NdArray
      })
      return rule(inputs, all)[1]
    }
    const [, pull] = vjp(linear, ...wanted.map((k) => zeros[k] as NdArray))
    const cts = pull(yBar)
    const out: Linear[] = inputs.map((x) => Zero.like(x))
    wanted.forEach((k, j) => {
      out[k] = cts[j] as NdArray
    })
    return out
  },
  formatParams: ({ f }) => `[f=${f.name || 'anonymous'}]`,
})

/**
 * A function with a user-defined JVP, as JAX's `custom_jvp`: `rule(primals, tangents)` returns
 * `[out, tangentOut]`. Reverse mode works too (wengert transposes the rule).
 *
 * @example
 * import { customJvp, grad, jvp, array, exp, mul } from 'wengert'
 * const myExp = customJvp(exp, ([x], [t]) => { const y = exp(x!); return [y, mul(y, t!)] })
 * const x = array(1, { dtype: 'float64' })
 * assert.ok(Math.abs((grad(myExp)(x).item() as number) - Math.E) < 1e-12)
 * assert.ok(Math.abs((jvp(myExp, [x], [x])[1].item() as number) - Math.E) < 1e-12)
 * @category transforms
 * @since 0.1.0
 */
export const customJvp = (
  f: (...args: NdArray[]) => NdArray,
  rule: (primals: ReadonlyArray<NdArray>, tangents: ReadonlyArray<NdArray>) => readonly [NdArray, NdArray],
): ((...args: ReadonlyArray<NdArray | number>) => NdArray) => {
  const params: CustomJvpParams = { f, rule }
  return (...args) => bind(custom_jvp_call, toArgs('customJvp', args), params)
}
