/**
 * The hook form `nn.utils.weight_norm` is deprecated in PyTorch 2.x: from 2.4 each call raises the
 * FutureWarning "`torch.nn.utils.weight_norm` is deprecated in favor of
 * `torch.nn.utils.parametrizations.weight_norm`." (torch/nn/utils/weight_norm.py marks
 * WeightNorm.apply with typing_extensions.deprecated; 2.1–2.3 warn without backticks as a
 * UserWarning, 1.13 is silent: the library follows 2.x). The parametrization form does not warn.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

const MESSAGE = '`torch.nn.utils.weight_norm` is deprecated in favor of `torch.nn.utils.parametrizations.weight_norm`.'

describe('nn.utils.weight_norm deprecation', () => {
  it('warns a FutureWarning at each call of the hook form, not of the parametrization', () => {
    const [m, ws] = torch.warnings.catch_warnings(() => {
      const conv = torch.nn.utils.weight_norm(torch.nn.Conv1d(2, 3, 2))
      torch.nn.utils.weight_norm(torch.nn.Linear(2, 2), { name: 'weight', dim: null })
      return conv
    })
    expect(ws.map((w) => [w.category, w.message])).toEqual([
      ['FutureWarning', MESSAGE],
      ['FutureWarning', MESSAGE],
    ])
    expect([...m.named_parameters()].map(([n]) => n)).toEqual(['bias', 'weight_g', 'weight_v'])
    const [, none] = torch.warnings.catch_warnings(() =>
      torch.nn.utils.parametrizations.weight_norm(torch.nn.Linear(2, 2)),
    )
    expect(none).toEqual([])
  })
})
