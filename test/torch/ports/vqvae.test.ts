import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/vqvae.json'
import { expectClose, summary } from './portHelpers'

// VQ-VAE as zalandoresearch/pytorch-vq-vae writes it (vq-vae.ipynb; twin:
// test/torch/fixtures/ports/vqvae.py), sizes cut: VectorQuantizer (expanded squared distances,
// argmin, one-hot scatter_, q/e latent losses with detach, the straight-through
// inputs + (quantized − inputs).detach(), perplexity) and VectorQuantizerEMA (a buffer reassigned
// with Laplace smoothing, the _ema_w Parameter and the embedding weight replaced by new
// nn.Parameters every training step), residual stacks whose blocks start with ReLU(true) on the
// residual input itself, ConvTranspose2d decoders, recon mse / data variance + vq loss, Adam.
const { nn } = torch
const F = torch.nn.functional
type T = torch.Tensor

const quantize = (inputs: T, weight: T, D: number, K: number): [T, T, T, T] => {
  inputs = inputs.permute(0, 2, 3, 1).contiguous()
  const input_shape = inputs.shape
  const flat_input = inputs.view(-1, D)
  const distances = torch
    .sum(flat_input.pow(2), { dim: 1, keepdim: true })
    .add(torch.sum(weight.pow(2), { dim: 1 }))
    .sub(torch.matmul(flat_input, weight.t()).mul(2))
  const encoding_indices = torch.argmin(distances, { dim: 1 }).unsqueeze(1)
  const encodings = torch.zeros(encoding_indices.shape[0]!, K, { device: inputs.device })
  encodings.scatter_(1, encoding_indices, 1)
  const quantized = torch.matmul(encodings, weight).view(input_shape)
  return [inputs, flat_input, encodings, quantized]
}

const perplexityOf = (encodings: T): T => {
  const avg_probs = torch.mean(encodings, { dim: 0 })
  return torch.exp(torch.sum(avg_probs.mul(torch.log(avg_probs.add(1e-10)))).neg())
}

class VectorQuantizer extends nn.Module {
  _embedding: torch.nn.Embedding
  constructor(
    readonly _num_embeddings: number,
    readonly _embedding_dim: number,
    readonly _commitment_cost: number,
  ) {
    super()
    this._embedding = nn.Embedding(_num_embeddings, _embedding_dim)
    this._embedding.weight.data.uniform_(-1 / _num_embeddings, 1 / _num_embeddings)
  }
  forward(x: T): [T, T, T, T] {
    const [inputs, , encodings, q] = quantize(x, this._embedding.weight, this._embedding_dim, this._num_embeddings)
    const e_latent_loss = F.mse_loss(q.detach(), inputs)
    const q_latent_loss = F.mse_loss(q, inputs.detach())
    const loss = q_latent_loss.add(e_latent_loss.mul(this._commitment_cost))
    const quantized = inputs.add(q.sub(inputs).detach())
    return [loss, quantized.permute(0, 3, 1, 2).contiguous(), perplexityOf(encodings), encodings]
  }
}

class VectorQuantizerEMA extends nn.Module {
  _embedding: torch.nn.Embedding
  declare _ema_cluster_size: T
  _ema_w: torch.nn.Parameter
  constructor(
    readonly _num_embeddings: number,
    readonly _embedding_dim: number,
    readonly _commitment_cost: number,
    readonly _decay: number,
    readonly _epsilon = 1e-5,
  ) {
    super()
    this._embedding = nn.Embedding(_num_embeddings, _embedding_dim)
    this._embedding.weight.data.normal_()
    this.register_buffer('_ema_cluster_size', torch.zeros(_num_embeddings))
    this._ema_w = nn.Parameter(new torch.Tensor(_num_embeddings, _embedding_dim))
    this._ema_w.data.normal_()
  }
  forward(x: T): [T, T, T, T] {
    const K = this._num_embeddings
    const [inputs, flat_input, encodings, q] = quantize(x, this._embedding.weight, this._embedding_dim, K)
    if (this.training) {
      this._ema_cluster_size = this._ema_cluster_size.mul(this._decay).add(torch.sum(encodings, 0).mul(1 - this._decay))
      const n = torch.sum(this._ema_cluster_size.data)
      this._ema_cluster_size = this._ema_cluster_size
        .add(this._epsilon)
        .div(n.add(K * this._epsilon))
        .mul(n)
      const dw = torch.matmul(encodings.t(), flat_input)
      this._ema_w = nn.Parameter(this._ema_w.mul(this._decay).add(dw.mul(1 - this._decay)))
      this._embedding.weight = nn.Parameter(this._ema_w.div(this._ema_cluster_size.unsqueeze(1)))
    }
    const e_latent_loss = F.mse_loss(q.detach(), inputs)
    const loss = e_latent_loss.mul(this._commitment_cost)
    const quantized = inputs.add(q.sub(inputs).detach())
    return [loss, quantized.permute(0, 3, 1, 2).contiguous(), perplexityOf(encodings), encodings]
  }
}

class Residual extends nn.Module {
  _block: torch.nn.Sequential
  constructor(in_channels: number, num_hiddens: number, num_residual_hiddens: number) {
    super()
    this._block = nn.Sequential(
      nn.ReLU(true),
      nn.Conv2d(in_channels, num_residual_hiddens, { kernel_size: 3, stride: 1, padding: 1, bias: false }),
      nn.ReLU(true),
      nn.Conv2d(num_residual_hiddens, num_hiddens, { kernel_size: 1, stride: 1, bias: false }),
    )
  }
  forward(x: T): T {
    return x.add(this._block.call(x))
  }
}

class ResidualStack extends nn.Module {
  _layers: torch.nn.ModuleList
  constructor(
    in_channels: number,
    num_hiddens: number,
    readonly _num_residual_layers: number,
    num_residual_hiddens: number,
  ) {
    super()
    this._layers = nn.ModuleList(
      Array.from({ length: _num_residual_layers }, () => new Residual(in_channels, num_hiddens, num_residual_hiddens)),
    )
  }
  forward(x: T): T {
    for (let i = 0; i < this._num_residual_layers; i++) x = (this._layers.at(i) as Residual).call(x)
    return F.relu(x)
  }
}

class Encoder extends nn.Module {
  _conv_1: torch.nn.Conv2d
  _conv_2: torch.nn.Conv2d
  _conv_3: torch.nn.Conv2d
  _residual_stack: ResidualStack
  constructor(in_channels: number, h: number, layers: number, res_h: number) {
    super()
    this._conv_1 = nn.Conv2d(in_channels, Math.floor(h / 2), { kernel_size: 4, stride: 2, padding: 1 })
    this._conv_2 = nn.Conv2d(Math.floor(h / 2), h, { kernel_size: 4, stride: 2, padding: 1 })
    this._conv_3 = nn.Conv2d(h, h, { kernel_size: 3, stride: 1, padding: 1 })
    this._residual_stack = new ResidualStack(h, h, layers, res_h)
  }
  forward(inputs: T): T {
    let x = F.relu(this._conv_1.call(inputs))
    x = F.relu(this._conv_2.call(x))
    x = this._conv_3.call(x)
    return this._residual_stack.call(x)
  }
}

class Decoder extends nn.Module {
  _conv_1: torch.nn.Conv2d
  _residual_stack: ResidualStack
  _conv_trans_1: torch.nn.ConvTranspose2d
  _conv_trans_2: torch.nn.ConvTranspose2d
  constructor(in_channels: number, h: number, layers: number, res_h: number) {
    super()
    this._conv_1 = nn.Conv2d(in_channels, h, { kernel_size: 3, stride: 1, padding: 1 })
    this._residual_stack = new ResidualStack(h, h, layers, res_h)
    this._conv_trans_1 = nn.ConvTranspose2d(h, Math.floor(h / 2), { kernel_size: 4, stride: 2, padding: 1 })
    this._conv_trans_2 = nn.ConvTranspose2d(Math.floor(h / 2), 3, { kernel_size: 4, stride: 2, padding: 1 })
  }
  forward(inputs: T): T {
    let x = this._conv_1.call(inputs)
    x = this._residual_stack.call(x)
    x = F.relu(this._conv_trans_1.call(x))
    return this._conv_trans_2.call(x)
  }
}

class Model extends nn.Module {
  _encoder: Encoder
  _pre_vq_conv: torch.nn.Conv2d
  _vq_vae: VectorQuantizer | VectorQuantizerEMA
  _decoder: Decoder
  constructor(h: number, layers: number, res_h: number, K: number, D: number, commitment_cost: number, decay = 0) {
    super()
    this._encoder = new Encoder(3, h, layers, res_h)
    this._pre_vq_conv = nn.Conv2d(h, D, { kernel_size: 1, stride: 1 })
    this._vq_vae =
      decay > 0.0 ? new VectorQuantizerEMA(K, D, commitment_cost, decay) : new VectorQuantizer(K, D, commitment_cost)
    this._decoder = new Decoder(D, h, layers, res_h)
  }
  forward(x: T): [T, T, T] {
    let z = this._encoder.call(x)
    z = this._pre_vq_conv.call(z)
    const [loss, quantized, perplexity] = this._vq_vae.call(z)
    return [loss, this._decoder.call(quantized), perplexity]
  }
}

const train = (decay: number): [Model, number[][]] => {
  const model = new Model(16, 2, 8, 8, 4, 0.25, decay)
  const optimizer = torch.optim.Adam(model.parameters(), { lr: 1e-3, amsgrad: false })
  const data = torch.randn(3, 4, 3, 16, 16).mul(3)
  const data_variance = torch.var(data).item() as number
  model.train()
  const trace: number[][] = []
  for (let i = 0; i < 3; i++) {
    optimizer.zero_grad()
    const [vq_loss, data_recon, perplexity] = model.call(data.index(i))
    const recon_error = F.mse_loss(data_recon, data.index(i)).div(data_variance)
    const loss = recon_error.add(vq_loss)
    loss.backward()
    optimizer.step()
    trace.push([recon_error, vq_loss, perplexity].map((t) => t.item() as number))
  }
  return [model, trace]
}

describe('VQ-VAE (zalandoresearch/pytorch-vq-vae)', () => {
  it('quantizes, trains and updates the EMA codebook as PyTorch does', () => {
    torch.manual_seed(0)
    let [model, trace] = train(0.0)
    expectClose(trace, fixture.trace, 1e-5, 1e-7)
    expectClose(model._vq_vae._embedding.weight.grad!.tolist(), fixture.emb_grad, 1e-4, 1e-8)
    expectClose(summary(model), fixture.params, 1e-5, 1e-6)

    torch.manual_seed(1)
    ;[model, trace] = train(0.99)
    const vq = model._vq_vae as VectorQuantizerEMA
    model.eval()
    const [, recon] = torch.no_grad(() => model.call(torch.rand(1, 3, 16, 16).sub(0.5)))
    expectClose(trace, fixture.ema_trace, 1e-5, 1e-7)
    expectClose(vq._ema_cluster_size.tolist(), fixture.ema_cluster_size, 1e-5, 1e-9)
    expectClose(vq._ema_w.tolist(), fixture.ema_w, 1e-5, 1e-7)
    expectClose(vq._embedding.weight.tolist(), fixture.ema_embedding, 1e-5, 1e-7)
    expect([...model.named_parameters()].map(([n]) => n)).toEqual(fixture.ema_names)
    expectClose(summary(model), fixture.ema_params, 1e-5, 1e-6)
    expectClose(recon.reshape(-1).index(':8').tolist(), fixture.ema_recon, 1e-5, 1e-6)
  })
})
