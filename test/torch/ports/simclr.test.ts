import { describe, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/simclr.json'
import { adamStepBound, expectClose, noisyParamBound, summary } from './portHelpers'

// SimCLR's contrastive step with a small encoder (twin: test/torch/fixtures/ports/simclr.py):
// sthalles/SimCLR's info_nce_loss (F.normalize, similarity matrix, diagonal dropped by a boolean
// mask, positives/negatives by mask indexing, CrossEntropyLoss over 2N rows) and the UvA
// tutorial's NT-Xent (cosine_similarity, masked_fill_ of the diagonal, roll, logsumexp, argsort).
const { nn } = torch
const F = torch.nn.functional
type T = torch.Tensor

class Encoder extends nn.Module {
  backbone: torch.nn.Sequential
  head: torch.nn.Sequential
  constructor(out_dim = 8) {
    super()
    this.backbone = nn.Sequential(
      nn.Conv2d(3, 8, 3, { padding: 1 }),
      nn.BatchNorm2d(8),
      nn.ReLU({ inplace: true }),
      nn.Conv2d(8, 16, 3, { stride: 2, padding: 1 }),
      nn.BatchNorm2d(16),
      nn.ReLU({ inplace: true }),
      nn.AdaptiveAvgPool2d([1, 1]),
      nn.Flatten(),
    )
    this.head = nn.Sequential(nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, out_dim))
  }
  forward(x: T): T {
    return this.head.call(this.backbone.call(x) as T) as T
  }
}

const info_nce_loss = (features: T, batch_size: number, n_views = 2, temperature = 0.07): [T, T] => {
  let labels = torch.cat(
    Array.from({ length: n_views }, () => torch.arange(batch_size)),
    { dim: 0 },
  )
  labels = labels.unsqueeze(0).eq(labels.unsqueeze(1)).float()
  features = F.normalize(features, { dim: 1 })
  let similarity_matrix = torch.matmul(features, features.T)
  const mask = torch.eye(labels.shape[0]!, { dtype: torch.bool })
  labels = labels.index(mask.logical_not()).view(labels.shape[0]!, -1)
  similarity_matrix = similarity_matrix.index(mask.logical_not()).view(similarity_matrix.shape[0]!, -1)
  const positives = similarity_matrix.index(labels.bool()).view(labels.shape[0]!, -1)
  const negatives = similarity_matrix.index(labels.bool().logical_not()).view(similarity_matrix.shape[0]!, -1)
  let logits = torch.cat([positives, negatives], { dim: 1 })
  labels = torch.zeros(logits.shape[0]!, { dtype: torch.long })
  logits = logits.div(temperature)
  return [logits, labels]
}

const nt_xent = (feats: T, temperature = 0.5): [T, T, T, T] => {
  let cos_sim = F.cosine_similarity(feats.index(':', null, ':'), feats.index(null, ':', ':'), { dim: -1 })
  const self_mask = torch.eye(cos_sim.shape[0]!, { dtype: torch.bool })
  cos_sim.masked_fill_(self_mask, -9e15)
  const pos_mask = self_mask.roll(Math.floor(cos_sim.shape[0]! / 2), 0)
  cos_sim = cos_sim.div(temperature)
  let nll = cos_sim.index(pos_mask).neg().add(torch.logsumexp(cos_sim, -1))
  nll = nll.mean()
  const comb_sim = torch.cat([cos_sim.index(pos_mask).index(':', null), cos_sim.masked_fill(pos_mask, -9e15)], {
    dim: -1,
  })
  const sim_argsort = comb_sim.argsort(-1, true).argmin({ dim: -1 })
  return [nll, sim_argsort.eq(0).float().mean(), sim_argsort.lt(5).float().mean(), sim_argsort.float().mean().add(1)]
}

const views = (x: T): T => {
  const flip = torch.rand(x.shape[0]!).lt(0.5)
  x = torch.where(flip.index(':', null, null, null), x.flip(-1), x)
  return x.add(torch.randn_like(x).mul(0.1))
}

describe('SimCLR (info_nce_loss and NT-Xent with a small encoder)', () => {
  it('trains as PyTorch does', () => {
    torch.manual_seed(3)
    const model = new Encoder()
    const optimizer = torch.optim.Adam(model.parameters(), { lr: 3e-3, weight_decay: 1e-4 })
    const criterion = new nn.CrossEntropyLoss()
    const data = torch.rand(3, 4, 3, 8, 8)
    const [losses, nt_losses, tops]: [number[], number[], number[][]] = [[], [], []]
    const biases: number[][][] = [] // observation only, as in the fixture script
    let logits: T | null = null
    for (let step = 0; step < 3; step++) {
      biases.push([3, 3].map((_, j) => (model.backbone[3 * j] as torch.nn.Conv2d).bias!.tolist() as number[]))
      const images = torch.cat([views(data.index(step)), views(data.index(step))], { dim: 0 })
      const features = model.call(images)
      let labels: T
      ;[logits, labels] = info_nce_loss(features, 4)
      const loss = criterion.call(logits, labels)
      const [nll, top1, top5, mean_pos] = nt_xent(features)
      optimizer.zero_grad()
      loss.add(nll).backward()
      optimizer.step()
      losses.push(loss.item() as number)
      nt_losses.push(nll.item() as number)
      tops.push([top1.item() as number, top5.item() as number, mean_pos.item() as number])
    }
    expectClose(losses, fixture.losses, 1e-5, 1e-6)
    expectClose(nt_losses, fixture.nt_losses, 1e-5, 1e-6)
    expectClose(tops, fixture.tops, 0, 0)
    expectClose(logits!.detach().index(0).tolist(), fixture.logits, 1e-5, 1e-5)
    // The conv biases sit before training-mode BatchNorms, so their exact gradients are zero and
    // both libraries give them float32 rounding noise (PyTorch's first-step values: 2e-7, -4e-8,
    // 1.1e-6, …; wengert's differ, since its convolution sums in another order — see the PointNet
    // port). With weight decay's 1e-4·b beside it, the sign of that noise decides each Adam step,
    // and Adam takes steps of at most ~lr whatever the gradient (adamStepBound: 1, 1.0014, 1.0037
    // for steps 1–3). So after three steps the biases of the two libraries are at most
    // noisyParamBound([lr, lr, lr]) = 1.81e-2 apart (the first four values are compared; the sums
    // add up to 16 of them). The outputs do not see them (BatchNorm removes a per-channel shift),
    // but running_mean does, by 0.081·b₀ + 0.09·b₁ + 0.1·b₂ (momentum 0.1, the bias each forward
    // saw — recorded on both sides): so running_mean minus that share must agree to float32
    // rounding (1e-5 relative: the convolutions' 27- and 72-term float32 sums reordered), and
    // running_mean itself within the share's bound 2·lr·(0.09·1 + 0.1·(1 + 1.0014)) = 1.74e-3.
    // running_var does not see the biases at all.
    const lr = 3e-3
    const bias_bound = noisyParamBound([lr, lr, lr])
    const share_bound = 2 * lr * (0.09 * adamStepBound(1) + 0.1 * (adamStepBound(1) + adamStepBound(2)))
    const noisy = ['backbone.0.bias', 'backbone.3.bias']
    const got = summary(model)
    for (const [k, want] of Object.entries(fixture.params)) {
      if (noisy.includes(k)) expectClose(got[k]!.slice(2), want.slice(2), 0, bias_bound, k)
      else expectClose(got[k], want, 1e-4, 1e-5, k)
    }
    const share = (b: number[][][], j: number, c: number): number =>
      0.081 * b[0]![j]![c]! + 0.09 * b[1]![j]![c]! + 0.1 * b[2]![j]![c]!
    expectClose(biases[0], fixture.biases[0], 0, 0) // the same initial values
    expectClose(biases, fixture.biases, 0, bias_bound)
    ;[1, 4].forEach((i, j) => {
      const bn = model.backbone[i] as torch.nn.BatchNorm2d
      const mean = bn.running_mean!.tolist() as number[]
      const rest = mean.map((m, c) => m - share(biases, j, c))
      const want_rest = fixture.running_means[j]!.map((m, c) => m - share(fixture.biases, j, c))
      expectClose(rest, want_rest, 1e-5, 1e-7, `bn ${i} running_mean − bias share`)
      expectClose(mean, fixture.running_means[j], 1e-5, share_bound, `bn ${i} running_mean`)
      expectClose(bn.running_var!.tolist(), fixture.running_vars[j], 1e-5, 0, `bn ${i} running_var`)
    })
  })
})
