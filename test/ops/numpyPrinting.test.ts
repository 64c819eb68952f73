/**
 * jnp.printoptions / get_printoptions / set_printoptions (they change how every array prints),
 * array_repr and array_str against NumPy's output (NumPy 1.24 printed the expected strings; the
 * summarised repr adds `shape=` as NumPy ≥ 2.2), and frombuffer, fromstring, fromiter, iterable.
 */
import { afterEach, describe, expect, it } from 'vitest'
import {
  arange,
  array,
  arrayRepr,
  arrayStr,
  frombuffer,
  fromiter,
  fromstring,
  getPrintoptions,
  iterable,
  printoptions,
  setPrintoptions,
} from '../../src'
import { DTypeError, ValueError } from '../../src/ndarray/errors'

const DEFAULTS = getPrintoptions()
afterEach(() => setPrintoptions(DEFAULTS))

describe('print options', () => {
  it("NumPy's defaults", () => {
    expect(getPrintoptions()).toEqual({
      edgeitems: 3,
      threshold: 1000,
      floatmode: 'maxprec',
      precision: 8,
      suppress: false,
      linewidth: 75,
      nanstr: 'nan',
      infstr: 'inf',
      sign: '-',
      formatter: null,
      legacy: false,
    })
  })
  it('printoptions changes String(x) inside and restores after, also on a throw', () => {
    const x = arange(10, { dtype: 'float64' })
    const inside = printoptions({ precision: 3, threshold: 5, edgeitems: 2 }, () => [String(x), arrayStr(x)])
    expect(inside).toEqual(['array([0., 1., ..., 8., 9.], shape=(10,))', '[0. 1. ... 8. 9.]'])
    expect(String(x)).toBe('array([0., 1., 2., 3., 4., 5., 6., 7., 8., 9.])')
    expect(() =>
      printoptions({ precision: 2 }, () => {
        throw new Error('boom')
      }),
    ).toThrow('boom')
    expect(getPrintoptions().precision).toBe(8)
  })
  it('setPrintoptions persists; bad or unsupported values raise and change nothing', () => {
    setPrintoptions({ precision: 3 })
    expect(String(array([Math.PI, 1], { dtype: 'float64' }))).toBe('array([3.142, 1.   ])')
    expect(() => setPrintoptions({ precision: -1 })).toThrow(ValueError)
    expect(() => setPrintoptions({ suppress: true })).toThrow(/suppress=true is not supported/)
    expect(() => setPrintoptions({ bogus: 1 } as never)).toThrow()
    expect(getPrintoptions().precision).toBe(3)
  })
})

describe('array_repr and array_str', () => {
  it("NumPy's strings", () => {
    expect(
      arrayStr(
        array(
          [
            [1, 2.5],
            [3, 4],
          ],
          { dtype: 'float64' },
        ),
      ),
    ).toBe('[[1.  2.5]\n [3.  4. ]]')
    expect(arrayStr(array([1, 2, 3], { dtype: 'int32' }))).toBe('[1 2 3]')
    expect(arrayStr(array(1.5, { dtype: 'float64' }))).toBe('1.5')
    expect(arrayRepr(array([Math.PI, 1], { dtype: 'float64' }), null, 3)).toBe('array([3.142, 1.   ])')
    expect(arrayStr(arange(30, { dtype: 'float64' }), 30)).toBe(
      '[ 0.  1.  2.  3.  4.  5.  6.\n  7.  8.  9. 10. 11. 12. 13.\n 14. 15. 16. 17. 18. 19. 20.\n 21. 22. 23. 24. 25. 26. 27.\n 28. 29.]',
    )
    expect(() => arrayRepr(array([1]), null, null, true)).toThrow(/suppress_small=True is not supported/)
  })
})

describe('frombuffer, fromstring, fromiter, iterable', () => {
  it('frombuffer reads little-endian items; float64 items give float32 (JAX without x64)', () => {
    const x = frombuffer(new Float64Array([1, -2.5]))
    expect([x.dtype, x.toArray()]).toEqual(['float32', [1, -2.5]])
    expect(frombuffer(new Float64Array([1, -2.5, 7]).buffer, 'float64', 1, 8).toArray()).toEqual([-2.5])
    expect(frombuffer(new Uint8Array([0, 0, 0x80, 0x3f]), 'float32').toArray()).toEqual([1])
    expect(frombuffer(new Uint8Array([255, 1]), 'int8').toArray()).toEqual([-1, 1])
    expect(() => frombuffer(new Uint8Array(3), 'int16')).toThrow('buffer size must be a multiple of element size')
    expect(() => frombuffer(new Uint8Array(4), 'int16', 3)).toThrow(/buffer is smaller than requested size/)
    expect(() => frombuffer(new Uint8Array(4), 'complex64' as never)).toThrow(DTypeError)
  })
  it('fromstring parses text at sep; the binary mode raises', () => {
    expect(fromstring('1 2\n 3', 'float64', -1, { sep: ' ' }).toArray()).toEqual([1, 2, 3])
    expect(fromstring('4,5,6', 'int32', 2, { sep: ',' }).toArray()).toEqual([4, 5])
    expect(() => fromstring('1 2', 'float64', -1, { sep: '' })).toThrow(/binary mode/)
    expect(() => fromstring('1 x', 'float64', -1, { sep: ' ' })).toThrow("could not convert string to float64: 'x'")
  })
  it('fromiter is not implemented, as JAX; iterable as NumPy', () => {
    expect(() => fromiter([1, 2])).toThrow('jnp.fromiter() is not implemented')
    expect([
      iterable([1]),
      iterable('ab'),
      iterable(new Set([1])),
      iterable(array([1, 2])),
      iterable(array(1)),
      iterable(2),
      iterable(null),
    ]).toEqual([true, true, true, true, false, false, false])
  })
})
