/**
 * The playground page: a function written with the `wengert` API and a point give the value,
 * the tape (printTape), its graph, the gradient/Jacobian/Hessian; a `wengert/torch` snippet
 * gives its output, its grad_fn graph and the leaves' `.grad`. Built into playground/dist by
 * `npm run playground` (scripts/playground.mjs); opens from file://.
 *
 * The code typed in the page runs through `new Function`: the user's own code, in their own
 * browser tab. The library itself needs no code generation (the page says so).
 */
import { instance, type Viz } from '@viz-js/viz'
import * as w from 'wengert'
import type { NdArray } from 'wengert'
import * as torch from 'wengert/torch'
import { gradFnDot, gradFnLeaves, tapeDot } from './graph'

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T

/** Names of the `wengert` exports usable as parameter names (`var` is exported too, but is reserved). */
const isIdentifier = (k: string): boolean => {
  try {
    new Function(k, '')
    return true
  } catch {
    return false
  }
}
const API = Object.entries(w).filter(([k]) => isIdentifier(k))

/** The user's function: an expression over the `wengert` exports (e.g. `x => sum(mul(sin(x), x))`). */
const compileFunction = (src: string): ((x: NdArray) => NdArray) => {
  const f: unknown = new Function(...API.map(([k]) => k), `"use strict";\nreturn (${src})`)(...API.map(([, v]) => v))
  if (typeof f !== 'function')
    throw new TypeError('the function box must hold a function, e.g. x => sum(mul(sin(x), x))')
  return f as (x: NdArray) => NdArray
}

const show = (id: string, text: string): void => {
  $(id).textContent = text
}

const render = (viz: Viz, id: string, dot: string): void => {
  const el = $(id)
  el.replaceChildren(viz.renderSVGElement(dot))
}

const runFunction = (viz: Viz): void => {
  const f = compileFunction($<HTMLTextAreaElement>('fn').value)
  const x = w.array(JSON.parse($<HTMLInputElement>('point').value) as w.NestedArray)
  const y = f(x)
  show('fn-value', String(y))
  const tape = w.makeTape(f)(x)
  show('fn-tape', w.printTape(tape))
  render(viz, 'fn-graph', tapeDot(tape))
  const scalar = y.size === 1
  show('fn-grad', scalar ? String(w.grad(f)(x)) : '(the output is not a scalar: see the Jacobian)')
  show('fn-jac', String(w.jacrev(f)(x)))
  show('fn-hess', scalar ? String(w.hessian(f)(x)) : '(the output is not a scalar)')
}

/** The snippet returns its output tensor, or an object of named tensors whose first entry is the output. */
const runFacade = (viz: Viz): void => {
  const got: unknown = new Function('torch', `"use strict";\n${$<HTMLTextAreaElement>('torch').value}`)(torch)
  const entries: Array<[string, unknown]> = got instanceof torch.Tensor ? [['output', got]] : Object.entries(got ?? {})
  const named = entries.filter((e): e is [string, torch.Tensor] => e[1] instanceof torch.Tensor)
  const root = named[0]?.[1]
  if (root === undefined)
    throw new TypeError('the snippet must return a tensor, or an object of tensors (the first is the output)')
  const names = new Map(named.map(([k, t]) => [t, k]))
  const leaves = gradFnLeaves(root)
  if (root.numel() === 1 && leaves.length > 0 && leaves.every((t) => t.grad === null)) root.backward()
  show('torch-value', String(root))
  render(viz, 'torch-graph', gradFnDot(root, names))
  show(
    'torch-grads',
    leaves.map((t, i) => `${names.get(t) ?? `leaf ${i}`}.grad = ${String(t.grad)}`).join('\n\n') ||
      '(no leaf requires grad)',
  )
}

const guarded = (errId: string, run: () => void): void => {
  show(errId, '')
  try {
    run()
  } catch (e) {
    show(errId, e instanceof Error ? `${e.name}: ${e.message}` : String(e))
  }
}

const main = async (): Promise<void> => {
  show('info', `wengert ${w.version} · kernels: ${JSON.stringify(w.kernelInfo())}`)
  const viz = await instance()
  const go = (): void => {
    guarded('fn-error', () => runFunction(viz))
    guarded('torch-error', () => runFacade(viz))
  }
  $('run').addEventListener('click', go)
  go()
  document.body.dataset.ready = 'true'
}

void main()
