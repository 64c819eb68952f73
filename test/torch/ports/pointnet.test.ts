import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/pointnet.json'
import { expectClose, summary } from './portHelpers'

// PointNet classification as fxia22/pointnet.pytorch writes it, widths cut (twin:
// test/torch/fixtures/ports/pointnet.py): STN3d/STNkd T-nets (Conv1d, BatchNorm1d, max over points
// with keepdim, identity added through Variable(...).view(1, k*k).repeat(batchsize, 1)), bmm by
// the transforms, Dropout + log_softmax head, nll_loss plus feature_transform_regularizer,
// Adam with StepLR, accuracy from pred.data.max(1)[1], eval under no_grad.
const { nn, optim } = torch
const F = torch.nn.functional
const { Variable } = torch.autograd
type T = torch.Tensor

class STN3d extends nn.Module {
  conv1 = torch.nn.Conv1d(3, 16, 1)
  conv2 = torch.nn.Conv1d(16, 32, 1)
  fc1 = nn.Linear(32, 16)
  fc2 = nn.Linear(16, 9)
  relu = nn.ReLU()
  bn1 = nn.BatchNorm1d(16)
  bn2 = nn.BatchNorm1d(32)
  bn4 = nn.BatchNorm1d(16)
  forward(x: T): T {
    const batchsize = x.size()[0]!
    x = F.relu(this.bn1.call(this.conv1.call(x)))
    x = F.relu(this.bn2.call(this.conv2.call(x)))
    x = torch.max(x, 2, { keepdim: true })[0]
    x = x.view(-1, 32)
    x = F.relu(this.bn4.call(this.fc1.call(x)))
    x = this.fc2.call(x)
    const eye = torch.tensor([1, 0, 0, 0, 1, 0, 0, 0, 1], { dtype: torch.float32 })
    const iden = Variable(eye).view(1, 9).repeat(batchsize, 1)
    x = x.add(iden)
    return x.view(-1, 3, 3)
  }
}

// Submodules are made in the constructor, in Python's order (class fields would run first and
// draw their initial weights out of order).
class STNkd extends nn.Module {
  conv1: torch.nn.Conv1d
  fc1: torch.nn.Linear
  fc2: torch.nn.Linear
  relu: torch.nn.ReLU
  bn1: torch.nn.BatchNorm1d
  bn4: torch.nn.BatchNorm1d
  constructor(public k = 16) {
    super()
    this.conv1 = torch.nn.Conv1d(k, 32, 1)
    this.fc1 = nn.Linear(32, 16)
    this.fc2 = nn.Linear(16, k * k)
    this.relu = nn.ReLU()
    this.bn1 = nn.BatchNorm1d(32)
    this.bn4 = nn.BatchNorm1d(16)
  }
  forward(x: T): T {
    const batchsize = x.size()[0]!
    x = F.relu(this.bn1.call(this.conv1.call(x)))
    x = torch.max(x, 2, { keepdim: true })[0]
    x = x.view(-1, 32)
    x = F.relu(this.bn4.call(this.fc1.call(x)))
    x = this.fc2.call(x)
    const iden = Variable(torch.eye(this.k).flatten().float())
      .view(1, this.k * this.k)
      .repeat(batchsize, 1)
    x = x.add(iden)
    return x.view(-1, this.k, this.k)
  }
}

class PointNetfeat extends nn.Module {
  stn = new STN3d()
  conv1 = torch.nn.Conv1d(3, 16, 1)
  conv2 = torch.nn.Conv1d(16, 32, 1)
  bn1 = nn.BatchNorm1d(16)
  bn2 = nn.BatchNorm1d(32)
  fstn?: STNkd
  constructor(
    public global_feat = true,
    public feature_transform = false,
  ) {
    super()
    if (this.feature_transform) this.fstn = new STNkd(16)
  }
  forward(x: T): [T, T, T | null] {
    const n_pts = x.size()[2]!
    const trans = this.stn.call(x)
    x = x.transpose(2, 1)
    x = torch.bmm(x, trans)
    x = x.transpose(2, 1)
    x = F.relu(this.bn1.call(this.conv1.call(x)))
    let trans_feat: T | null = null
    if (this.feature_transform) {
      trans_feat = this.fstn!.call(x)
      x = x.transpose(2, 1)
      x = torch.bmm(x, trans_feat)
      x = x.transpose(2, 1)
    }
    const pointfeat = x
    x = this.bn2.call(this.conv2.call(x))
    x = torch.max(x, 2, { keepdim: true })[0]
    x = x.view(-1, 32)
    if (this.global_feat) return [x, trans, trans_feat]
    x = x.view(-1, 32, 1).repeat(1, 1, n_pts)
    return [torch.cat([x, pointfeat], 1), trans, trans_feat]
  }
}

class PointNetCls extends nn.Module {
  feat: PointNetfeat
  fc1: torch.nn.Linear
  fc2: torch.nn.Linear
  dropout: torch.nn.Dropout
  bn1: torch.nn.BatchNorm1d
  relu: torch.nn.ReLU
  constructor(
    k = 2,
    public feature_transform = false,
  ) {
    super()
    this.feat = new PointNetfeat(true, feature_transform)
    this.fc1 = nn.Linear(32, 16)
    this.fc2 = nn.Linear(16, k)
    this.dropout = nn.Dropout({ p: 0.3 })
    this.bn1 = nn.BatchNorm1d(16)
    this.relu = nn.ReLU()
  }
  forward(x: T): [T, T, T | null] {
    const [g, trans, trans_feat] = this.feat.call(x)
    x = F.relu(this.bn1.call(this.dropout.call(this.fc1.call(g))))
    x = this.fc2.call(x)
    return [F.log_softmax(x, { dim: 1 }), trans, trans_feat]
  }
}

const feature_transform_regularizer = (trans: T): T => {
  const d = trans.size()[1]!
  const I = torch.eye(d).index(null, ':', ':')
  return torch.mean(torch.norm(torch.bmm(trans, trans.transpose(2, 1)).sub(I), { dim: [1, 2] }))
}

const run = () => {
  torch.manual_seed(0)
  const num_classes = 3
  let classifier = new PointNetCls(num_classes, true)
  const optimizer = optim.Adam(classifier.parameters(), { lr: 0.001, betas: [0.9, 0.999] })
  const scheduler = optim.lr_scheduler.StepLR(optimizer, { step_size: 2, gamma: 0.5 })
  const points_all = torch.randn(3, 6, 50, 3)
  const target_all = torch.randint(0, num_classes, [3, 6, 1])
  const losses: number[] = []
  const accs: number[] = []
  for (let epoch = 0; epoch < 2; epoch++) {
    for (let i = 0; i < 3; i++) {
      let [points, target] = [points_all.index(i), target_all.index(i)]
      target = target.index(':', 0)
      points = points.transpose(2, 1)
      optimizer.zero_grad()
      classifier = classifier.train()
      const [pred, , trans_feat] = classifier.call(points) as [T, T, T]
      const loss = F.nll_loss(pred, target)
      loss.add_(feature_transform_regularizer(trans_feat).mul(0.001)) // Python: loss += …
      loss.backward()
      optimizer.step()
      const pred_choice = pred.data.max(1)[1]
      const correct = pred_choice.eq(target.data).cpu().sum()
      losses.push(loss.item() as number)
      accs.push((correct.item() as number) / 6)
    }
    scheduler.step()
  }
  classifier = classifier.eval()
  const [pred, trans, trans_feat] = torch.no_grad(() => classifier.call(points_all.index(0).transpose(2, 1))) as [
    T,
    T,
    T,
  ]
  return { losses, accs, pred, trans, trans_feat, classifier }
}

describe('PointNet classification (fxia22/pointnet.pytorch)', () => {
  it('trains as PyTorch does (losses and accuracies)', () => {
    const { losses, accs } = run()
    expectClose(losses, fixture.losses, 1e-5, 0)
    expect(accs).toEqual(fixture.accs)
  })

  // OPEN: after 6 Adam steps the parameters drift from PyTorch's, and eval-mode outputs follow.
  // Cause (session 19): the first Conv1d (3→16, kernel 1) already differs from PyTorch 1.13 in 987
  // of 4800 outputs by an ulp: PyTorch's CPU convolution sums the channel products as a float32
  // fused multiply-add chain from the first product, then adds the bias; wengert's convolution
  // sums them exactly (float64) before adding the bias. The difference grows through BatchNorm
  // (step-0 gradients differ by ~1e-5 relative), and the biases whose exact gradient is zero
  // (conv/fc biases before a training-mode BatchNorm; the T-nets' bn2/bn1 biases, which reach a
  // training-mode BatchNorm through max and Linear) then have rounding-noise gradients of ~1e-7
  // whose signs differ from PyTorch's: Adam turns each into a ±lr step, so those biases are ~2e-3
  // apart after the first step. Passing needs the convolution's float32 FMA order and gradients
  // that round as PyTorch's do bit for bit.
  it.fails('ends with PyTorch parameters and eval outputs', () => {
    const { pred, trans, trans_feat, classifier } = run()
    expectClose(summary(classifier), fixture.params, 1e-4, 1e-5)
    expectClose(pred.tolist(), fixture.pred, 1e-4, 1e-5)
    expectClose(trans.index(0).tolist(), fixture.trans, 1e-4, 1e-5)
    expectClose(feature_transform_regularizer(trans_feat).item(), fixture.reg, 1e-4, 0)
  })
})
