/**
 * grad_fn names, requires_grad, _version and backward errors of ops the differential tester (issue 10) found
 * named differently from PyTorch. Expected answers: real PyTorch 1.13 runs of the same programs
 * (fixtures/grad_fn_names.py writes fixtures/grad_fn_names.json; PyTorch 2.x differences noted there).
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import fixture from './fixtures/grad_fn_names.json'
import { typeName } from '../helpers/nodeNames'

/** Runs one program (test-only: the statements are this repository's fixture). */
const runProgram = (src: string): ReadonlyArray<torch.Tensor> =>
  new Function('torch', src)(torch) as ReadonlyArray<torch.Tensor>

const outcome = (src: string): unknown => {
  try {
    const out = runProgram(src)
    return {
      out: out.map((t) => ({
        grad_fn: typeName(t.grad_fn),
        requires_grad: t.requires_grad,
        version: t._version,
      })),
    }
  } catch (e) {
    return { error: [(e as Error).constructor.name, (e as Error).message] }
  }
}

describe('grad_fn names (PyTorch 1.13 reference)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    expect(outcome(c.ts)).toEqual(c.expect)
  })
})
