/**
 * The replayer of the nn sweep fixtures (test/torch/fixtures/nn_sweep/*.py): builds the module or
 * calls the functional of a case with its decoded arguments, takes the gradients of
 * sum(out_i · W(out_i.shape)) as the fixture script does, and says where the facade's answer
 * differs from PyTorch's (values, gradients, buffers, or an error where PyTorch gave a value and
 * the reverse).
 */
import { readFileSync } from 'node:fs'
import * as torch from 'wengert/torch'

/** A tensor as the fixture scripts encode it. */
export interface EncTensor {
  readonly t: ReadonlyArray<number>
  readonly d: ReadonlyArray<number | string>
  readonly dt: string
  readonly rg: boolean
}
/** One case of a module or functional sweep. */
export interface SweepCase {
  readonly ctor?: string
  readonly fn?: string
  readonly args: ReadonlyArray<unknown>
  readonly kwargs?: Readonly<Record<string, unknown>>
  readonly inputs?: ReadonlyArray<unknown>
  readonly call_kwargs?: Readonly<Record<string, unknown>>
  readonly train?: boolean
  readonly state?: Readonly<Record<string, EncTensor>>
  readonly out?: ReadonlyArray<EncTensor | null>
  readonly grads?: ReadonlyArray<EncTensor | null>
  readonly param_grads?: Readonly<Record<string, EncTensor | null>>
  readonly buffers?: Readonly<Record<string, EncTensor | null>>
  readonly error?: readonly [string, string]
  /** Where the fixture follows PyTorch 2.x rather than 1.13 (or leaves the error text out). */
  readonly note?: string
}

/** The cases of one fixture file. */
export const loadSweep = (name: string): ReadonlyArray<SweepCase> =>
  (
    JSON.parse(readFileSync(new URL(`../torch/fixtures/nn_sweep/${name}`, import.meta.url), 'utf8')) as {
      cases: SweepCase[]
    }
  ).cases

const num = (v: number | string): number =>
  v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : (v as number)

const isEnc = (v: unknown): v is EncTensor => typeof v === 'object' && v !== null && 't' in v && 'd' in v

/** The facade tensor of an encoded one (a leaf; not requiring grad). */
export const tensorOf = (e: EncTensor): torch.Tensor => {
  const dtype = (torch as unknown as Record<string, torch.dtype | undefined>)[e.dt]
  if (dtype === undefined) throw new Error(`unknown dtype ${e.dt}`)
  return torch.tensor(e.d.map(num), { dtype }).reshape([...e.t])
}

/** The facade value of an encoded argument; tensors that require grad are pushed to `leaves`. */
export const decode = (v: unknown, leaves: torch.Tensor[]): unknown => {
  if (isEnc(v)) {
    const t = tensorOf(v)
    if (v.rg) {
      t.requires_grad_(true)
      leaves.push(t)
    }
    return t
  }
  if (Array.isArray(v)) return v.map((x) => decode(x, leaves))
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>
    if ('packed' in o) {
      const x = decode(o.packed, leaves) as torch.Tensor
      return torch.nn.utils.rnn.pack_padded_sequence(x, o.lengths as number[], {
        batch_first: o.batch_first as boolean,
        enforce_sorted: false,
      })
    }
    if ('tuple' in o) return (o.tuple as unknown[]).map((x) => decode(x, leaves))
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, decode(x, leaves)]))
  }
  return v
}

const flatOut = (o: unknown, acc: Array<torch.Tensor | null>): Array<torch.Tensor | null> => {
  if (o instanceof torch.Tensor) acc.push(o)
  else if (o instanceof torch.nn.utils.rnn.PackedSequence) acc.push(o.data)
  else if (Array.isArray(o)) o.forEach((x) => flatOut(x, acc))
  else if (o === null || o === undefined) acc.push(null)
  else throw new Error(`unexpected output ${String(o)}`)
  return acc
}

const weights = (shape: ReadonlyArray<number>, dtype: torch.dtype): torch.Tensor => {
  const n = shape.reduce((a, b) => a * b, 1)
  return torch
    .tensor(
      Array.from({ length: n }, (_, k) => Math.sin(0.37 * k) + 0.5),
      { dtype: torch.float64 },
    )
    .reshape([...shape])
    .to(dtype)
}

const backwardOf = (outs: ReadonlyArray<torch.Tensor | null>): void => {
  let loss: torch.Tensor | null = null
  for (const o of outs) {
    if (o === null || !o.requires_grad || !o.is_floating_point()) continue
    const term = o.mul(weights(o.shape, o.dtype)).sum()
    loss = loss === null ? term : loss.add(term)
  }
  loss?.backward()
}

/** Tolerances of a comparison: |got − want| ≤ atol·(1 + max|want|) + rtol·|want|. */
export interface Tol {
  readonly atol: number
  readonly rtol: number
}
const F32: Tol = { atol: 5e-5, rtol: 2e-4 }

const flatVals = (t: torch.Tensor): number[] => {
  const v = t.detach().reshape([-1]).tolist()
  return (v as Array<number | boolean>).map(Number)
}

/** Where tensor `got` differs from encoded `want` (shape, dtype class, values), or null. */
export const diffTensor = (
  got: torch.Tensor | null,
  want: EncTensor | null,
  what: string,
  tol: Tol = F32,
): string | null => {
  if (want === null) return got === null ? null : `${what}: PyTorch gives None`
  if (got === null) return `${what}: facade gives None`
  if (JSON.stringify([...got.shape]) !== JSON.stringify(want.t))
    return `${what}: shape [${[...got.shape]}] vs [${want.t}]`
  const gv = flatVals(got)
  const wv = want.d.map(num)
  const scale = wv.reduce((m, x) => (Number.isFinite(x) ? Math.max(m, Math.abs(x)) : m), 0)
  for (let i = 0; i < wv.length; i++) {
    const g = gv[i] as number
    const w = wv[i] as number
    if (Number.isNaN(w) || Number.isNaN(g)) {
      if (Number.isNaN(w) !== Number.isNaN(g)) return `${what}[${i}]: ${g} vs ${w}`
      continue
    }
    if (!Number.isFinite(w) || !Number.isFinite(g)) {
      if (g !== w) return `${what}[${i}]: ${g} vs ${w}`
      continue
    }
    if (Math.abs(g - w) > tol.atol * (1 + scale) + tol.rtol * Math.abs(w)) return `${what}[${i}]: ${g} vs ${w}`
  }
  return null
}

const errorOf = (f: () => void): readonly [string, string] | null => {
  try {
    f()
    return null
  } catch (e) {
    return [(e as Error).name, (e as Error).message.split('\n')[0] ?? '']
  }
}

interface Outcome {
  readonly outs: ReadonlyArray<torch.Tensor | null>
  readonly leaves: ReadonlyArray<torch.Tensor>
  readonly module: torch.nn.Module | null
}

const runCase = (c: SweepCase): Outcome => {
  const leaves: torch.Tensor[] = []
  if (c.fn !== undefined) {
    const args = c.args.map((a) => decode(a, leaves))
    const kw = decode(c.kwargs ?? {}, leaves) as Record<string, unknown>
    const f = (torch.nn.functional as unknown as Record<string, (...a: unknown[]) => unknown>)[c.fn]
    if (f === undefined) throw new Error(`no F.${c.fn}`)
    const outs = flatOut(Object.keys(kw).length > 0 ? f(...args, kw) : f(...args), [])
    backwardOf(outs)
    return { outs, leaves, module: null }
  }
  const ctor = (torch.nn as unknown as Record<string, (...a: unknown[]) => torch.nn.Module>)[c.ctor ?? '']
  if (ctor === undefined) throw new Error(`no nn.${c.ctor}`)
  const kw = c.kwargs ?? {}
  torch.manual_seed(0)
  const m = Object.keys(kw).length > 0 ? ctor(...c.args, kw) : ctor(...c.args)
  if (c.state !== undefined)
    m.load_state_dict(Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, tensorOf(v)])))
  m.train(c.train ?? true)
  const xs = (c.inputs ?? []).map((x) => decode(x, leaves))
  const ckw = decode(c.call_kwargs ?? {}, leaves) as Record<string, unknown>
  const call = (m as unknown as { call: (...a: unknown[]) => unknown }).call.bind(m)
  const outs = flatOut(Object.keys(ckw).length > 0 ? call(...xs, ckw) : call(...xs), [])
  backwardOf(outs)
  return { outs, leaves, module: m }
}

/** Where the facade differs from PyTorch on case `c` (null if nowhere). */
export const sweepMismatch = (c: SweepCase, tol: Tol = F32): string | null => {
  let got: Outcome | null = null
  const e = errorOf(() => {
    got = runCase(c)
  })
  if (c.error !== undefined) {
    if (e === null) return `PyTorch raises ${c.error[0]}: ${c.error[1]}; the facade returns a value`
    // a case with a note documents a 1.13 vs 2.x text difference: the class alone is compared
    const same = e[0] === c.error[0] && (c.note !== undefined || e[1] === c.error[1])
    return same ? null : `PyTorch raises ${c.error[0]}: ${c.error[1]}; the facade raises ${e[0]}: ${e[1]}`
  }
  if (e !== null || got === null) return `PyTorch returns a value; the facade raises ${e?.[0]}: ${e?.[1]}`
  const r: Outcome = got
  const outs = c.out ?? []
  if (r.outs.length !== outs.length) return `${r.outs.length} outputs vs ${outs.length}`
  for (let i = 0; i < outs.length; i++) {
    const d = diffTensor(r.outs[i] ?? null, outs[i] ?? null, `out${i}`, tol)
    if (d !== null) return d
  }
  const grads = c.grads ?? []
  for (let i = 0; i < grads.length; i++) {
    const d = diffTensor(r.leaves[i]?.grad ?? null, grads[i] ?? null, `input${i}.grad`, tol)
    if (d !== null) return d
  }
  if (r.module !== null) {
    const params = Object.fromEntries(r.module.named_parameters())
    for (const [k, w] of Object.entries(c.param_grads ?? {})) {
      const d = diffTensor(params[k]?.grad ?? null, w, `${k}.grad`, tol)
      if (d !== null) return d
    }
    const bufs = Object.fromEntries(r.module.named_buffers())
    for (const [k, w] of Object.entries(c.buffers ?? {})) {
      const d = diffTensor(bufs[k] ?? null, w, k, tol)
      if (d !== null) return d
    }
  }
  return null
}

/** A case's title: constructor or function, arguments and keywords. */
export const caseTitle = (c: SweepCase, i: number): string => {
  const short = (v: unknown): unknown => (isEnc(v) ? `T${JSON.stringify(v.t)}` : v)
  const a = JSON.stringify(c.args, (_, v: unknown) => short(v))
  const k = JSON.stringify(c.kwargs ?? {}, (_, v: unknown) => short(v))
  return `#${i} ${c.ctor ?? `F.${c.fn}`}(${a.slice(1, -1)}${k === '{}' ? '' : `, ${k}`})${c.train === false ? ' eval' : ''}`
}
