/**
 * `torch.optim.LBFGS`: limited-memory BFGS over all parameters flattened into one vector, with
 * PyTorch's iteration, stopping rules and optional strong-Wolfe line search. `step(closure)`
 * needs a closure that clears the gradients, computes the loss, calls `backward()` and returns
 * the loss. The vector algebra runs in float64.
 *
 * @category torch
 * @since 0.2.0
 */
import { enable_grad, no_grad } from '../autograd/grad_mode'
import { RuntimeError, TorchTypeError, TorchValueError } from '../errors'
import { leadingKeywords, type PyArgs } from '../kwargs'
import { pyClass } from '../nn/pyclass'
import { tensor } from '../creation'
import type { Tensor } from '../tensor'
import { Optimizer, type ParamGroup, type ParamsInput } from './optimizer'
import { realParams } from './complexParams'
import { parseOptions } from './options'
import { strongWolfe, type Vec } from './linesearch'

/** LBFGS's hyper-parameters. @category torch @since 0.2.0 */
export interface LBFGSOptions {
  lr: number
  max_iter: number
  max_eval: number | null
  tolerance_grad: number
  tolerance_change: number
  history_size: number
  line_search_fn: 'strong_wolfe' | null
}

/** LBFGS's state (kept under the first parameter, as PyTorch does). @category torch @since 0.2.0 */
export interface LBFGSState {
  func_evals: number
  n_iter: number
  d?: Vec
  t?: number
  old_dirs?: Vec[]
  old_stps?: Vec[]
  ro?: number[]
  H_diag?: number
  prev_flat_grad?: Vec
  prev_loss?: number
}

const dot = (a: Vec, b: Vec): number => {
  let s = 0
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number)
  return s
}
const maxAbs = (a: Vec): number => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0)
const scale = (a: Vec, c: number): Vec => a.map((v) => v * c)

/** See {@link LBFGS}. */
class LBFGSImpl extends Optimizer<LBFGSOptions, LBFGSState> {
  constructor(
    params: ParamsInput<LBFGSOptions>,
    ...rest: PyArgs<
      [
        lr: number,
        max_iter: number,
        max_eval: number | null,
        tolerance_grad: number,
        tolerance_change: number,
        history_size: number,
        line_search_fn: 'strong_wolfe' | null,
      ],
      Partial<Readonly<LBFGSOptions>>
    >
  ) {
    const o = parseOptions('LBFGS.__init__', rest, {
      lr: 1,
      max_iter: 20,
      max_eval: null,
      tolerance_grad: 1e-7,
      tolerance_change: 1e-9,
      history_size: 100,
      line_search_fn: null,
    } as LBFGSOptions)
    if (o.max_eval === null) o.max_eval = Math.floor((o.max_iter * 5) / 4)
    if (o.line_search_fn !== null && o.line_search_fn !== 'strong_wolfe')
      throw new RuntimeError("only 'strong_wolfe' is supported")
    super(params, o)
    if (this.param_groups.length !== 1)
      throw new TorchValueError("LBFGS doesn't support per-parameter options (parameter groups)")
  }

  private get _params(): Tensor[] {
    return realParams((this.param_groups[0] as ParamGroup<LBFGSOptions>).params)
  }

  private _flatGrad(): Vec {
    return this._params.flatMap((p) => (p._grad === null ? Array<number>(p.numel()).fill(0) : flat(p._grad)))
  }

  private _addGrad(t: number, d: Vec): void {
    let offset = 0
    for (const p of this._params) {
      const n = p.numel()
      p.add_(tensor(d.slice(offset, offset + n), { dtype: p.dtype }).view_as(p), { alpha: t })
      offset += n
    }
  }

  /** The loss and flat gradient at `x + t·d` (parameters restored afterwards). */
  private _evaluateAt(closure: () => Tensor, x: ReadonlyArray<Tensor>, t: number, d: Vec): [number, Vec] {
    this._addGrad(t, d)
    const loss = enable_grad(closure).item() as number
    const g = this._flatGrad()
    this._params.forEach((p, i) => p.copy_(x[i] as Tensor))
    return [loss, g]
  }

  /** @internal Not used: LBFGS overrides `step`. */
  _update(): void {}

  /** One LBFGS step (up to `max_iter` iterations); returns the closure's first loss. */
  override step(closure?: () => Tensor): Tensor | undefined {
    if (closure === undefined) throw new TorchTypeError("step() missing 1 required positional argument: 'closure'")
    this._step_count += 1
    return no_grad(() => this._run(closure))
  }

  private _run(closure: () => Tensor): Tensor {
    const group = this.param_groups[0] as ParamGroup<LBFGSOptions>
    const { lr, max_iter: maxIter, tolerance_grad: tolGrad, tolerance_change: tolChange, history_size } = group
    const maxEval = group.max_eval ?? Math.floor((maxIter * 5) / 4)
    const st = this._stateOf(this._params[0] as Tensor, () => ({ func_evals: 0, n_iter: 0 }))
    const origLoss = enable_grad(closure)
    let loss = origLoss.item() as number
    let currentEvals = 1
    st.func_evals += 1
    let g = this._flatGrad()
    if (maxAbs(g) <= tolGrad) return origLoss
    let { d, t, old_dirs: dirs, old_stps: stps, ro, H_diag: hDiag, prev_flat_grad: prevG, prev_loss: prevLoss } = st
    let nIter = 0
    while (nIter < maxIter) {
      nIter += 1
      st.n_iter += 1
      if (st.n_iter === 1 || d === undefined || t === undefined || prevG === undefined) {
        d = scale(g, -1)
        dirs = []
        stps = []
        ro = []
        hDiag = 1
      } else {
        ;[d, hDiag] = this._direction(g, prevG, d, t, dirs ?? [], stps ?? [], ro ?? [], hDiag ?? 1, history_size)
      }
      prevG = [...g]
      prevLoss = loss
      t = st.n_iter === 1 ? Math.min(1, 1 / g.reduce((s, v) => s + Math.abs(v), 0)) * lr : lr
      const gtd = dot(g, d)
      if (gtd > -tolChange) break
      let lsEvals = 0
      let optCond = false
      if (group.line_search_fn !== null) {
        const x = this._params.map((p) => p.clone())
        const dir = d
        const r = strongWolfe((xs, t_, d_) => this._evaluateAt(closure, xs, t_, d_), x, t, dir, loss, g, gtd, tolChange)
        ;[loss, g, t, lsEvals] = [r.f, r.g, r.t, r.evals]
        this._addGrad(t, d)
        optCond = maxAbs(g) <= tolGrad
      } else {
        this._addGrad(t, d)
        if (nIter !== maxIter) {
          loss = enable_grad(closure).item() as number
          g = this._flatGrad()
          optCond = maxAbs(g) <= tolGrad
          lsEvals = 1
        }
      }
      currentEvals += lsEvals
      st.func_evals += lsEvals
      if (nIter === maxIter || currentEvals >= maxEval || optCond) break
      if (maxAbs(scale(d, t)) <= tolChange || Math.abs(loss - prevLoss) < tolChange) break
    }
    Object.assign(st, { d, t, old_dirs: dirs, old_stps: stps, ro, H_diag: hDiag, prev_flat_grad: prevG })
    if (prevLoss !== undefined) st.prev_loss = prevLoss
    return origLoss
  }

  /** The two-loop recursion: updates the curvature history and returns `−H·g` and the new H₀ scale. */
  private _direction(
    g: Vec,
    prevG: Vec,
    d: Vec,
    t: number,
    dirs: Vec[],
    stps: Vec[],
    ro: number[],
    hDiag: number,
    historySize: number,
  ): [Vec, number] {
    const y = g.map((v, i) => v - (prevG[i] as number))
    const s = scale(d, t)
    const ys = dot(y, s)
    if (ys > 1e-10) {
      if (dirs.length === historySize) {
        dirs.shift()
        stps.shift()
        ro.shift()
      }
      dirs.push(y)
      stps.push(s)
      ro.push(1 / ys)
      hDiag = ys / dot(y, y)
    }
    const al: number[] = []
    const q = scale(g, -1)
    for (let i = dirs.length - 1; i >= 0; i--) {
      al[i] = dot(stps[i] as Vec, q) * (ro[i] as number)
      const di = dirs[i] as Vec
      for (let k = 0; k < q.length; k++) q[k] = (q[k] as number) - (al[i] as number) * (di[k] as number)
    }
    const r = scale(q, hDiag)
    for (let i = 0; i < dirs.length; i++) {
      const be = dot(dirs[i] as Vec, r) * (ro[i] as number)
      const si = stps[i] as Vec
      for (let k = 0; k < r.length; k++) r[k] = (r[k] as number) + ((al[i] as number) - be) * (si[k] as number)
    }
    return [r, hDiag]
  }
}

const flat = (t: Tensor): number[] => {
  const v = t.reshape(-1).tolist()
  return (Array.isArray(v) ? v : [v]) as number[]
}

/**
 * L-BFGS (PyTorch's `torch.optim.LBFGS`): `lr`, `max_iter`, `max_eval`, `tolerance_grad`,
 * `tolerance_change`, `history_size`, `line_search_fn` (`null` or `'strong_wolfe'`). One
 * parameter group only.
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.tensor([-1.5, 2], { dtype: torch.float64, requires_grad: true })
 * const opt = torch.optim.LBFGS([x], { line_search_fn: 'strong_wolfe', max_iter: 50 })
 * const rosen = () => {
 *   opt.zero_grad()
 *   const [a, b] = [x.select(0, 0), x.select(0, 1)]
 *   const loss = a.rsub(1).pow(2).add(b.sub(a.pow(2)).pow(2).mul(100))
 *   loss.backward()
 *   return loss
 * }
 * for (let i = 0; i < 3; i++) opt.step(rosen)
 * assert.ok((x.tolist() as number[]).every((v) => Math.abs(v - 1) < 1e-4))
 * @category torch @since 0.2.0
 */
export const LBFGS = pyClass(LBFGSImpl, 'LBFGS', leadingKeywords('LBFGS.__init__', ['params']))
/** A `torch.optim.LBFGS` instance. @category torch @since 0.2.0 */
export type LBFGS = LBFGSImpl
