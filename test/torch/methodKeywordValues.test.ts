// Method keywords once refused by the facade (METHOD_REFUSES in methodKeywords.test.ts), now
// implemented, against PyTorch (fixtures/pinverse_rcond.py).
import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch/index'
import pinv from './fixtures/pinverse_rcond.json'

const close = (got: unknown, want: number[][], tol: number): void => {
  ;(got as number[][]).flat().forEach((v, i) => expect(Math.abs(v - (want.flat()[i] as number))).toBeLessThan(tol))
}

describe('method keywords PyTorch accepts', () => {
  it('pinverse(rcond=) cuts the small singular value, as PyTorch', () => {
    const x = torch.tensor(pinv.input, { dtype: torch.float64 })
    close(x.pinverse({ rcond: 1e-3 }).tolist(), pinv['rcond_1e-3'], 1e-9)
    close(x.pinverse(1e-3).tolist(), pinv['positional_1e-3'], 1e-9)
    close(x.pinverse().tolist(), pinv.default, 1e-4)
    const untyped = x.pinverse as unknown as (kw: object) => unknown
    expect(() => untyped.call(x, { rcond: 'a' })).toThrow(pinv.rcond_str_error as string)
  })
})
