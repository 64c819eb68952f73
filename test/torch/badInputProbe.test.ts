/**
 * Issue 10: every exported `torch.*` function, called with malformed arguments, raises a typed error
 * (a WengertError subclass: TorchTypeError, RuntimeError, …), never a raw JavaScript TypeError or
 * RangeError from deep inside the library.
 */
import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch/index'
import { argSets, expectOnlyKnown, probeRawCalls } from '../helpers/badInputProbe'
import { TorchTypeError } from '../../src/torch/errors'
import { KNOWN_RAW_CALLS } from './badInputKnown'

const t = (): torch.Tensor => torch.ones(2, 3)
const ARGSETS = argSets(t, () => torch.ones(4, 5, 6))

const messageOf = (f: () => unknown): string => {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(TorchTypeError)
    return (e as Error).message
  }
  return 'no error'
}

describe('bad input to torch.* functions', () => {
  it('raises typed errors, except the known calls left to fix (a list that only shrinks)', () => {
    expectOnlyKnown(probeRawCalls(torch, ARGSETS), KNOWN_RAW_CALLS)
  }, 60_000)

  it('raises typed errors in torch.fft', () => {
    expectOnlyKnown(probeRawCalls(torch.fft, ARGSETS), [])
    expect(messageOf(() => (torch.fft.fftshift as unknown as (u: unknown) => unknown)('a'))).toBe(
      "fft_fftshift(): argument 'input' (position 1) must be Tensor, not str",
    )
  })

  it('raises typed errors in torch.linalg and torch.special', () => {
    expectOnlyKnown(probeRawCalls(torch.linalg, ARGSETS), [])
    expectOnlyKnown(probeRawCalls(torch.special, ARGSETS), [])
    const untyped = (f: unknown) => f as (...a: unknown[]) => unknown
    // /usr/bin/python3 (PyTorch 1.13): torch.linalg.inv('a'), torch.linalg.lu_solve(t), ...
    expect(messageOf(() => untyped(torch.linalg.inv)('a'))).toBe(
      "linalg_inv(): argument 'A' (position 1) must be Tensor, not str",
    )
    expect(messageOf(() => untyped(torch.linalg.lu_solve)(t()))).toBe(
      'linalg_lu_solve() missing 2 required positional argument: "pivots", "B"',
    )
    expect(messageOf(() => untyped(torch.linalg.vector_norm)(t(), { dim: '1' }))).toBe(
      "linalg_vector_norm(): argument 'dim' must be tuple of ints, not str",
    )
    expect(messageOf(() => untyped(torch.linalg.svdvals)(t(), { dim: '1' }))).toBe(
      "linalg_svdvals() got an unexpected keyword argument 'dim'",
    )
    expect(messageOf(() => untyped(torch.linalg.norm)(t(), t())).split('\n')[0]).toBe(
      'linalg_norm() received an invalid combination of arguments - got (Tensor, Tensor), but expected one of:',
    )
    expect(messageOf(() => untyped(torch.special.logsumexp)(t(), 'x'))).toBe(
      "special_logsumexp(): argument 'dim' (position 2) must be tuple of ints, not str",
    )
    expect(messageOf(() => untyped(torch.special.polygamma)(t(), 1))).toBe(
      "special_polygamma(): argument 'n' (position 1) must be int, not Tensor",
    )
    expect(messageOf(() => untyped(torch.special.xlogy)({})).split('\n')).toEqual([
      'special_xlogy() received an invalid combination of arguments - got (dict), but expected one of:',
      ' * (Tensor input, Tensor other, *, Tensor out = None)',
      ' * (Number self, Tensor other, *, Tensor out = None)',
      ' * (Tensor input, Number other, *, Tensor out = None)',
    ])
  }, 60_000)

  it('reports a raw JavaScript error and passes a typed one (the probe can fail)', () => {
    // Arrange: one function failing raw, one typed, one accepting everything
    const ns = {
      raw: (x: unknown) => (x as { dim: () => number }).dim(),
      typed: () => {
        throw new TorchTypeError('typed')
      },
      fine: () => 0,
    }
    // Act
    const raw = probeRawCalls(ns, [['(1)', () => [1]]])
    // Assert
    expect(raw).toEqual(['raw(1)'])
    expect(() => expectOnlyKnown(raw, [])).toThrow()
    expect(() => expectOnlyKnown([], ['raw(1)'])).toThrow()
  })

  it('names the op and the argument as PyTorch 1.13 does', () => {
    const x = t()
    const untyped = (f: unknown) => f as (...a: unknown[]) => unknown
    // /usr/bin/python3: torch.mm(torch.ones(2, 3), 'x'), torch.dot(...), torch.t_copy(), ...
    expect(messageOf(() => untyped(torch.mm)(x, 'x'))).toBe(
      "mm(): argument 'mat2' (position 2) must be Tensor, not str",
    )
    expect(messageOf(() => untyped(torch.dot)(x, 'x'))).toBe(
      "dot(): argument 'tensor' (position 2) must be Tensor, not str",
    )
    expect(messageOf(() => untyped(torch.t_copy)())).toBe('t_copy() missing 1 required positional arguments: "input"')
    expect(messageOf(() => untyped(torch.ones_like)())).toBe(
      'ones_like() missing 1 required positional arguments: "input"',
    )
    expect(messageOf(() => untyped(torch.split)(x, 'x'))).toBe(
      "split_with_sizes(): argument 'split_sizes' (position 2) must be tuple of ints, not str",
    )
    // signature checks (issue 10); PyTorch 2.x prints a SymInt list as 'tuple of ints' (1.13: 'tuple of SymInts')
    expect(messageOf(() => untyped(torch.expand_copy)(x, 1.5))).toBe(
      "expand_copy(): argument 'size' (position 2) must be tuple of ints, not float",
    )
    expect(messageOf(() => untyped(torch.layer_norm)(x, { dim: '1' }))).toBe(
      'layer_norm() missing 1 required positional arguments: "normalized_shape"',
    )
    expect(messageOf(() => untyped(torch.permute_copy)())).toBe(
      'permute_copy() missing 2 required positional argument: "input", "dims"',
    )
    expect(messageOf(() => untyped(torch.conv1d)(x, 'x')).split('\n')[0]).toBe(
      'conv1d() received an invalid combination of arguments - got (Tensor, str), but expected one of:',
    )
    expect(messageOf(() => untyped(torch.memory_format)())).toBe("cannot create 'torch.memory_format' instances")
    expect(torch.preserve_format).toBeInstanceOf(torch.memory_format)
    // PyTorch names the argument ('tensor1'); the op recording check knows only its position
    expect(messageOf(() => untyped(torch.addcmul)(x, 'x', x))).toBe(
      'addcmul(): argument (position 2) must be Tensor, not str',
    )
  })
})
