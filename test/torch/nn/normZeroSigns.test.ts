/**
 * float64 batch_norm / instance_norm against real PyTorch 1.13 (test/fixtures/torch/norm_zero_signs):
 * outputs and gradients within float64 rounding and every zero with PyTorch's sign (a constant
 * incoming gradient makes `gy − mean(gy)` exactly 0, and the weight's sign then decides the zero's).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import { floatsFromBase64 } from '../../helpers/base64Floats'

interface Case {
  readonly op: string
  readonly shape: number[]
  readonly loss: string
  readonly x: number[]
  readonly w: number[] | null
  readonly b: number[] | null
  readonly rm: number[]
  readonly rv: number[]
  readonly g: number[]
  readonly out: string
  readonly grad_input: string
  readonly grad_weight: string | null
  readonly grad_bias: string | null
}
const fx = JSON.parse(
  readFileSync(new URL('../../fixtures/torch/norm_zero_signs/norm_zero_signs.json', import.meta.url), 'utf8'),
) as { readonly cases: ReadonlyArray<Case> }
const f64 = (b64: string): number[] => Array.from(floatsFromBase64(b64, 'float64'))
const F = torch.nn.functional
const t = (v: number[] | null, shape: number[], grad = false): torch.Tensor | null =>
  v === null ? null : torch.tensor(v, { dtype: torch.float64 }).reshape(shape).requires_grad_(grad)

/** The indices where `got` is not PyTorch's value within float64 rounding, or not its zero's sign. */
const wrong = (got: torch.Tensor | null, b64: string | null): number[] => {
  if (b64 === null || got === null) return b64 === null && got === null ? [] : [-1]
  const want = f64(b64)
  const have = got.reshape(-1).tolist() as number[]
  const scale = Math.max(1, ...want.map(Math.abs))
  return want.flatMap((v, i) => {
    const h = have[i] as number
    const ok = v === 0 ? Object.is(h, v) : Math.abs(h - v) <= 1e-12 * scale
    return ok ? [] : [i]
  })
}

const run = (c: Case): string[] => {
  const ch = [c.shape[1] as number]
  const x = t(c.x, c.shape, true) as torch.Tensor
  const w = t(c.w, ch, true)
  const b = t(c.b, ch, true)
  const [rm, rv] = [t(c.rm, ch) as torch.Tensor, t(c.rv, ch) as torch.Tensor]
  const args = { weight: w, bias: b, eps: 1e-3 }
  const y =
    c.op === 'batch_norm'
      ? F.batch_norm(x, null, null, { ...args, training: true })
      : c.op === 'batch_norm_eval'
        ? F.batch_norm(x, rm, rv, { ...args, training: false })
        : c.op === 'instance_norm'
          ? F.instance_norm(x, args)
          : F.instance_norm(x, { ...args, running_mean: rm, running_var: rv })
  ;(c.loss === 'mean' ? y.mean() : y.mul(t(c.g, c.shape) as torch.Tensor).sum()).backward()
  const fields: Array<[string, torch.Tensor | null, string | null]> = [
    ['out', y.detach(), c.out],
    ['grad_input', x.grad, c.grad_input],
    ['grad_weight', w?.grad ?? null, c.grad_weight],
    ['grad_bias', b?.grad ?? null, c.grad_bias],
  ]
  return fields.flatMap(([k, got, want]) => {
    const bad = wrong(got, want)
    return bad.length > 0 ? [`${c.op} [${c.shape.join(',')}] ${c.loss} ${k}: ${bad.join(' ')}`] : []
  })
}

describe('float64 batch_norm / instance_norm: values and signs of zero as PyTorch 1.13', () => {
  it('fixture cases hold negative zeros (the test can fail)', () => {
    const negZeros = fx.cases.flatMap((c) => f64(c.grad_input)).filter((v) => Object.is(v, -0)).length
    expect(negZeros).toBeGreaterThan(50)
  })
  for (const op of ['batch_norm', 'batch_norm_eval', 'instance_norm', 'instance_norm_running'])
    it(op, () => {
      expect(fx.cases.filter((c) => c.op === op).flatMap(run)).toEqual([])
    })
})
