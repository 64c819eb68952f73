import { describe, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/regression.json'
import { expectClose, summary } from './portHelpers'

// pytorch/examples regression/main.py ported line by line (twin:
// test/torch/fixtures/ports/regression.py): a degree-4 polynomial fitted by one Linear with
// smooth_l1_loss and the hand-written update param.data.add_(-0.1 * param.grad), 60 batches.
const F = torch.nn.functional
const POLY_DEGREE = 4

describe('pytorch/examples regression', () => {
  it('fits the polynomial as PyTorch does', () => {
    torch.manual_seed(0)
    const W_target = torch.randn(POLY_DEGREE, 1).mul(5)
    const b_target = torch.randn(1).mul(5)

    // Builds features i.e. a matrix with columns [x, x^2, x^3, x^4].
    const make_features = (x: torch.Tensor): torch.Tensor => {
      const u = x.unsqueeze(1)
      return torch.cat(
        Array.from({ length: POLY_DEGREE }, (_, i) => u.pow(i + 1)),
        1,
      )
    }
    const f = (x: torch.Tensor): torch.Tensor => x.mm(W_target).add(b_target.item() as number)
    const get_batch = (batch_size = 32): [torch.Tensor, torch.Tensor] => {
      const random = torch.randn(batch_size)
      const x = make_features(random)
      const y = f(x)
      return [x, y]
    }

    const fc = torch.nn.Linear(W_target.size(0), 1)
    const losses: number[] = []
    for (let batch_idx = 1; batch_idx <= 60; batch_idx++) {
      const [batch_x, batch_y] = get_batch()
      fc.zero_grad()
      const output = F.smooth_l1_loss(fc.call(batch_x), batch_y)
      const loss = output.item() as number
      output.backward()
      for (const param of fc.parameters()) param.data.add_(param.grad!.mul(-0.1))
      losses.push(loss)
    }
    expectClose([W_target.view(-1).tolist(), b_target.item()], fixture.target, 1e-6, 0)
    expectClose(losses, fixture.losses, 1e-4, 1e-6)
    expectClose(summary(fc), fixture.params, 1e-4, 1e-5)
  })
})
