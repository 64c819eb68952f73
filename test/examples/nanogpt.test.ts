/**
 * examples/nanogpt (nanoGPT's GPT ported to the facade) against its PyTorch twin
 * examples/nanogpt/train.py (PyTorch 1.13, float64, dropout 0): the same parameter names, and the
 * loss of every AdamW step from the same initial weights and tokens.
 */
import { describe, expect, it } from 'vitest'
import { GPT } from '../../examples/nanogpt/model'
import { config, fixture, train } from '../../examples/nanogpt/train'

describe('the nanoGPT example', () => {
  it('has PyTorch’s parameter names, weight tying and decay groups', () => {
    const model = new GPT(config)
    expect(Object.keys(model.state_dict())).toEqual(Object.keys(fixture().state_dict))
    expect(model.transformer.wte.weight).toBe(model.lm_head.weight)
    const opt = model.configure_optimizers(0.1, 6e-4, [0.9, 0.95], 'cpu')
    expect(opt.param_groups.map((g) => g.params.length)).toEqual([10, 18])
    expect(model.get_num_params()).toBe(
      [...model.parameters()].reduce((s, p) => s + p.numel(), 0) - config.block_size * config.n_embd,
    )
  })

  it('has PyTorch’s loss at every training step', () => {
    const losses = train()
    const want = fixture().losses
    expect(losses.length).toBe(want.length)
    losses.forEach((l, i) => {
      if (Math.abs(l - (want[i] as number)) > 1e-10) expect.fail(`step ${i}: loss ${l}, PyTorch ${want[i]}`)
    })
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] as number)
  })
})
