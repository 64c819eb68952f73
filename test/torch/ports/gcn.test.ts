import { describe, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/gcn.json'
import { expectClose } from './portHelpers'

// pygcn's GCN ported line by line with a dense adjacency and dropout off (twin:
// test/torch/fixtures/ports/gcn.py): FloatTensor-allocated parameters filled by uniform_ in
// reset_parameters, torch.mm products, nll_loss on index tensors, Adam with weight decay.
const { nn, optim } = torch
const F = torch.nn.functional
const { Parameter } = torch.nn

class GraphConvolution extends nn.Module {
  weight: torch.nn.Parameter
  bias: torch.nn.Parameter | null

  constructor(
    public in_features: number,
    public out_features: number,
    bias = true,
  ) {
    super()
    this.weight = Parameter(torch.FloatTensor(in_features, out_features))
    if (bias) {
      this.bias = Parameter(torch.FloatTensor(out_features))
    } else {
      this.bias = null
      this.register_parameter('bias', null)
    }
    this.reset_parameters()
  }

  reset_parameters(): void {
    const stdv = 1.0 / Math.sqrt(this.weight.size(1))
    this.weight.data.uniform_(-stdv, stdv)
    if (this.bias !== null) this.bias.data.uniform_(-stdv, stdv)
  }

  forward(input: torch.Tensor, adj: torch.Tensor): torch.Tensor {
    const support = torch.mm(input, this.weight)
    const output = torch.mm(adj, support)
    return this.bias !== null ? output.add(this.bias) : output
  }
}

class GCN extends nn.Module {
  gc1: GraphConvolution
  gc2: GraphConvolution

  constructor(
    nfeat: number,
    nhid: number,
    nclass: number,
    public dropout: number,
  ) {
    super()
    this.gc1 = new GraphConvolution(nfeat, nhid)
    this.gc2 = new GraphConvolution(nhid, nclass)
  }

  forward(x: torch.Tensor, adj: torch.Tensor): torch.Tensor {
    x = F.relu(this.gc1.call(x, adj))
    x = F.dropout(x, this.dropout, { training: this.training })
    x = this.gc2.call(x, adj)
    return F.log_softmax(x, { dim: 1 })
  }
}

const accuracy = (output: torch.Tensor, labels: torch.Tensor): torch.Tensor => {
  const preds = output.max(1)[1].type_as(labels)
  const correct = preds.eq(labels).double().sum()
  return correct.div(labels.__len__())
}

const normalize = (mx: torch.Tensor): torch.Tensor => {
  const rowsum = mx.sum(1)
  const rInv = rowsum.pow(-1)
  rInv.set(torch.isinf(rInv), 0.0)
  return torch.diag(rInv).mm(mx)
}

describe('pygcn GCN (dense adjacency)', () => {
  it('trains as PyTorch does', () => {
    torch.manual_seed(42)
    const [n, nfeat, nclass] = [20, 12, 3]
    const features = normalize(torch.rand(n, nfeat))
    const a = torch.rand(n, n).lt(0.2).float()
    const adj = normalize(a.add(a.t()).gt(0).float().add(torch.eye(n)))
    const labels = torch.randint(0, nclass, [n])
    const [idxTrain, idxVal] = [torch.arange(0, 12), torch.arange(12, 20)]
    const model = new GCN(nfeat, 16, nclass, 0.0)
    const optimizer = optim.Adam(model.parameters(), { lr: 0.01, weight_decay: 5e-4 })
    const log: number[][] = []
    let output = features
    for (let epoch = 0; epoch < 8; epoch++) {
      model.train()
      optimizer.zero_grad()
      output = model.call(features, adj)
      const lossTrain = F.nll_loss(output.index(idxTrain), labels.index(idxTrain))
      const accTrain = accuracy(output.index(idxTrain), labels.index(idxTrain))
      lossTrain.backward()
      optimizer.step()
      model.eval()
      output = model.call(features, adj)
      const lossVal = F.nll_loss(output.index(idxVal), labels.index(idxVal))
      const accVal = accuracy(output.index(idxVal), labels.index(idxVal))
      log.push([lossTrain, accTrain, lossVal, accVal].map((t) => t.item() as number))
    }
    expectClose(log, fixture.log, 1e-5, 1e-7)
    expectClose(output.index(0).tolist(), fixture.output, 1e-5, 1e-6)
    expectClose(model.gc2.weight.detach().index(0).tolist(), fixture.gc2_weight, 1e-4, 1e-6)
  })
})
