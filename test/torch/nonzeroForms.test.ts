/**
 * nonzero / argwhere against PyTorch (test/torch/fixtures/nonzero_forms.py): the `[nnz, ndim]`
 * result (a nonzero 0-d input has shape [1, 0]) and `as_tuple=True`, which was ignored before.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'

interface Case {
  readonly input: unknown
  readonly dtype: 'int64' | 'float32' | 'bool'
  readonly nonzero: { readonly shape: number[]; readonly values: number[][] }
  readonly argwhere: number[]
  readonly as_tuple: number[][]
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/nonzero_forms.json', import.meta.url), 'utf8')) as Record<
  string,
  Case
>

describe('nonzero forms (PyTorch fixtures)', () => {
  it.each(Object.entries(fixture))('%s', (_name, c) => {
    // Arrange
    const dtype = { int64: torch.int64, float32: torch.float32, bool: torch.bool }[c.dtype]
    const t =
      c.dtype === 'float32' && Array.isArray(c.input) && c.input.length === 0
        ? torch.zeros(0, 3)
        : torch.tensor(c.input as number[], { dtype })
    // Act
    const nz = t.nonzero()
    const tuple: torch.Tensor[] = torch.nonzero(t, { as_tuple: true })
    const matrix: torch.Tensor = torch.nonzero(t)
    // Assert
    expect([...nz.shape]).toEqual(c.nonzero.shape)
    expect(nz.dtype).toBe(torch.int64)
    if (nz.numel() > 0) expect(nz.tolist()).toEqual(c.nonzero.values)
    expect([...matrix.shape]).toEqual(c.nonzero.shape)
    expect([...torch.argwhere(t).shape]).toEqual(c.argwhere)
    expect(tuple.map((x) => x.tolist())).toEqual(c.as_tuple)
    expect(t.nonzero({ as_tuple: true }).length).toBe(c.as_tuple.length)
  })

  it('as_tuple is keyword-only, as in PyTorch', () => {
    expect(() => (torch.tensor([1, 0]).nonzero as (x: unknown) => unknown)(true)).toThrow(
      /nonzero\(\) takes .*positional arguments/,
    )
  })
})
