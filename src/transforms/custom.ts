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
import { bind } from '../core/trace'
import { isZero, Zero, type Aval, type Linear } from '../core/zero'
import { requireFunction } from '../internal/args'
import { describeValue } from '../internal/options'
import { DTypeError, ShapeError, TreeMismatchError, ValueError, fmtShape } from '../ndarray/errors'
import { array } from '../ndarray/create'
import { isFloat } from '../ndarray/dtype'
import { NdArray } from '../ndarray/NdArray'
import { shapesEqual } from '../ndarray/shape'
import { jvp } from './jvp'
import { vjp } from './vjp'
import { vmap } from './vmap'
import { batchFirst } from '../core/batching'
import { named, nondiffPositions, splitArgs, type CustomDerivativeOptions } from './customNondiff'
import { checkOut, FlatCall } from './customFlatCall'

type ArrayFn = (...args: NdArray[]) => NdArray

/**
 * The shape rule of a call primitive: the aval of `f` applied to zeros of the input avals.
 * NOTE: only `checkTape` asks for shape rules (the transforms evaluate on concrete values), and
 * `f` is an arbitrary function, so evaluating it is the one way to know its output aval.
 */
const callAval = (f: ArrayFn, avals: ReadonlyArray<Aval>): Aval => {
  const out = f(...avals.map((a) => zerosLike(a)))
  return { shape: out.shape, dtype: out.dtype }
}

/** `float32[2,3]`: an aval as the messages print it. */
const avalStr = (a: Aval): string => `${a.dtype}${fmtShape(a.shape)}`

/** JAX's text for a custom_jvp rule that did not return [primalOut, tangentOut]. */
const jvpPairMessage = (r: unknown): string =>
  `customJvp: Custom JVP rule must produce a pair (list or tuple of length two) representing primal and tangent outputs, but got ${describeValue(r)}`

/** JAX's text for a custom_vjp fwd rule that did not return [output, residuals]. */
const fwdPairMessage = (r: unknown): string =>
  `customVjp: Custom VJP fwd rule must produce a pair (list or tuple of length two) [output, residuals], where the first element is the primal output and the second the residuals for bwd, but got ${describeValue(r)}`

/**
 * Checks a rule's tangent or cotangent against the aval it must have; `message(got, want)` words
 * the error (JAX's text for the rule) from the two avals.
 */
const checkAval = (message: (got: string, want: string) => string, x: NdArray, like: Aval): NdArray => {
  const same = shapesEqual(x.shape, like.shape)
  if (same && x.dtype === like.dtype) return x
  const msg = message(avalStr(x), avalStr(like))
  throw same ? new DTypeError(msg) : new ShapeError(msg)
}

// -------------------------------------------------------------------------------------
// custom_vjp
// -------------------------------------------------------------------------------------

interface CustomVjpParams {
  /** The user's function's name, for the printed tape. */
  readonly name: string
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
    if (!Array.isArray(r) || r.length !== 2) throw new ValueError(fwdPairMessage(r))
    return [checkOut('customVjp fwd', r[0]), r[1]]
  },
  jvp: ({ inputs, params: { f } }, tangents) => {
    // inputs with a zero tangent are constants of f's JVP: a rule's term for them is never
    // evaluated (pow's log(base) term of a constant exponent is NaN·0 at a negative base)
    const live = tangents.flatMap((t, i) => (isZero(t) ? [] : [i]))
    if (live.length === 0)
      return jvp(
        f,
        [...inputs],
        tangents.map((t, i) => instantiate(t, inputs[i] as NdArray)),
      )[1]
    const at = (xs: NdArray[]): NdArray[] => inputs.map((x, i) => (live.includes(i) ? xs[live.indexOf(i)]! : x))
    return jvp(
      (...xs: NdArray[]) => f(...at(xs)),
      live.map((i) => inputs[i] as NdArray),
      live.map((i) => tangents[i] as NdArray),
    )[1]
  },
  vjp: ({ inputs, params: { fwd, bwd }, residuals }, yBar) => {
    const res = residuals === undefined ? fwd(...inputs)[1] : residuals
    const cts = bwd(res, yBar)
    if (!Array.isArray(cts) || cts.length !== inputs.length) {
      throw new TreeMismatchError(
        `customVjp: Custom VJP bwd rule must produce an output with the same container (pytree) structure as the args tuple of the primal function, and in particular must produce a tuple (an array) of length equal to the number of arguments to the primal function, but got ${Array.isArray(cts) ? `an array of length ${cts.length}` : describeValue(cts)} for ${inputs.length} argument(s) (bwd must return one cotangent per argument)`,
      )
    }
    return inputs.map((x, i): Linear => {
      const c = cts[i]
      if (c === null || c === undefined) return Zero.like(x)
      const arr = typeof c === 'number' ? array(c, { dtype: x.dtype }) : c
      if (!(arr instanceof NdArray))
        throw new ValueError(
          `customVjp: bwd returned a ${typeof arr} as the cotangent of argument ${i}; expected an array, a number or null`,
        )
      return checkAval(
        (got, want) =>
          `customVjp: Custom VJP bwd rule must produce an output with the same shape/dtypes as the args tuple of the primal function, but at output[${i}] the bwd rule produced an output of shape/dtype ${got} corresponding to an input of shape/dtype ${want}`,
        arr,
        x,
      )
    })
  },
  formatParams: ({ name }) => `[f=${name}]`,
  // vmap: the same call on the whole batch, with f, fwd and bwd vmapped (residuals batched on
  // axis 0), so the custom rule still applies to the batched call
  batch: (prim, vals, bdims, params, size) => {
    const { name, f, fwd, bwd } = params as CustomVjpParams
    const batched: CustomVjpParams = {
      name,
      f: vmap(f),
      fwd: vmap(fwd),
      bwd: (res, yBar) => vmap(bwd)(res, yBar),
    }
    return [
      bind(
        prim,
        vals.map((x, i) => batchFirst(x, bdims[i] ?? null, size)),
        batched,
      ),
      0,
    ]
  },
})

/**
 * A function with a user-defined VJP, as JAX's `custom_vjp`: `fwd(...args)` returns
 * `[out, residuals]`, `bwd(residuals, cotangent)` returns one cotangent per argument (null for
 * none). `bwd` written with wengert ops is itself differentiable. With
 * `{ nondiffArgnums }` (JAX's `nondiff_argnums`) the arguments at those positions may be any
 * value (a function, a shape) and are not differentiated: `bwd(...nondiff, residuals, cotangent)`
 * returns one cotangent per remaining argument.
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
export function customVjp(
  f: (...args: NdArray[]) => NdArray,
  fwd: (...args: NdArray[]) => readonly [NdArray, unknown],
  bwd: (residuals: unknown, cotangent: NdArray) => ReadonlyArray<NdArray | number | null | undefined>,
): (...args: ReadonlyArray<NdArray | number>) => NdArray
export function customVjp<A extends readonly unknown[], R, Res>(
  f: (...args: A) => R,
  fwd: (...args: A) => readonly [R, Res],
  bwd: (residuals: Res, cotangent: R) => ReadonlyArray<unknown>,
): (...args: A) => R
export function customVjp<A extends readonly unknown[], R>(
  f: (...args: A) => R,
  fwd: (...args: A) => readonly [R, unknown],
  // bwd(...nondiff, residuals, cotangent): its arity depends on the positions
  bwd: (...args: never[]) => ReadonlyArray<unknown>,
  options: CustomDerivativeOptions,
): (...args: A) => R
export function customVjp(
  f: (...args: never[]) => unknown,
  fwd: (...args: never[]) => readonly [unknown, unknown],
  bwd: (...args: never[]) => ReadonlyArray<unknown>,
  options?: CustomDerivativeOptions,
): (...args: never[]) => unknown {
  const positions = nondiffPositions('customVjp', options)
  if (positions.length > 0) {
    return named((...args: never[]) => {
      const { fixed, rest, merge } = splitArgs('customVjp', positions, args)
      const inner = customVjp(
        named((...r: never[]) => f(...(merge(r) as never[])), f),
        (...r: never[]) => fwd(...(merge(r) as never[])),
        (res: unknown, g: unknown) => bwd(...([...fixed, res, g] as never[])),
      )
      return inner(...(rest as never[]))
    }, f)
  }
  return (...args) => {
    const call = new FlatCall('customVjp', args)
    const params: CustomVjpParams = {
      name: f.name || 'anonymous',
      f: (...leaves) => call.flatOut(f(...(call.unflattenArgs(leaves) as never[]))),
      fwd: (...leaves) => {
        const r = fwd(...(call.unflattenArgs(leaves) as never[]))
        if (!Array.isArray(r) || r.length !== 2) throw new ValueError(fwdPairMessage(r))
        return [call.flatOut(r[0]), r[1]]
      },
      bwd: (res, yBar) => call.flatCotangents(bwd(res as never, call.unflattenOut(yBar) as never)),
    }
    return call.unflattenOut(bind(custom_vjp_call, call.leaves, params))
  }
}

// -------------------------------------------------------------------------------------
// custom_jvp
// -------------------------------------------------------------------------------------

interface CustomJvpParams {
  /** The user's function's name, for the printed tape. */
  readonly name: string
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
    const r = rule(
      inputs,
      tangents.map((t, i) => instantiate(t, inputs[i] as NdArray)),
    )
    if (!Array.isArray(r) || r.length !== 2) throw new ValueError(jvpPairMessage(r))
    return checkAval(
      (got, want) =>
        `customJvp: Custom JVP rule must produce primal and tangent outputs with corresponding shapes and dtypes, but got tangent ${got} for primal output ${want}`,
      checkOut('customJvp rule', r[1]),
      output,
    )
  },
  // x̄ = (rule's tangent map)ᵀ ȳ, by reverse mode over the rule at zero tangents; only the float
  // inputs that need a cotangent are tangent variables (integer inputs keep a zero tangent)
  vjp: ({ inputs, needs, params: { rule } }, yBar) => {
    // constant zeros of each input's visible aval (a vmapped input's per-example shape, not its batch)
    const zeros = inputs.map((x) => zerosLike({ shape: x.shape, dtype: x.dtype }))
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
  formatParams: ({ name }) => `[f=${name}]`,
  // vmap: the same call on the whole batch, with f and the rule vmapped
  batch: (prim, vals, bdims, params, size) => {
    const { name, f, rule } = params as CustomJvpParams
    const batched: CustomJvpParams = { name, f: vmap(f), rule: vmap(rule) }
    return [
      bind(
        prim,
        vals.map((x, i) => batchFirst(x, bdims[i] ?? null, size)),
        batched,
      ),
      0,
    ]
  },
})

/**
 * A {@link customJvp} function. `defjvp(rule)` sets (or replaces) its rule and returns the rule,
 * as JAX's `f.defjvp` decorator does.
 * @category transforms
 * @since 0.2.0
 */
export type CustomJvpFunction<A extends readonly unknown[], R, P = A> = ((...args: A) => R) & {
  readonly defjvp: <Rule extends (primals: P, tangents: P) => readonly [R, R]>(rule: Rule) => Rule
}

/**
 * A function with a user-defined JVP, as JAX's `custom_jvp`: `rule(primals, tangents)` returns
 * `[out, tangentOut]`, given here or later with `f.defjvp(rule)` (JAX's form). Reverse mode works
 * too (wengert transposes the rule), and so do `vmap(grad(f))`, `vmap(jit(grad(f)))` and
 * `jit(vmap(grad(f)))`. With `{ nondiffArgnums }` (JAX's `nondiff_argnums`) the arguments at
 * those positions may be any value and are not differentiated: the rule is called as
 * `rule(...nondiff, primals, tangents)` with the primals and tangents of the other arguments.
 *
 * @example
 * import { customJvp, grad, jvp, vmap, array, exp, log1p, mul, sub, div, add, type NdArray } from 'wengert'
 * const myExp = customJvp(exp, ([x], [t]) => { const y = exp(x!); return [y, mul(y, t!)] })
 * const x = array(1, { dtype: 'float64' })
 * assert.ok(Math.abs((grad(myExp)(x).item() as number) - Math.E) < 1e-12)
 * assert.ok(Math.abs((jvp(myExp, [x], [x])[1].item() as number) - Math.E) < 1e-12)
 * // JAX's log1pexp: the rule keeps the gradient finite where exp overflows
 * const log1pexp = customJvp((x: NdArray) => log1p(exp(x)))
 * log1pexp.defjvp(([x], [t]) => [log1pexp(x), mul(sub(1, div(1, add(1, exp(x)))), t)])
 * assert.strictEqual(grad(log1pexp)(array(100, { dtype: 'float64' })).item(), 1)
 * assert.strictEqual(vmap(grad(log1pexp))(array([0], { dtype: 'float64' })).item(), 0.5)
 * @category transforms
 * @since 0.1.0
 */
export function customJvp(
  f: (...args: NdArray[]) => NdArray,
  rule: (primals: ReadonlyArray<NdArray>, tangents: ReadonlyArray<NdArray>) => readonly [NdArray, NdArray],
): CustomJvpFunction<ReadonlyArray<NdArray | number>, NdArray, ReadonlyArray<NdArray>>
export function customJvp<A extends readonly unknown[], R>(
  f: (...args: A) => R,
  rule?: (primals: A, tangents: A) => readonly [R, R],
): CustomJvpFunction<A, R>
export function customJvp<A extends readonly unknown[], R>(
  f: (...args: A) => R,
  // rule(...nondiff, primals, tangents): its arity depends on the positions
  rule: ((...args: never[]) => readonly [R, R]) | undefined,
  options: CustomDerivativeOptions,
): ((...args: A) => R) & { readonly defjvp: <Rule extends (...args: never[]) => readonly [R, R]>(rule: Rule) => Rule }
export function customJvp(
  f: (...args: never[]) => unknown,
  rule?: (...args: never[]) => readonly [unknown, unknown],
  options?: CustomDerivativeOptions,
): CustomJvpFunction<never[], unknown, never> {
  requireFunction('customJvp', 'f', f)
  const positions = nondiffPositions('customJvp', options)
  let current = rule
  const name = f.name || 'anonymous'
  const g = (...args: never[]): unknown => {
    const r = current
    if (r === undefined)
      throw new ValueError(
        `customJvp: No JVP defined for custom_jvp function ${name} using defjvp; give one with ${name}.defjvp(rule)`,
      )
    const { fixed, rest, merge } = splitArgs('customJvp', positions, args)
    const call = new FlatCall('customJvp', rest)
    const params: CustomJvpParams = {
      name,
      f: (...leaves) => call.flatOut(f(...(merge(call.unflattenArgs(leaves)) as never[]))),
      rule: (primals, tangents) => {
        const out = r(...([...fixed, call.unflattenArgs(primals), call.unflattenArgs(tangents)] as never[]))
        if (!Array.isArray(out) || out.length !== 2) throw new ValueError(jvpPairMessage(out))
        return [call.flatOut(out[0]), call.flatOut(out[1])]
      },
    }
    return call.unflattenOut(bind(custom_jvp_call, call.leaves, params))
  }
  const defjvp = <Rule extends (...args: never[]) => readonly [unknown, unknown]>(next: Rule): Rule => {
    if (typeof next !== 'function') throw new ValueError(`customJvp: defjvp expects a function, got ${typeof next}`)
    current = next
    return next
  }
  return Object.assign(g, { defjvp })
}
