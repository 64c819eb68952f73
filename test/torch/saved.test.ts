/**
 * Every node that saves tensors frees them: after a backward without retain_graph, a second
 * backward through a node PyTorch saves tensors in raises PyTorch's error, and one through a node
 * that saves none (add, views, sum) still works. The expected answers are real PyTorch 1.13 runs
 * of the same programs (fixtures/saved_tensors.py writes fixtures/saved_tensors.json).
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import fixture from './fixtures/saved_tensors.json'

const TWICE =
  'Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.'

/** The names the programs use (as fixtures/saved_tensors.py defines them). */
const scope = () => {
  const x = torch.tensor(
    [
      [0.1, 0.5, 0.3, 0.7],
      [0.6, 0.2, 0.9, 0.4],
      [0.35, 0.8, 0.15, 0.55],
    ],
    { requires_grad: true },
  )
  const w = torch.tensor([0.2, 0.4, 0.6, 0.8], { requires_grad: true })
  const i = torch.tensor([0, 2], { dtype: torch.int64 })
  const g = torch.tensor(
    [
      [0, 3],
      [1, 1],
      [2, 0],
    ],
    { dtype: torch.int64 },
  )
  const m = x.detach().gt(0.45)
  return { torch, x, w, i, g, m }
}

/** Runs one program's expression (test-only: the expressions are this repository's fixture). */
const evaluate = (expr: string, env: ReturnType<typeof scope>): torch.Tensor =>
  new Function(...Object.keys(env), `return ${expr}`)(...Object.values(env)) as torch.Tensor

/**
 * Where current PyTorch differs from the 1.13 of the fixture: MeanBackward1 saved `self` in 1.13;
 * since 2.0 its formula needs only sizes (mean_backward of self's sizes and numel), as wengert's.
 */
const NEWER_PYTORCH: Readonly<Record<string, boolean>> = { 'x.mean(1)': false }

describe('a second backward', () => {
  it.each(fixture.cases.map((c) => [c.ts, { ...c, raises: NEWER_PYTORCH[c.ts] ?? c.raises }] as const))(
    'through %s',
    (_, c) => {
      const env = scope()
      const s = evaluate(c.ts, env).sum()
      s.backward()
      const first = env.x.grad?.tolist()
      if (c.raises) {
        expect(() => s.backward()).toThrow(TWICE)
        // the refused pass left the leaves' gradients as they were
        expect(env.x.grad?.tolist()).toEqual(first)
      } else s.backward()
    },
  )
})
