/**
 * JAX's "Generalized Convolutions" guide ported: the edge kernel (HWIO) over an image of coloured
 * squares (NHWC, built with `.at[…].set`), through lax.conv in NCHW, conv_with_general_padding,
 * conv_dimension_numbers + conv_general_dilated with 'SAME', 'VALID', strides, rhs (atrous) and
 * lhs (transposed) dilation, conv_transpose, a 1-D (NWC/WIO) and a 3-D (NHWDC/HWDIO)
 * convolution. Expected values: a direct float64 NumPy loop over kernel taps
 * (fixtures/jaxConvolutions.py → .json), compared by shape and three checksums.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as w from 'wengert'
import { array, jit, lax, type NdArray } from 'wengert'

interface Summary {
  shape: number[]
  sum: number
  abs: number
  weighted: number
}
const fx = JSON.parse(readFileSync(new URL('./fixtures/jaxConvolutions.json', import.meta.url), 'utf8')) as Record<
  string,
  Summary
>

const expectSummary = (y: NdArray, name: string, tol = 1e-9): void => {
  const want = fx[name] as Summary
  expect(y.shape).toEqual(want.shape)
  const v = Array.from(y.toTypedArray() as Float32Array)
  let s = 0
  let a = 0
  let ws = 0
  v.forEach((x, i) => {
    s += x
    a += Math.abs(x)
    ws += x * Math.cos(0.37 * i)
  })
  const scale = Math.max(1, want.abs)
  expect(Math.abs(s - want.sum) / scale).toBeLessThanOrEqual(tol)
  expect(Math.abs(a - want.abs) / scale).toBeLessThanOrEqual(tol)
  expect(Math.abs(ws - want.weighted) / scale).toBeLessThanOrEqual(tol)
}

describe('JAX guide: Generalized Convolutions (lax.conv_general_dilated)', () => {
  // 2D kernel - HWIO layout: jnp.zeros((3, 3, 3, 3)) + edge[:, :, newaxis, newaxis]
  const edge = array([
    [1, 1, 0],
    [1, 0, -1],
    [0, -1, -1],
  ])
  const kernel = w.add(w.zeros([3, 3, 3, 3]), w.expandDims(edge, [2, 3]))
  // NHWC layout
  let img = w.zeros([1, 200, 198, 3])
  for (let k = 0; k < 3; k++) {
    const x = 30 + 60 * k
    const y = 20 + 60 * k
    img = img.at(0, `${x}:${x + 10}`, `${y}:${y + 10}`, k).set(1)
  }
  const dn = lax.convDimensionNumbers(img.shape, kernel.shape, ['NHWC', 'HWIO', 'NHWC'])

  it('lax.conv on NCHW/OIHW transposes, and conv_with_general_padding with explicit pads', () => {
    expect(w.sum(img).item()).toBe(300)
    const imgNchw = w.transpose(img, [0, 3, 1, 2])
    const kernelOihw = w.transpose(kernel, [3, 2, 0, 1])
    const out = lax.conv(imgNchw, kernelOihw, [1, 1], 'SAME')
    expect(out.shape).toEqual([1, 3, 200, 198])
    expectSummary(w.transpose(out, [0, 2, 3, 1]), 'same')
    const padded = lax.convWithGeneralPadding(
      imgNchw,
      kernelOihw,
      [1, 1],
      [
        [2, 2],
        [2, 2],
      ],
      [1, 1],
      [1, 1],
    )
    expectSummary(padded, 'general_padding_nchw')
  })

  it("conv_dimension_numbers(img.shape, kernel.shape, ('NHWC', 'HWIO', 'NHWC')) and SAME / VALID / strided", () => {
    expect(dn).toEqual({ lhsSpec: [0, 3, 1, 2], rhsSpec: [3, 2, 0, 1], outSpec: [0, 3, 1, 2] })
    const conv = (strides: number[], padding: lax.Padding, opts: lax.ConvGeneralOptions = {}): NdArray =>
      lax.convGeneralDilated(img, kernel, strides, padding, {
        lhsDilation: [1, 1],
        rhsDilation: [1, 1],
        dimensionNumbers: dn,
        ...opts,
      })
    expectSummary(conv([1, 1], 'SAME'), 'same')
    expectSummary(conv([1, 1], 'VALID'), 'valid')
    expectSummary(conv([2, 2], 'SAME'), 'strided_same')
    // the string form of dimension_numbers gives the same result under jit
    const jitted = jit((x: NdArray, k: NdArray) =>
      lax.convGeneralDilated(x, k, [2, 2], 'SAME', { dimensionNumbers: ['NHWC', 'HWIO', 'NHWC'] }),
    )
    expectSummary(jitted(img, kernel), 'strided_same')
  })

  it('rhs_dilation (atrous), lhs_dilation (transposed) and conv_transpose', () => {
    const atrous = lax.convGeneralDilated(img, kernel, [1, 1], 'VALID', { rhsDilation: [12, 12], dimensionNumbers: dn })
    expectSummary(atrous, 'atrous_valid')
    const lhsDilated = lax.convGeneralDilated(
      img,
      kernel,
      [1, 1],
      [
        [0, 0],
        [0, 0],
      ],
      {
        lhsDilation: [2, 2],
        rhsDilation: [1, 1],
        dimensionNumbers: dn,
      },
    )
    expectSummary(lhsDilated, 'lhs_dilated')
    const transposed = lax.convTranspose(img, kernel, [2, 2], 'SAME', { dimensionNumbers: dn })
    expectSummary(transposed, 'transpose_same')
  })

  it('1-D convolution in NWC/WIO and 3-D convolution in NHWDC/HWDIO', () => {
    // 1D kernel - WIO layout
    const k1 = w.transpose(
      array([
        [
          [1, 0, -1],
          [-1, 0, 1],
        ],
        [
          [1, 1, 1],
          [-1, -1, -1],
        ],
      ]),
      [2, 1, 0],
    )
    let d1 = w.zeros([1, 200, 2])
    for (let i = 0; i < 2; i++) {
      for (let k = 0; k < 2; k++) {
        const x = 35 * i + 30 + 60 * k
        d1 = d1.at(0, `${x}:${x + 30}`, k).set(1)
      }
    }
    const dn1 = lax.convDimensionNumbers(d1.shape, k1.shape, ['NWC', 'WIO', 'NWC'])
    expectSummary(
      lax.convGeneralDilated(d1, k1, [1], 'SAME', { lhsDilation: [1], rhsDilation: [1], dimensionNumbers: dn1 }),
      'conv1d',
    )

    // 3D kernel - HWDIO layout; data sin(2πx)cos(2πy)cos(2πz) on np.mgrid[0:1:30j, …] - NHWDC
    const k3 = w.expandDims(
      array([
        [
          [0, 0, 0],
          [0, 1, 0],
          [0, 0, 0],
        ],
        [
          [0, -1, 0],
          [-1, 0, -1],
          [0, -1, 0],
        ],
        [
          [0, 0, 0],
          [0, 1, 0],
          [0, 0, 0],
        ],
      ]),
      [3, 4],
    )
    const g = w.linspace(0, 1, 30)
    const [x, y, z] = w.meshgrid(g, g, g, { indexing: 'ij' }) as [NdArray, NdArray, NdArray]
    const twoPi = 2 * Math.PI
    const field = w.mul(w.mul(w.sin(w.mul(twoPi, x)), w.cos(w.mul(twoPi, y))), w.cos(w.mul(twoPi, z)))
    const d3 = w.add(w.zeros([1, 30, 30, 30, 1]), w.expandDims(field, [0, 4]))
    const dn3 = lax.convDimensionNumbers(d3.shape, k3.shape, ['NHWDC', 'HWDIO', 'NHWDC'])
    const out3 = lax.convGeneralDilated(d3, k3, [1, 1, 1], 'SAME', { dimensionNumbers: dn3 })
    expectSummary(out3, 'conv3d', 1e-5)
  })
})
