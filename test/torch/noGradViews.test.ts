/**
 * Views taken under no_grad of a tensor that requires grad, as PyTorch shows them (issue 10,
 * difftest class D9): they require grad (their base does) yet are leaves with no gradient edge;
 * ops on them record a node whose edge to them is None; modifying one in place in grad mode
 * raises PyTorch's error. Expected answers: real PyTorch 1.13 runs of the same programs
 * (fixtures/no_grad_views.py writes fixtures/no_grad_views.json).
 */
import { describe, expect, it } from 'vitest'
import { outcome } from '../helpers/fixturePrograms'
import fixture from './fixtures/no_grad_views.json'

describe('views made under no_grad (PyTorch 1.13 reference)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    expect(outcome(c.ts)).toEqual(c.expect)
  })
})
