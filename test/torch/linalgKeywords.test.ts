/**
 * torch.linalg functions with an optional plain parameter take it by keyword too: qr({mode}),
 * eigh / eigvalsh({UPLO}), matrix_power({n}), cond({p}) (the keyword object was read as the
 * parameter itself and refused: differential tester, wide seeds). Expected values: PyTorch 1.13,
 * fixtures/linalg_keywords.py.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

const fx = JSON.parse(readFileSync(new URL('./fixtures/linalg_keywords.json', import.meta.url), 'utf8')) as {
  A: number[][]
  qr_r: number[][]
  qr_complete_q: number[][]
  eigvalsh_U: number[]
  eigvalsh_L: number[]
  eigh_U: number[]
  matrix_power_n: number[][]
  cond_p: number
  cond_fro: number
}
// JavaScript programs pass Python keywords as a trailing object
type Fn = (...a: unknown[]) => unknown
const L = torch.linalg as unknown as Record<string, Fn>
const call = (name: string, ...a: unknown[]): unknown => (L[name] as Fn)(...a)
const close = (got: unknown, want: unknown): void => {
  const flat = (x: unknown): number[] => (Array.isArray(x) ? x.flatMap(flat) : [x as number])
  const [g, w] = [flat(got), flat(want)]
  expect(g.length).toBe(w.length)
  g.forEach((x, k) => expect(x).toBeCloseTo(w[k] as number, 10))
}
const A = (): torch.Tensor => torch.tensor(fx.A, { dtype: torch.float64 })
const list = (t: unknown): unknown => (t as torch.Tensor).tolist()
const item = (t: unknown): number => (t as torch.Tensor).item() as number

describe('torch.linalg keywords', () => {
  it('qr mode', () => {
    close(list((call('qr', A(), { mode: 'r' }) as torch.Tensor[])[1]), fx.qr_r)
    close(list((call('qr', A(), { mode: 'complete' }) as torch.Tensor[])[0]), fx.qr_complete_q)
  })
  it('eigh / eigvalsh UPLO', () => {
    close(list(call('eigvalsh', A(), { UPLO: 'U' })), fx.eigvalsh_U)
    close(list(call('eigvalsh', A(), {})), fx.eigvalsh_L)
    close(list((call('eigh', A(), { UPLO: 'U' }) as torch.Tensor[])[0]), fx.eigh_U)
  })
  it('matrix_power n and cond p', () => {
    close(list(call('matrix_power', A(), { n: -2 })), fx.matrix_power_n)
    expect(item(call('cond', A(), { p: 1 }))).toBeCloseTo(fx.cond_p, 10)
    expect(item(call('cond', A(), { p: 'fro' }))).toBeCloseTo(fx.cond_fro, 10)
  })
  it('refuses an unknown keyword', () => {
    expect(() => call('qr', A(), { mod: 'r' })).toThrow("linalg_qr() got an unexpected keyword argument 'mod'")
  })
})
