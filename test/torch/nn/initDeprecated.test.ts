/**
 * The deprecated nn.init names: each warns `nn.init.<name> is now deprecated in favor of
 * nn.init.<name>_.` (PyTorch 1.13's text, checked by hand with /usr/bin/python3; 2.x raises it as
 * a FutureWarning, 1.13 as a UserWarning) and gives what the `_` form gives from the same seed.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

type T = torch.Tensor
const I = torch.nn.init
const CASES: Record<string, [(t: T) => T, (t: T) => T, number[]]> = {
  uniform: [(t) => I.uniform(t, -2, 3), (t) => I.uniform_(t, -2, 3), [3, 4]],
  normal: [(t) => I.normal(t, 1, 2), (t) => I.normal_(t, 1, 2), [3, 4]],
  constant: [(t) => I.constant(t, 0.5), (t) => I.constant_(t, 0.5), [3, 4]],
  eye: [(t) => I.eye(t), (t) => I.eye_(t), [3, 4]],
  dirac: [(t) => I.dirac(t), (t) => I.dirac_(t), [2, 2, 3]],
  xavier_uniform: [(t) => I.xavier_uniform(t, 2), (t) => I.xavier_uniform_(t, 2), [3, 4]],
  xavier_normal: [(t) => I.xavier_normal(t), (t) => I.xavier_normal_(t), [3, 4]],
  kaiming_uniform: [(t) => I.kaiming_uniform(t), (t) => I.kaiming_uniform_(t), [3, 4]],
  kaiming_normal: [(t) => I.kaiming_normal(t), (t) => I.kaiming_normal_(t), [3, 4]],
  orthogonal: [(t) => I.orthogonal(t), (t) => I.orthogonal_(t), [3, 4]],
  sparse: [(t) => I.sparse(t, 0.5), (t) => I.sparse_(t, 0.5), [4, 3]],
}

describe('deprecated nn.init names', () => {
  it.each(Object.keys(CASES))('%s warns and forwards', (name) => {
    const [old, now, shape] = CASES[name]!
    torch.manual_seed(7)
    const [a, ws] = torch.warnings.catch_warnings(() => old(torch.empty(...shape)))
    torch.manual_seed(7)
    const b = now(torch.empty(...shape))
    expect(ws.map((w) => [w.category, w.message])).toEqual([
      ['FutureWarning', `nn.init.${name} is now deprecated in favor of nn.init.${name}_.`],
    ])
    expect(a.tolist()).toEqual(b.tolist())
  })
})
