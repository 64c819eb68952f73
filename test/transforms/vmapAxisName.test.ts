/**
 * vmap's named axes and the collectives over them (JAX: vmap(axis_name=), lax.psum, pmean, pmax,
 * pmin, axis_index, axis_size). Expected values are the sums, means and extremes written out;
 * gradients against float64 finite differences; staged forms (jit, scan, cond) against eager.
 */
import { describe, expect, it } from 'vitest'
import {
  NameError,
  NotDifferentiableError,
  ValueError,
  add,
  array,
  div,
  exp,
  grad,
  jit,
  jvp,
  lax,
  mul,
  sqrt,
  sub,
  sum,
  vmap,
  type NdArray,
} from '../../src'

const nums = (x: NdArray): number[] => x.toArray() as number[]

describe('collectives over a vmap axis', () => {
  const xs = array([1, 2, 5], { dtype: 'float64' })

  it('psum, pmean, pmax and pmin reduce over the named batch axis', () => {
    expect(nums(vmap((x: NdArray) => div(x, lax.psum(x, 'i')), { axisName: 'i' })(xs))).toEqual([0.125, 0.25, 0.625])
    expect(nums(vmap((x: NdArray) => sub(x, lax.pmean(x, 'i')), { axisName: 'i' })(xs))).toEqual([
      1 - 8 / 3,
      2 - 8 / 3,
      5 - 8 / 3,
    ])
    // an unbatched result comes out broadcast along out_axes 0, as every vmap output
    expect(nums(vmap((x: NdArray) => lax.pmax(x, 'i'), { axisName: 'i' })(xs))).toEqual([5, 5, 5])
    expect(nums(vmap((x: NdArray) => lax.pmin(x, 'i'), { axisName: 'i' })(xs))).toEqual([1, 1, 1])
  })

  it('reduces over the batch axis wherever inAxes put it, element-wise over the rest', () => {
    const m = array(
      [
        [1, 2, 3],
        [10, 20, 30],
      ],
      { dtype: 'float64' },
    )
    // mapped along axis 1: three elements, each a column of two
    const out = vmap((c: NdArray) => lax.psum(c, 'i'), { inAxes: 1, axisName: 'i' })(m)
    expect(out.toArray()).toEqual([
      [6, 60],
      [6, 60],
      [6, 60],
    ])
  })

  it('treats an operand the axis does not map as the same value in every element', () => {
    const f = vmap((x: NdArray, y: NdArray) => add(x, lax.psum(y, 'i')), { inAxes: [0, null], axisName: 'i' })
    expect(nums(f(xs, array(2, { dtype: 'float64' })))).toEqual([7, 8, 11])
    let size = array(0)
    vmap((x: NdArray) => ((size = lax.psum(1, 'i')), x), { axisName: 'i' })(xs)
    expect(size.dtype).toBe('int32')
    expect(size.toArray()).toBe(3)
    const pm = vmap((x: NdArray, y: NdArray) => add(x, lax.pmax(y, 'i')), { inAxes: [0, null], axisName: 'i' })
    expect(nums(pm(xs, array(4, { dtype: 'float64' })))).toEqual([5, 6, 9])
  })

  it('axisIndex counts the elements, axisSize gives their number', () => {
    expect(vmap((x: NdArray) => mul(x, lax.axisIndex('i')), { axisName: 'i' })(xs).toArray()).toEqual([0, 2, 10])
    let n = 0
    vmap((x: NdArray) => ((n = lax.axisSize('i')), x), { axisName: 'i' })(array([1, 2, 3, 4]))
    expect(n).toBe(4)
  })

  it('nested vmaps reduce over the axis named, or over several', () => {
    const m = array(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      { dtype: 'float64' },
    )
    const over = (names: string | string[]) =>
      vmap(
        vmap((x: NdArray) => lax.psum(x, names), { axisName: 'j' }),
        { axisName: 'i' },
      )(m).toArray()
    // 'i' is the outer axis (rows): column sums; 'j' the inner one: row sums
    expect(over('i')).toEqual([
      [5, 7, 9],
      [5, 7, 9],
    ])
    expect(over('j')).toEqual([
      [6, 6, 6],
      [15, 15, 15],
    ])
    expect(over(['i', 'j'])).toEqual([
      [21, 21, 21],
      [21, 21, 21],
    ])
    // the same name twice: the inner binding wins (as in JAX)
    const inner = vmap(
      vmap((x: NdArray) => lax.psum(x, 'i'), { axisName: 'i' }),
      { axisName: 'i' },
    )(m)
    expect(inner.toArray()).toEqual([
      [6, 6, 6],
      [15, 15, 15],
    ])
  })

  it('sums pytrees leaf by leaf, bool leaves as int32', () => {
    const out = vmap((x: NdArray) => lax.psum({ a: x, b: [mul(x, 2)] }, 'i'), { axisName: 'i' })(xs)
    expect(nums(out.a)).toEqual([8, 8, 8])
    expect(nums(out.b[0] as NdArray)).toEqual([16, 16, 16])
    const count = vmap((x: NdArray) => lax.psum(lax.gt(x, 1.5), 'i'), { axisName: 'i' })(xs)
    expect(count.dtype).toBe('int32')
    expect(nums(count)).toEqual([2, 2, 2])
  })
})

describe('staged: jit, scan and cond agree with eager', () => {
  const xs = array([0.5, -1, 2, 3], { dtype: 'float64' })
  const standardize = (x: NdArray): NdArray => {
    const mu = lax.pmean(x, 'b')
    const d = sub(x, mu)
    return div(d, sqrt(lax.pmean(mul(d, d), 'b')))
  }
  const eager = nums(vmap(standardize, { axisName: 'b' })(xs))

  it('jit outside and inside the vmap', () => {
    const m = 1.125
    const sd = Math.sqrt([0.5, -1, 2, 3].reduce((s, v) => s + (v - m) ** 2, 0) / 4)
    eager.forEach((v, k) => expect(v).toBeCloseTo(([0.5, -1, 2, 3][k]! - m) / sd, 12))
    expect(nums(jit(vmap(standardize, { axisName: 'b' }))(xs))).toEqual(eager)
    expect(nums(vmap(jit(standardize), { axisName: 'b' })(xs))).toEqual(eager)
  })

  it('a scan body and a cond branch inside the vmap', () => {
    const scanned = vmap(
      (x: NdArray) => lax.scan((c: NdArray, _: NdArray) => [add(c, lax.psum(x, 'b')), c] as const, x, array([0, 0]))[0],
      { axisName: 'b' },
    )(xs)
    expect(nums(scanned)).toEqual([0.5, -1, 2, 3].map((v) => v + 2 * 4.5))
    const branched = vmap(
      (x: NdArray) =>
        lax.cond(
          lax.gt(x, 0),
          (v: NdArray) => lax.psum(v, 'b'),
          (v: NdArray) => v,
          x,
        ),
      {
        axisName: 'b',
      },
    )(xs)
    // the predicate is batched: both branches run over the whole batch and each element selects
    expect(nums(branched)).toEqual([4.5, -1, 4.5, 4.5])
  })
})

describe('derivatives', () => {
  const xs = array([0.3, -0.7, 1.1], { dtype: 'float64' })
  const fd = (f: (x: NdArray) => NdArray, x: NdArray): number[] => {
    const v = nums(x)
    return v.map((_, k) => {
      const h = 1e-6
      const at = (d: number) =>
        f(
          array(
            v.map((u, j) => (j === k ? u + d : u)),
            { dtype: 'float64' },
          ),
        ).toArray() as number
      return (at(h) - at(-h)) / (2 * h)
    })
  }

  it('grad through a standardisation written with pmean matches finite differences', () => {
    const f = (x: NdArray): NdArray => {
      const e = exp(x)
      return div(e, lax.psum(e, 'i'))
    }
    const loss = (x: NdArray): NdArray =>
      sum(mul(vmap(f, { axisName: 'i' })(x), array([1, 2, 3], { dtype: 'float64' })))
    const g = nums(grad(loss)(xs))
    fd(loss, xs).forEach((v, k) => expect(g[k]).toBeCloseTo(v, 8))
  })

  it('psum transposes to psum (JAX): per-example gradients of the sum are the axis size', () => {
    expect(
      nums(
        vmap(
          grad((x: NdArray) => lax.psum(x, 'i')),
          { axisName: 'i' },
        )(xs),
      ),
    ).toEqual([3, 3, 3])
    const [y, t] = jvp(
      vmap((x: NdArray) => lax.psum(mul(x, x), 'i'), { axisName: 'i' }),
      [xs],
      [array([1, 0, 0], { dtype: 'float64' })],
    )
    const s = 0.09 + 0.49 + 1.21
    nums(y).forEach((v) => expect(v).toBeCloseTo(s, 12))
    nums(t).forEach((v) => expect(v).toBeCloseTo(0.6, 12))
  })

  it('pmax and pmin have no derivative rule, as in JAX', () => {
    const f = vmap(
      grad((x: NdArray) => lax.pmax(x, 'i')),
      { axisName: 'i' },
    )
    expect(() => f(xs)).toThrow(NotDifferentiableError)
    expect(() => f(xs)).toThrow("Differentiation rule for 'pmax' not implemented")
    expect(() =>
      vmap(
        grad((x: NdArray) => lax.pmin(x, 'i')),
        { axisName: 'i' },
      )(xs),
    ).toThrow("Differentiation rule for 'pmin' not implemented")
  })
})

describe('errors', () => {
  const xs = array([1, 2, 3])

  it('an axis name no vmap binds raises NameError naming it and the bound ones', () => {
    expect(() => lax.psum(xs, 'i')).toThrow(NameError)
    expect(() => lax.psum(xs, 'i')).toThrow("psum: found an unbound axis name: 'i'")
    expect(() => vmap((x: NdArray) => lax.pmean(x, 'k'), { axisName: 'i' })(xs)).toThrow(
      "the axis names bound here are 'i'",
    )
    expect(() => lax.axisIndex('i')).toThrow(NameError)
    expect(() => lax.axisSize('i')).toThrow(NameError)
    // the binding ends with the vmap, also when it throws
    expect(() => vmap((x: NdArray) => lax.psum(x, 'nope'), { axisName: 'i' })(xs)).toThrow(NameError)
    expect(() => lax.psum(xs, 'i')).toThrow(NameError)
    expect(() => jit((x: NdArray) => lax.psum(x, 'i'))(xs)).toThrow(NameError)
  })

  it('bad names and unsupported options raise typed errors', () => {
    expect(() => vmap((x: NdArray) => x, { axisName: 3 as unknown as string })).toThrow(
      'vmap: axisName must be a string, got 3',
    )
    expect(() => vmap((x: NdArray) => lax.psum(x, 5 as unknown as string), { axisName: 'i' })(xs)).toThrow(ValueError)
    expect(() =>
      vmap((x: NdArray) => lax.psum(x, 'i', { axisIndexGroups: [[0]] as never }), { axisName: 'i' })(xs),
    ).toThrow('psum: axisIndexGroups is not supported')
  })
})
