import { describe, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/gat.json'
import { expectClose, summary } from './portHelpers'

// pytorch/examples gat/main.py ported line by line (twin: test/torch/fixtures/ports/gat.py):
// multi-head graph attention (xavier_normal_, .mT, torch.where on the adjacency, softmax, dropout
// on features and attention, heads concatenated or averaged), Adam with weight_decay, NLLLoss on
// train indices and eval accuracy on test indices.
const { nn } = torch
const F = torch.nn.functional
type T = torch.Tensor

class GraphAttentionLayer extends nn.Module {
  n_heads: number
  concat: boolean
  dropout: number
  out_features = 0
  n_hidden: number
  W: torch.nn.Parameter
  a: torch.nn.Parameter
  leakyrelu: torch.nn.LeakyReLU
  softmax = nn.Softmax({ dim: 1 })

  constructor(
    in_features: number,
    out_features: number,
    n_heads: number,
    concat = false,
    dropout = 0.4,
    leaky_relu_slope = 0.2,
  ) {
    super()
    this.n_heads = n_heads
    this.concat = concat
    this.dropout = dropout
    if (concat) {
      this.out_features = out_features
      if (out_features % n_heads !== 0) throw new Error('AssertionError')
      this.n_hidden = Math.floor(out_features / n_heads)
    } else {
      this.n_hidden = out_features
    }
    this.W = nn.Parameter(torch.empty([in_features, this.n_hidden * n_heads]))
    this.a = nn.Parameter(torch.empty([n_heads, 2 * this.n_hidden, 1]))
    this.leakyrelu = nn.LeakyReLU(leaky_relu_slope)
    this.reset_parameters()
  }

  reset_parameters(): void {
    nn.init.xavier_normal_(this.W)
    nn.init.xavier_normal_(this.a)
  }

  _get_attention_scores(h_transformed: T): T {
    const source_scores = torch.matmul(h_transformed, this.a.index(':', `:${this.n_hidden}`, ':'))
    const target_scores = torch.matmul(h_transformed, this.a.index(':', `${this.n_hidden}:`, ':'))
    const e = source_scores.add(target_scores.mT)
    return this.leakyrelu.call(e)
  }

  forward(h: T, adj_mat: T): T {
    const n_nodes = h.shape[0]!
    let h_transformed = torch.mm(h, this.W)
    h_transformed = F.dropout(h_transformed, this.dropout, { training: this.training })
    h_transformed = h_transformed.view(n_nodes, this.n_heads, this.n_hidden).permute(1, 0, 2)
    let e = this._get_attention_scores(h_transformed)
    const connectivity_mask = torch.ones_like(e).mul(-9e16)
    e = torch.where(adj_mat.gt(0), e, connectivity_mask)
    let attention = F.softmax(e, { dim: -1 })
    attention = F.dropout(attention, this.dropout, { training: this.training })
    let h_prime = torch.matmul(attention, h_transformed)
    if (this.concat) h_prime = h_prime.permute(1, 0, 2).contiguous().view(n_nodes, this.out_features)
    else h_prime = h_prime.mean({ dim: 0 })
    return h_prime
  }
}

class GAT extends nn.Module {
  gat1: GraphAttentionLayer
  gat2: GraphAttentionLayer

  constructor(
    in_features: number,
    n_hidden: number,
    n_heads: number,
    num_classes: number,
    concat = false,
    dropout = 0.4,
    leaky_relu_slope = 0.2,
  ) {
    super()
    this.gat1 = new GraphAttentionLayer(in_features, n_hidden, n_heads, concat, dropout, leaky_relu_slope)
    this.gat2 = new GraphAttentionLayer(n_hidden, num_classes, 1, false, dropout, leaky_relu_slope)
  }

  forward(input_tensor: T, adj_mat: T): T {
    let x = this.gat1.call(input_tensor, adj_mat)
    x = F.elu(x)
    x = this.gat2.call(x, adj_mat)
    return F.log_softmax(x, { dim: 1 })
  }
}

describe('pytorch/examples GAT', () => {
  it('trains and evaluates as PyTorch does', () => {
    torch.manual_seed(13)
    const [n_nodes, n_features, num_classes] = [12, 10, 3]
    const features = torch.rand(n_nodes, n_features)
    const labels = torch.randint(0, num_classes, [n_nodes])
    const edges = torch.randint(0, n_nodes, [2, 30])
    let adj_mat = torch.zeros(n_nodes, n_nodes)
    adj_mat.setitem([edges.index(0), edges.index(1)], 1)
    adj_mat.setitem([edges.index(1), edges.index(0)], 1)
    adj_mat = adj_mat.add(torch.eye(n_nodes))
    const idx = torch.randperm(n_nodes)
    const [idx_train, idx_test] = [idx.index(':8'), idx.index('8:')]
    const gat_net = new GAT(n_features, 8, 4, num_classes, true)
    const optimizer = torch.optim.Adam(gat_net.parameters(), { lr: 0.005, weight_decay: 5e-4 })
    const criterion = nn.NLLLoss()
    const losses: number[] = []
    for (let epoch = 0; epoch < 6; epoch++) {
      gat_net.train()
      optimizer.zero_grad()
      const y = gat_net.call(features, adj_mat)
      const loss = criterion.call(y.index(idx_train), labels.index(idx_train))
      loss.backward()
      optimizer.step()
      losses.push(loss.item() as number)
    }
    gat_net.eval()
    const [output, loss, acc] = torch.no_grad(() => {
      const out = gat_net.call(features, adj_mat)
      const l = criterion.call(out.index(idx_test), labels.index(idx_test))
      const a = out.index(idx_test).argmax({ dim: 1 }).eq(labels.index(idx_test)).float().mean()
      return [out, l, a] as const
    })
    expectClose(losses, fixture.losses, 1e-4, 1e-6)
    expectClose([loss.item(), acc.item()], fixture.test, 1e-4, 0)
    expectClose([output.sum().item(), output.index(0).tolist()], fixture.output, 1e-4, 1e-5)
    expectClose(summary(gat_net), fixture.params, 1e-4, 1e-5)
  })
})
