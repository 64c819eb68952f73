/**
 * JAX's "Writing custom Jaxpr interpreters" tutorial, its inverse-function interpreter ported:
 * trace f with make_jaxpr (makeTape), then walk the equations backwards, applying each
 * primitive's registered inverse (exp → log, tanh → arctanh). As in the tutorial the result
 * composes with jit, vmap, grad and make_jaxpr. Expected values: mathematics
 * (f⁻¹(f(x)) = x, (f⁻¹)′(y) = 1/f′(x)).
 */
import { describe, expect, it } from 'vitest'
import * as w from 'wengert'
import { array, grad, isVar, jit, makeTape, vmap, type Atom, type Equation, type NdArray, type Tape } from 'wengert'

const f64 = (x: number | number[]): NdArray => array(x, { dtype: 'float64' })
const vals = (x: NdArray): number[] => Array.from(x.toTypedArray() as Float64Array)

/** inverse_registry: primitive name → the inverse function. */
const inverseRegistry = new Map<string, (y: NdArray) => NdArray>([
  ['exp', w.log],
  ['tanh', w.arctanh],
])

/** Walks the tape backwards, writing each equation's input from its output. */
const inverseTape = (tape: Tape, ...args: NdArray[]): NdArray => {
  const env = new Map<number, NdArray>()
  const read = (a: Atom): NdArray => (isVar(a) ? (env.get(a.id) as NdArray) : a)
  const write = (a: Atom, v: NdArray): void => {
    if (isVar(a)) env.set(a.id, v)
  }
  tape.outputs.forEach((v, i) => write(v, args[i] as NdArray))
  for (const eqn of [...tape.equations].reverse()) {
    const invals = eqn.outvars.map(read)
    const inv = inverseRegistry.get(eqn.primitive.name)
    if (inv === undefined) throw new Error(`inverse: no inverse for ${eqn.primitive.name}`)
    write(eqn.invars[0] as Atom, inv(invals[0] as NdArray))
  }
  return read(tape.inputs[0] as Atom)
}

const inverse =
  (fun: (x: NdArray) => NdArray) =>
  (...args: NdArray[]): NdArray =>
    inverseTape(makeTape(fun)(...(args as [NdArray])), ...args)

describe('JAX tutorial: Writing custom Jaxpr interpreters (inverse)', () => {
  const f = (x: NdArray): NdArray => w.exp(w.tanh(x))
  const fInv = inverse(f)

  it('f_inv(f(1.0)) is 1.0, and the tape of f is tanh then exp', () => {
    expect(String(makeTape(f)(f64(1)))).toMatch(/tanh[\s\S]*exp/)
    expect(Math.abs((fInv(f(f64(1))).item() as number) - 1)).toBeLessThan(1e-14)
  })

  it('composes with jit, vmap and grad: jit(vmap(f_inv)), and (f⁻¹)′(f(x)) = 1 / f′(x)', () => {
    const xs = f64([-1.5, -0.2, 0.3, 1.1])
    vals(jit(vmap(fInv))(f(xs))).forEach((v, i) => expect(Math.abs(v - (vals(xs)[i] as number))).toBeLessThan(1e-12))
    for (const x of [-0.7, 0.4, 1.2]) {
      const fPrime = grad(f)(f64(x)).item() as number
      expect(Math.abs((grad(fInv)(f(f64(x))).item() as number) - 1 / fPrime)).toBeLessThan(1e-10)
      expect(Math.abs(fPrime - Math.exp(Math.tanh(x)) * (1 - Math.tanh(x) ** 2))).toBeLessThan(1e-14)
    }
  })

  it('make_jaxpr(inverse(f)) is log then arctanh; an unregistered primitive is refused', () => {
    const tape = makeTape(fInv)(f(f64(1)))
    expect(String(tape)).toMatch(/log[\s\S]*atanh/)
    // the output is atanh(log(input)): follow the producing equations back from the output
    const producer = (a: Atom): Equation | undefined =>
      tape.equations.find((e) => e.outvars.some((v) => isVar(a) && v.id === a.id))
    const last = producer(tape.outputs[0] as Atom)
    expect(last?.primitive.name).toBe('atanh')
    const first = producer(last?.invars[0] as Atom)
    expect(first?.primitive.name).toBe('log')
    expect(first?.invars[0]).toBe(tape.inputs[0])
    expect(() => inverse(w.sin)(f64(0.5))).toThrow(/no inverse for sin/)
  })
})
