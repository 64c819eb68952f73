/**
 * Random fills of complex tensors as PyTorch draws them: `normal_(mean, std)` fills the real view
 * (…, 2) in memory order with N(mean, std²/2) (both parts get `mean`; the variance is split between
 * the parts so that E|z − mean·(1+i)|² = std²), `uniform_(from, to)` fills the real view with
 * U[from, to). `torch.randn`/`rand`/`randn_like`/`rand_like` of a complex dtype are these fills
 * of a fresh tensor, so after `torch.manual_seed(s)` they give PyTorch's numbers.
 *
 * @category torch
 * @since 0.7.0
 */
import { RuntimeError, TorchTypeError } from '../errors'
import type { ComplexTensor } from './tensor'

type Kw = Readonly<Record<string, unknown>>

/** Positional numbers and the keyword object of a sampler's arguments. */
const split = (op: string, args: ReadonlyArray<unknown>, names: readonly [string, string]): [number, number, Kw] => {
  const pos: unknown[] = []
  let kw: Kw = {}
  for (const a of args) {
    if (a === undefined) continue
    if (a !== null && typeof a === 'object') kw = a as Kw
    else pos.push(a)
  }
  const [n0, n1] = names
  const v0 = pos[0] ?? kw[n0] ?? (n0 === 'mean' || n0 === 'from' ? 0 : 1)
  const v1 = pos[1] ?? kw[n1] ?? 1
  for (const [n, v] of [
    [n0, v0],
    [n1, v1],
  ] as const)
    if (typeof v !== 'number')
      throw new TorchTypeError(`${op}(): argument '${n}' must be float, not ${v === null ? 'NoneType' : typeof v}`)
  const rest: Record<string, unknown> = { ...kw }
  delete rest[n0]
  delete rest[n1]
  return [v0 as number, v1 as number, rest]
}

/** `z.normal_(mean, std)`: the real view filled with N(mean, (std/√2)²). */
export const normal = (z: ComplexTensor, ...args: unknown[]): void => {
  const [mean, std, kw] = split('normal_', args, ['mean', 'std'])
  if (!(std >= 0)) throw new RuntimeError(`normal expects std >= 0.0, but found std ${std}`)
  z._ri.normal_(mean, std / Math.SQRT2, kw)
}

/** `z.uniform_(from, to)`: the real view filled with U[from, to). */
export const uniform = (z: ComplexTensor, ...args: unknown[]): void => {
  const [from, to, kw] = split('uniform_', args, ['from', 'to'])
  z._ri.uniform_(from, to, kw)
}
