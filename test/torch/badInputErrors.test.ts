/**
 * Issue 10: malformed torch.* calls raise PyTorch's own error, class and text. The fixture
 * (fixtures/bad_input_errors.json, written by fixtures/bad_input_errors.py with PyTorch) holds the
 * first line of each message: overload errors go on to list signatures, which wengert prints in part.
 */
import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch/index'
import { WengertError } from '../../src/ndarray/errors'
import fixture from './fixtures/bad_input_errors.json'

type Arg = string | number | null | ReadonlyArray<Arg>
interface Case {
  readonly fn: string
  readonly args: ReadonlyArray<Arg>
  readonly error: string
  readonly message: string
}

/** The fixture's argument encoding: "t" a 2×3 tensor, "t3d" a 4×5×6 one, "str:<s>" a string. */
const decode = (a: Arg): unknown => {
  if (Array.isArray(a)) return a.map(decode)
  if (a === 't') return torch.ones(2, 3)
  if (a === 't3d') return torch.ones(4, 5, 6)
  if (typeof a === 'string' && a.startsWith('str:')) return a.slice(4)
  return a
}

const thrown = (f: () => unknown): Error => {
  try {
    f()
  } catch (e) {
    return e as Error
  }
  throw new Error('no error')
}

describe('malformed torch.* calls raise what PyTorch raises', () => {
  it.each(
    (fixture.cases as ReadonlyArray<Case>).map((c) => [
      `${c.fn}(${c.args.map((a) => JSON.stringify(a)).join(', ')})`,
      c,
    ]),
  )('%s', (_label, c) => {
    // Arrange
    const f = (torch as unknown as Record<string, (...a: unknown[]) => unknown>)[c.fn]
    expect(f).toBeTypeOf('function')
    // Act
    const e = thrown(() => f?.(...c.args.map(decode)))
    // Assert
    expect(e).toBeInstanceOf(WengertError)
    expect(e.name).toBe(c.error)
    expect(e.message.split('\n')[0]).toBe(c.message)
  })
})
