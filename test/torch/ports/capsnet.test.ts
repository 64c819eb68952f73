import { describe, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/capsnet.json'
import { expectClose, summary } from './portHelpers'

// gram-ai/capsule-networks' CapsuleNet as its authors write it, layers cut and 12×12 images (twin:
// test/torch/fixtures/ports/capsnet.py): the softmax helper over any dim (transpose,
// contiguous().view, view back), primary capsules as a ModuleList of Conv2d with cat and squash,
// digit capsules with route_weights from randn and priors through the 5-D broadcast matmul
// x[None, :, :, None, :] @ W[:, None, :, :, :], three routing iterations, class lengths (** 0.5) and
// softmax, one-hot masks from eye().index_select, the decoder, the margin loss with
// F.relu(inplace=True) and MSELoss(size_average=False), Adam. Python's `1. - t` is `t.rsub(1.0)`.
const { nn } = torch
const F = torch.nn.functional
const { Variable } = torch.autograd
type T = torch.Tensor

const BATCH_SIZE = 4
const NUM_CLASSES = 3
const NUM_ROUTING_ITERATIONS = 3

const softmax = (input: T, dim = 1): T => {
  const transposed_input = input.transpose(dim, input.size().length - 1)
  const softmaxed_output = F.softmax(transposed_input.contiguous().view(-1, transposed_input.size(-1)), { dim: -1 })
  return softmaxed_output.view(...transposed_input.size()).transpose(dim, input.size().length - 1)
}

class CapsuleLayer extends nn.Module {
  route_weights?: torch.nn.Parameter
  capsules?: torch.nn.ModuleList

  constructor(
    public num_capsules: number,
    public num_route_nodes: number,
    in_channels: number,
    out_channels: number,
    kernel_size: number | null = null,
    stride: number | null = null,
    public num_iterations = NUM_ROUTING_ITERATIONS,
  ) {
    super()
    if (num_route_nodes !== -1) {
      this.route_weights = nn.Parameter(torch.randn(num_capsules, num_route_nodes, in_channels, out_channels))
    } else {
      this.capsules = nn.ModuleList(
        Array.from({ length: num_capsules }, () =>
          nn.Conv2d(in_channels, out_channels, { kernel_size: kernel_size!, stride: stride!, padding: 0 }),
        ),
      )
    }
  }

  squash(tensor: T, dim = -1): T {
    const squared_norm = tensor.pow(2).sum({ dim, keepdim: true })
    const scale = squared_norm.div(squared_norm.add(1))
    return scale.mul(tensor).div(torch.sqrt(squared_norm))
  }

  forward(x: T): T {
    let outputs: T
    if (this.num_route_nodes !== -1) {
      const priors = x.index(null, ':', ':', null, ':').matmul(this.route_weights!.index(':', null, ':', ':', ':'))
      let logits = Variable(torch.zeros(...priors.size()))
      outputs = priors
      for (let i = 0; i < this.num_iterations; i++) {
        const probs = softmax(logits, 2)
        outputs = this.squash(probs.mul(priors).sum({ dim: 2, keepdim: true }))
        if (i !== this.num_iterations - 1) {
          const delta_logits = priors.mul(outputs).sum({ dim: -1, keepdim: true })
          logits = logits.add(delta_logits)
        }
      }
    } else {
      const outs = [...this.capsules!].map((capsule) => (capsule as torch.nn.Conv2d).call(x).view(x.size(0), -1, 1))
      outputs = this.squash(torch.cat(outs, { dim: -1 }))
    }
    return outputs
  }
}

class CapsuleNet extends nn.Module {
  conv1 = nn.Conv2d({ in_channels: 1, out_channels: 16, kernel_size: 5, stride: 1 })
  primary_capsules = new CapsuleLayer(4, -1, 16, 4, 3, 2)
  digit_capsules = new CapsuleLayer(NUM_CLASSES, 4 * 3 * 3, 4, 8)
  decoder = nn.Sequential(
    nn.Linear(8 * NUM_CLASSES, 32),
    nn.ReLU(true),
    nn.Linear(32, 64),
    nn.ReLU(true),
    nn.Linear(64, 144),
    nn.Sigmoid(),
  )

  forward(x: T, y: T | null = null): [T, T] {
    x = F.relu(this.conv1.call(x), { inplace: true })
    x = this.primary_capsules.call(x)
    x = this.digit_capsules.call(x).squeeze().transpose(0, 1)
    let classes = x.pow(2).sum({ dim: -1 }).pow(0.5)
    classes = F.softmax(classes, { dim: -1 })
    if (y === null) {
      // In all batches, get the most active capsule.
      const [, max_length_indices] = classes.max({ dim: 1 })
      y = Variable(torch.eye(NUM_CLASSES)).index_select({ dim: 0, index: max_length_indices.data })
    }
    const reconstructions = this.decoder.call(
      x
        .mul(y.index(':', ':', null))
        .contiguous()
        .view(x.size(0), -1),
    )
    return [classes, reconstructions]
  }
}

class CapsuleLoss extends nn.Module {
  reconstruction_loss = nn.MSELoss({ size_average: false })

  forward(images: T, labels: T, classes: T, reconstructions: T): T {
    const left = F.relu(classes.rsub(0.9), { inplace: true }).pow(2)
    const right = F.relu(classes.sub(0.1), { inplace: true }).pow(2)
    let margin_loss = labels.mul(left).add(labels.rsub(1.0).mul(0.5).mul(right))
    margin_loss = margin_loss.sum()
    if (torch.numel(images) !== torch.numel(reconstructions)) throw new Error('AssertionError')
    images = images.view(reconstructions.size()[0]!, -1)
    const reconstruction_loss = this.reconstruction_loss.call(reconstructions, images)
    return margin_loss.add(reconstruction_loss.mul(0.005)).div(images.size(0))
  }
}

describe('CapsuleNet (gram-ai/capsule-networks)', () => {
  it('routes and trains as PyTorch does', () => {
    torch.manual_seed(7)
    const model = new CapsuleNet()
    const optimizer = torch.optim.Adam(model.parameters())
    const capsule_loss = new CapsuleLoss()
    const images_all = torch.rand(12, 1, 12, 12)
    const labels_all = torch.randint(0, NUM_CLASSES, [12])
    const losses: number[] = []
    for (let epoch = 0; epoch < 2; epoch++) {
      model.train()
      for (let b = 0; b < 12; b += BATCH_SIZE) {
        const data = images_all.index(`${b}:${b + BATCH_SIZE}`)
        let labels = labels_all.index(`${b}:${b + BATCH_SIZE}`)
        labels = torch.eye(NUM_CLASSES).index_select({ dim: 0, index: labels })
        optimizer.zero_grad()
        const [classes, reconstructions] = model.call(data, labels)
        const loss = capsule_loss.call(data, labels, classes, reconstructions)
        loss.backward()
        optimizer.step()
        losses.push(loss.item() as number)
      }
    }
    expectClose(losses, fixture.losses, 1e-5, 0)
    expectClose(model.digit_capsules.route_weights!.grad!.index(0, 0).tolist(), fixture.grads.route_weights, 1e-5, 1e-9)
    expectClose(model.conv1.weight.grad!.index(0, 0, 0).tolist(), fixture.grads.conv1, 1e-5, 1e-9)
    expectClose(summary(model), fixture.summary, 1e-6, 1e-7)
    model.eval()
    torch.no_grad(() => {
      const [classes, reconstructions] = model.call(images_all.index(`:${BATCH_SIZE}`))
      expectClose(classes.tolist(), fixture.classes, 1e-5, 0)
      expectClose(reconstructions.index(0, ':8').tolist(), fixture.reconstruction, 1e-5, 0)
    })
  })
})
