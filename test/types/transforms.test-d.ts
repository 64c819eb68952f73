/**
 * Type tests of the public API (STYLE C15): what the transforms and ops return, checked by the
 * compiler through `vitest --typecheck`. A wrong type here fails CI even when values are right.
 */
import { describe, expectTypeOf, it } from 'vitest'
import {
  array,
  grad,
  hessian,
  jacrev,
  jvp,
  linearize,
  sum,
  mul,
  valueAndGrad,
  vjp,
  tree,
  type NdArray,
} from '../../src/index'
import * as torch from '../../src/torch/index'

const f = (x: NdArray, y: NdArray): NdArray => sum(mul(x, y))

describe('transform types', () => {
  it('grad keeps the structure of the differentiated argument(s)', () => {
    expectTypeOf(grad(f)).returns.toEqualTypeOf<NdArray>()
    expectTypeOf(grad(f, { argnums: [0, 1] })).returns.toEqualTypeOf<[NdArray, NdArray]>()
    const g = grad((p: { w: NdArray; b: number }) => sum(mul(p.w, p.b)))
    expectTypeOf(g).returns.toEqualTypeOf<{ w: NdArray; b: NdArray }>()
  })

  it('valueAndGrad pairs the value with the gradient; hasAux nests [value, aux]', () => {
    expectTypeOf(valueAndGrad(f)).returns.toEqualTypeOf<[NdArray, NdArray]>()
    const withAux = valueAndGrad((x: NdArray) => [sum(x), 'note'] as const, { hasAux: true })
    expectTypeOf(withAux).returns.toEqualTypeOf<[[NdArray, 'note'], NdArray]>()
  })

  it('vjp, jvp and linearize return the output with a pullback / tangent', () => {
    const x = array([1, 2])
    const [out, pull] = vjp(f, x, x)
    expectTypeOf(out).toEqualTypeOf<NdArray>()
    expectTypeOf(pull).returns.toEqualTypeOf<[NdArray, NdArray]>()
    expectTypeOf(jvp(f, [x, x], [x, x])).toEqualTypeOf<[NdArray, NdArray]>()
    const [, lin] = linearize((t: NdArray) => mul(t, t), x)
    expectTypeOf(lin).returns.toEqualTypeOf<NdArray>()
  })

  it('jacobians are arrays by default', () => {
    expectTypeOf(jacrev((t: NdArray) => mul(t, t))).returns.toEqualTypeOf<NdArray>()
    expectTypeOf(hessian((t: NdArray) => sum(t))).returns.toEqualTypeOf<NdArray>()
  })

  it('pytree helpers and the facade', () => {
    expectTypeOf(tree.leaves({ w: array([1]), b: [1, 2] })).toEqualTypeOf<Array<NdArray | number>>()
    expectTypeOf(tree.map((x: NdArray | number) => String(x), { w: array([1]), b: [1, 2] })).toEqualTypeOf<{
      w: string
      b: string[]
    }>()
    const t = torch.tensor([1, 2, 3], { requires_grad: true })
    expectTypeOf(t).toEqualTypeOf<torch.Tensor>()
    expectTypeOf(t.grad).toEqualTypeOf<torch.Tensor | null>()
    expectTypeOf(t.sum()).toEqualTypeOf<torch.Tensor>()
  })
})
