/**
 * The residuals a reverse-mode `scan` saves, without copies: a residual of the body's forward
 * part that is a scanned row or one of the body's stacked outputs is read from that input or
 * output (which holds the same rows) instead of being stacked a second time.
 *
 * @category primitives
 * @since 0.2.0
 */
import { Var, type Atom, type Tape } from '../equation'
import type { Split } from '../subprogram'
import { printTape } from '../tape'
import type { ScanParams } from './control'

/**
 * Where each residual of the forward body comes from: a scanned input (`x`, its index among the
 * inputs) or a stacked output (`y`, its index among the outputs) that already holds it row by row,
 * else a stacked output of its own (`own`). The forward body's outputs: without the first two kinds.
 */
export interface Saving {
  readonly forward: Tape
  readonly from: ReadonlyArray<{ readonly x: number } | { readonly y: number } | { readonly own: number }>
}

const savings = new WeakMap<Split, Saving>()
export const savingOf = (p: ScanParams, s: Split): Saving => {
  let sv = savings.get(s)
  if (sv !== undefined) return sv
  const f = s.forward
  const nOut = p.body.outputs.length
  const xsStart = p.numConsts + p.numCarry
  const ids = (atoms: ReadonlyArray<Atom>): Array<number | undefined> =>
    atoms.map((a) => (a instanceof Var ? a.id : undefined))
  const xIds = ids(f.inputs)
  const yIds = ids(f.outputs.slice(p.numCarry, nOut))
  const kept: Atom[] = []
  const from = f.outputs.slice(nOut).map((r) => {
    const id = r instanceof Var ? r.id : undefined
    const xi = id === undefined ? -1 : xIds.indexOf(id, xsStart)
    if (xi >= 0) return { x: xi }
    const yi = id === undefined ? -1 : yIds.indexOf(id)
    if (yi >= 0) return { y: p.numCarry + yi }
    kept.push(r)
    return { own: nOut + kept.length - 1 }
  })
  const outputs = [...f.outputs.slice(0, nOut), ...kept]
  const forward: Tape = { ...f, outputs, toString: () => printTape(forward) }
  sv = { forward, from }
  savings.set(s, sv)
  return sv
}
