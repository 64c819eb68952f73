import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/pygcn.json'
import { expectClose, summary } from './portHelpers'

// Kipf & Welling's pygcn as its authors wrote it, with its sparse adjacency (twin:
// test/torch/fixtures/ports/pygcn.py): normalize(), sparse_mx_to_torch_sparse_tensor through the
// legacy torch.sparse.FloatTensor constructor, GraphConvolution with torch.spmm, relu, dropout
// (0 here), log_softmax, nll_loss and Adam. scipy's matrices are dense facade tensors here: the
// helpers do what utils.py's do (row normalisation; COO entries in row-major order).
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
    const output = torch.spmm(adj, support)
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

/** utils.normalize: rows divided by their sums (empty rows stay zero). */
const normalize = (mx: torch.Tensor): torch.Tensor => {
  const rInv = mx.sum(1).pow(-1)
  rInv.set(torch.isinf(rInv), 0.0)
  return torch.diag(rInv).mm(mx)
}

/** utils.sparse_mx_to_torch_sparse_tensor: the nonzero entries (row-major, as tocoo of a CSR matrix), float32. */
const sparse_mx_to_torch_sparse_tensor = (mx: torch.Tensor): torch.Tensor => {
  const m = mx.float()
  const nz = m.nonzero().t()
  const values = m.index(nz.index(0), nz.index(1))
  return torch.sparse.FloatTensor(nz, values, torch.Size(m.shape))
}

const accuracy = (output: torch.Tensor, labels: torch.Tensor): torch.Tensor => {
  const preds = output.max(1)[1].type_as(labels)
  const correct = preds.eq(labels).double().sum()
  return correct.div(labels.__len__())
}

describe('pygcn (sparse adjacency, torch.spmm)', () => {
  it('trains as PyTorch does', () => {
    torch.manual_seed(7)
    const [n, nfeat] = [24, 10]
    let features = torch.rand(n, nfeat).lt(0.3).float()
    const a = torch.rand(n, n).lt(0.1).double()
    const labels = torch.randint(0, 3, [n])
    // adj + adj.T.multiply(adj.T > adj) - adj.multiply(adj.T > adj): the symmetric maximum
    const adjSym = torch.maximum(a, a.t())
    features = normalize(features)
    const adj = sparse_mx_to_torch_sparse_tensor(normalize(adjSym.add(torch.eye(n, { dtype: torch.float64 }))))
    expect(adj.is_sparse).toBe(true)
    expect(adj._nnz()).toBe(fixture.nnz)
    expectClose(adj.to_dense().index(0).tolist(), fixture.adj_row0, 1e-6, 1e-7)
    const [idxTrain, idxVal] = [torch.arange(0, 14), torch.arange(14, 24)]
    const model = new GCN(features.shape[1] as number, 16, (labels.max().item() as number) + 1, 0.0)
    const optimizer = optim.Adam(model.parameters(), { lr: 0.01, weight_decay: 5e-4 })
    const log: number[][] = []
    let output = features
    for (let epoch = 0; epoch < 10; epoch++) {
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
    expectClose(summary(model), fixture.params, 1e-4, 1e-6)
  })
})
