/**
 * Replays the differential tester's corpus (test/fixtures/difftest/, written by
 * `npm run difftest -- --corpus 400` from real PyTorch 1.13 runs, scripts/difftest/) without
 * PyTorch: every program's JavaScript rendering runs on wengert/torch and is compared with what
 * PyTorch recorded (values, gradients, node names, is_leaf, requires_grad, _version, errors).
 * Cases in known-differences.json must still differ in the same way: a new difference fails, and
 * so does a known one that starts agreeing (remove it from the list, the fix is done).
 */
import { recordedLeaf } from '../helpers/difftestEvents'
import { describe, expect, it } from 'vitest'
import { compareRuns } from '../../scripts/difftest/compare'
import { readCorpus } from '../../scripts/difftest/corpus'
import { emitJs, emitPy, opsById } from '../../scripts/difftest/program'
import { runJs } from '../../scripts/difftest/record'

const { cases, known } = readCorpus()

describe('differential corpus against PyTorch 1.13', () => {
  it('has its programs rendered as PyTorch ran them', () => {
    expect(cases.length).toBeGreaterThanOrEqual(300)
    for (const c of cases) expect(emitPy(c.program)).toBe(c.py)
  })

  it('agrees with PyTorch except on the known differences, which still differ', () => {
    const knownKey = new Map(known.map((k) => [k.seed, k.key]))
    const unexpected: string[] = []
    for (const c of cases) {
      const diff = compareRuns(c.torch, runJs(emitJs(c.program)), opsById(c.program))
      const expected = knownKey.get(c.seed)
      const got = diff?.key
      if (got === expected) continue
      if (got === undefined) unexpected.push(`seed ${c.seed} now agrees: remove it from known-differences.json`)
      else
        unexpected.push(
          `seed ${c.seed}: ${got}${expected === undefined ? '' : ` (known: ${expected})`}\n` +
            `  torch:   ${JSON.stringify(diff?.torch)}\n  wengert: ${JSON.stringify(diff?.wengert)}`,
        )
    }
    expect(unexpected).toEqual([])
  })

  it('lists every known difference with a reason', () => {
    for (const k of known) expect([k.seed, k.reason]).not.toEqual([k.seed, 'unclassified'])
  })
})

describe('difftest comparison', () => {
  const err = {
    k: 'err',
    at: 1,
    cls: 'RuntimeError',
    msg: 'one of the variables needed … modified by an inplace operation',
  }
  const grad = (values: number[] | null) =>
    ({
      k: 'final',
      name: 'v0',
      t: values === null ? null : recordedLeaf(values),
    }) as const
  const ops = new Map([[1, 'backward']])

  it('keys a .grad difference after a backward that raised on both sides as the deliberate difference', () => {
    // PyTorch accumulated into v0 before the failing node; wengert touched no leaf
    const d = compareRuns([err, grad([1, 2])] as never, [err, grad(null)] as never, ops)
    expect(d?.key).toBe('grad after failed backward @ grad')
  })

  it('keeps a .grad difference after a successful backward a grad difference', () => {
    const d = compareRuns([grad([1, 2])] as never, [grad(null)] as never, ops)
    expect(d?.key).toBe('grad None @ grad')
    expect(compareRuns([grad([1, 2])] as never, [grad([1, 3])] as never, ops)?.key).toBe('grad values @ grad')
  })

  it("maps F.pairwise_distance's NormBackward1 back inside PyTorch's error messages too (seed 321995)", () => {
    // harness.py renamed 1.13's (and 2.x's) NormBackward1 in the message; only at that op is it wrong
    const msg = (node: string) =>
      ({ k: 'err', at: 1, cls: 'RuntimeError', msg: `needed for gradient computation: output 0 of ${node}` }) as const
    const renamed = [msg('LinalgVectorNormBackward0')] as never
    const pairwise = new Map([
      [0, 'F.pairwise_distance'],
      [1, 'backward'],
    ])
    expect(compareRuns(renamed, [msg('NormBackward1')] as never, pairwise)).toBeNull()
    expect(compareRuns(renamed, [msg('NormBackward1')] as never, ops)?.key).toBe('error message @ backward')
    expect(compareRuns(renamed, [msg('NormBackward0')] as never, pairwise)?.key).toBe('error message @ backward')
  })
})
