/**
 * Bad input gets a typed error (`ShapeError`, `DTypeError`, `ValueError`, all `WengertError`s,
 * all exported) whose message names the operation, what it received and what it expected.
 * One test per kind of mistake the issue lists: broadcasting, out-of-range axes, a -1 that cannot
 * be inferred, non-integer shapes, ragged nested input, NaN in a shape.
 */
import { describe, expect, it } from 'vitest'
import * as w from '../../src/index'
import { DTypeError, ShapeError, ValueError, WengertError, add, array, ones, random, zeros } from '../../src/index'

/** Runs `f`, expecting it to throw an error of class `E`; returns the error. */
const thrown = <E extends Error>(E: new (...args: never[]) => E, f: () => unknown): E => {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(E)
    expect(e).toBeInstanceOf(WengertError)
    return e as E
  }
  return expect.fail(`expected ${E.name} to be thrown`)
}

describe('error classes', () => {
  it('are exported, extend WengertError and carry their own name', () => {
    for (const E of [
      ShapeError,
      DTypeError,
      ValueError,
      w.NotDifferentiableError,
      w.TreeMismatchError,
      w.InternalError,
    ]) {
      const e = new E('m')
      expect(e).toBeInstanceOf(WengertError)
      expect(e).toBeInstanceOf(Error)
      expect(e.name).toBe(E.name)
    }
    expect(new w.InternalError('x').message).toBe('internal: x')
  })
})

describe('broadcasting', () => {
  it('names the op and both shapes', () => {
    expect(thrown(ShapeError, () => add(ones([2, 3]), ones([4]))).message).toBe(
      'add: Incompatible shapes for broadcasting: shapes=[(2, 3), (4,)]',
    )
  })

  // every binary op names itself, not the primitive it is built on (greater binds gt, minimum max)
  it.each([
    ['sub', w.sub],
    ['mul', w.mul],
    ['div', w.div],
    ['pow', w.pow],
    ['maximum', w.maximum],
    ['minimum', w.minimum],
    ['atan2', w.atan2],
    ['equal', w.equal],
    ['notEqual', w.notEqual],
    ['greater', w.greater],
    ['greaterEqual', w.greaterEqual],
    ['less', w.less],
    ['lessEqual', w.lessEqual],
    ['logicalAnd', w.logicalAnd],
    ['logicalOr', w.logicalOr],
  ] as const)('%s', (op, f) => {
    expect(thrown(ShapeError, () => f(ones([3, 1, 2]), ones([4, 3]))).message).toBe(
      `${op}: Incompatible shapes for broadcasting: shapes=[(3, 1, 2), (4, 3)]`,
    )
  })

  it('where and clip too', () => {
    expect(thrown(ShapeError, () => w.where(array([true, false]), ones([3]), 0)).message).toBe(
      'where: Incompatible shapes for broadcasting: shapes=[(2,), (3,)]',
    )
    expect(thrown(ShapeError, () => w.clip(ones([3]), ones([2]))).message).toBe(
      'clip: Incompatible shapes for broadcasting: shapes=[(3,), (2,)]',
    )
  })
})

describe('out-of-range axes', () => {
  const x = ones([2, 3])
  it.each([
    ['sum', () => w.sum(x, { axis: 2 })],
    ['mean', () => w.mean(x, { axis: -3 })],
    ['max', () => w.max(x, { axis: [0, 5] })],
    ['argmax', () => w.argmax(x, { axis: 2 })],
    ['softmax', () => w.softmax(x, { axis: 2 })],
    ['logsumexp', () => w.logsumexp(x, { axis: 2 })],
    ['concat', () => w.concat([x, x], 2)],
    ['squeeze', () => w.squeeze(x, 2)],
    ['flip', () => w.flip(x, -3)],
    ['take', () => w.take(x, [0], 2)],
    ['split', () => w.split(x, 1, 2)],
    ['transpose', () => w.transpose(x, [0, 2])],
  ] as const)('%s names itself, the axis and the valid range', (op, f) => {
    const e = thrown(ShapeError, f)
    expect(e.message).toMatch(
      new RegExp(`^${op}: axis -?\\d+ is out of bounds for array of dimension 2; expected an integer in \\[-2, 1\\]`),
    )
  })

  it('a fractional axis is out of range too', () => {
    expect(thrown(ShapeError, () => w.sum(x, { axis: 0.5 })).message).toMatch(/^sum: axis 0.5 is out of bounds/)
  })
})

describe('reshape -1', () => {
  it('a -1 that cannot be inferred', () => {
    const e = thrown(ShapeError, () => w.reshape(w.arange(6), [4, -1]))
    expect(e.message).toBe(
      'reshape: cannot reshape array of shape (6,) (size 6) into shape (4, -1) because the product of specified axis sizes (4) does not evenly divide 6',
    )
    thrown(ShapeError, () => w.reshape(zeros([0]), [0, -1]))
  })

  it('two -1s', () => {
    expect(thrown(ShapeError, () => w.reshape(w.arange(6), [-1, -1])).message).toBe(
      'reshape: can only specify one unknown dimension (-1), got [-1,-1]',
    )
  })
})

describe('non-integer and NaN shapes', () => {
  it.each([
    ['zeros', () => zeros([2.5])],
    ['ones', () => ones([2, 0.5])],
    ['full', () => w.full([-1], 0)],
    ['reshape', () => w.reshape(w.arange(6), [1.5, 4])],
    ['eye', () => w.eye(2.5)],
    ['array', () => array([1, 2], { shape: [0.5, 4] })],
    ['random.normal', () => random.normal(random.key(0), [2.5])],
  ] as const)('%s: a fractional or negative size', (_, f) => {
    expect(thrown(ValueError, f).message).toMatch(/is invalid; expected non-negative integers/)
  })

  it.each([
    ['zeros', () => zeros([NaN])],
    ['ones', () => ones([2, NaN])],
    ['reshape', () => w.reshape(w.arange(6), [NaN, 6])],
    ['broadcastTo', () => w.broadcastTo(ones([1]), [NaN])],
    ['random.uniform', () => random.uniform(random.key(0), [NaN])],
  ] as const)('%s: NaN in a shape', (op, f) => {
    const e = thrown(ValueError, f)
    expect(e.message.startsWith(`${op}: shape [`)).toBe(true)
    expect(e.message).toMatch(/NaN.*is invalid/)
  })
})

describe('ragged nested input', () => {
  it('names the element whose shape differs and the shape expected', () => {
    expect(thrown(ValueError, () => array([[1, 2], [3]])).message).toBe(
      'array: ragged nested input: element [1] has shape [1] but [0] has shape [2]',
    )
    expect(
      thrown(ValueError, () =>
        array([
          [[1], [2]],
          [[3], [4, 5]],
        ]),
      ).message,
    ).toMatch(/element \[1\]\[1\] has shape \[2\] but \[1\]\[0\] has shape \[1\]/)
    thrown(ValueError, () => array([1, [2]]))
    thrown(ValueError, () => array([[1], 2]))
  })
})

describe('dtype errors', () => {
  it('unknown dtypes name the op and the choices', () => {
    // @ts-expect-error not a dtype
    expect(thrown(DTypeError, () => zeros([1], { dtype: 'float16' })).message).toBe(
      'zeros: Dtype float16 is not a valid JAX array type. Only arrays of numeric types are supported by JAX; expected one of bool, uint8, int8, int16, int32, int64, float32, float64',
    )
    // @ts-expect-error not a dtype
    thrown(DTypeError, () => array([1], { dtype: 'uint32' }))
  })

  it('arithmetic on bool and integer indices', () => {
    expect(thrown(DTypeError, () => w.neg(array([true]))).message).toBe(
      'neg: expected a numeric array, got dtype bool; cast it with astype first',
    )
    thrown(DTypeError, () => w.take(w.arange(3), [0.5]))
    thrown(DTypeError, () => random.normal(random.key(0), [2], { dtype: 'int32' as 'float32' }))
  })
})

describe('other values', () => {
  it('item on more than one element, non-array operands', () => {
    expect(thrown(ValueError, () => ones([2]).item()).message).toMatch(/^item: can only convert an array of size 1/)
    // @ts-expect-error strings are not operands
    expect(thrown(ValueError, () => add('a', 1)).message).toBe('add: expected an array or a number, got string')
  })

  it('errors leave the inputs untouched', () => {
    const x = array([1, 2, 3])
    expect(() => add(x, ones([2]))).toThrow()
    expect(x.toArray()).toEqual([1, 2, 3])
  })
})
