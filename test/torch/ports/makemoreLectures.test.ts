import { describe, it, expect } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/makemore_lectures.json'
import { expectClose } from './portHelpers'

// Karpathy's "Neural Networks: Zero to Hero" makemore lectures 1–5 ported line by line in the small
// (twin: test/torch/fixtures/ports/makemore_lectures.py): the bigram count model and its sampling
// with a seeded torch.Generator, the one-hot neural bigram, the MLP with C[X] and p.data += -lr *
// p.grad, the batch-norm MLP with running stats under no_grad, the backprop-ninja manual backward
// checked against autograd, and the WaveNet of plain classes. TypeScript limits: no operator
// overloading (`a @ b` is `a.matmul(b)`, `x += y` on a Tensor is `x.add_(y)` and `x[i] += y` is
// Python's own `x[i] = x[i] + y`, `1.0 / t` is
// `t.reciprocal()`, `1.0 - t` is `t.rsub(1.0)`), no `with` (`torch.no_grad(() => …)`), no keyword
// arguments (a trailing options object), one number type (integer lists become int64 tensors
// through `dtype: torch.long`, as the facade documents), no builtin `range`/`zip` (local helpers), no `__call__`
// (the plain classes expose `call`).
const F = torch.nn.functional
type Tensor = torch.Tensor

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i)
const zip = <A, B>(a: readonly A[], b: readonly B[]): [A, B][] =>
  range(Math.min(a.length, b.length)).map((i) => [a[i] as A, b[i] as B])
const words: string[] = fixture.words
const chars = [...new Set(words.join(''))].sort()
const stoi: Record<string, number> = Object.fromEntries(chars.map((s, i) => [s, i + 1]))
stoi['.'] = 0
const itos: Record<number, string> = Object.fromEntries(Object.entries(stoi).map(([s, i]) => [i, s]))
const ps = (t: Tensor): number[] => {
  const w = t.detach().double().reshape(-1)
  return [w.sum().item() as number, w.abs().sum().item() as number, ...(w.index(':4').tolist() as number[])]
}
const stoiOf = (ch: string): number => stoi[ch] as number

const block_size0 = 3
const build_dataset = (ws: string[], block_size = block_size0): [Tensor, Tensor] => {
  const X: number[][] = []
  const Y: number[] = []
  for (const w of ws) {
    let context = Array<number>(block_size).fill(0)
    for (const ch of w + '.') {
      const ix = stoiOf(ch)
      X.push(context)
      Y.push(ix)
      context = [...context.slice(1), ix]
    }
  }
  return [torch.tensor(X, { dtype: torch.long }), torch.tensor(Y, { dtype: torch.long })]
}
const n1 = Math.floor(0.8 * words.length)
const n2 = Math.floor(0.9 * words.length)

describe('makemore lectures (Zero to Hero)', () => {
  it('part 1: bigram counts, smoothing, multinomial sampling and the nll', () => {
    const N = torch.zeros([27, 27], { dtype: torch.int32 })
    for (const w of words) {
      const chs = ['.', ...w, '.']
      for (const [ch1, ch2] of zip(chs, chs.slice(1))) {
        const ix1 = stoiOf(ch1)
        const ix2 = stoiOf(ch2)
        N.set(ix1, ix2, N.index(ix1, ix2).add(1))
      }
    }
    let g = torch.Generator().manual_seed(2147483647)
    let p = torch.rand(3, { generator: g })
    p = p.div(p.sum())
    const first = torch.multinomial(p, { num_samples: 100, replacement: true, generator: g })
    const P = N.add(1).float()
    P.div_(P.sum(1, { keepdims: true }))
    g = torch.Generator().manual_seed(2147483647)
    const samples: string[] = []
    for (const _ of range(5)) {
      const out: string[] = []
      let ix = 0
      for (;;) {
        const p = P.index(ix)
        ix = torch.multinomial(p, { num_samples: 1, replacement: true, generator: g }).item() as number
        out.push(itos[ix] as string)
        if (ix === 0) break
      }
      samples.push(out.join(''))
    }
    let log_likelihood: Tensor | number = 0.0
    let n = 0
    for (const w of words) {
      const chs = ['.', ...w, '.']
      for (const [ch1, ch2] of zip(chs, chs.slice(1))) {
        const prob = P.index(stoiOf(ch1), stoiOf(ch2))
        const logprob = torch.log(prob)
        log_likelihood = logprob.add(log_likelihood)
        n += 1
      }
    }
    const nll = (log_likelihood as Tensor).neg()
    const f = fixture.bigram
    expect(N.tolist()).toEqual(f.N)
    expect(first.tolist()).toEqual(f.first)
    expect(samples).toEqual(f.samples)
    expect(n).toBe(f.n)
    expectClose([nll.item(), nll.div(n).item()], [f.nll, f.avg_nll], 1e-6, 0)
  })

  it('part 1: the one-hot neural bigram trained with W.data += -50 * W.grad', () => {
    const xs0: number[] = []
    const ys0: number[] = []
    for (const w of words) {
      const chs = ['.', ...w, '.']
      for (const [ch1, ch2] of zip(chs, chs.slice(1))) {
        xs0.push(stoiOf(ch1))
        ys0.push(stoiOf(ch2))
      }
    }
    const xs = torch.tensor(xs0, { dtype: torch.long })
    const ys = torch.tensor(ys0, { dtype: torch.long })
    const num = xs.nelement()
    let g = torch.Generator().manual_seed(2147483647)
    const W = torch.randn([27, 27], { generator: g, requires_grad: true })
    const losses: number[] = []
    for (const _ of range(20)) {
      const xenc = F.one_hot(xs, { num_classes: 27 }).float()
      const logits = xenc.matmul(W)
      const counts = logits.exp()
      const probs = counts.div(counts.sum(1, { keepdims: true }))
      const loss = probs.index(torch.arange(num), ys).log().mean().neg().add(W.pow(2).mean().mul(0.01))
      losses.push(loss.item() as number)
      W.grad = null
      loss.backward()
      W.data.add_(W.grad!.mul(-50))
    }
    g = torch.Generator().manual_seed(2147483647)
    const samples: string[] = []
    for (const _ of range(5)) {
      const out: string[] = []
      let ix = 0
      for (;;) {
        const xenc = F.one_hot(torch.tensor([ix], { dtype: torch.long }), { num_classes: 27 }).float()
        const logits = xenc.matmul(W)
        const counts = logits.exp()
        const p = counts.div(counts.sum(1, { keepdims: true }))
        ix = torch.multinomial(p, { num_samples: 1, replacement: true, generator: g }).item() as number
        out.push(itos[ix] as string)
        if (ix === 0) break
      }
      samples.push(out.join(''))
    }
    expectClose(losses, fixture.neural.losses, 1e-5, 1e-6)
    expectClose(ps(W), fixture.neural.W, 1e-5, 1e-5)
    expect(samples).toEqual(fixture.neural.samples)
  })

  it('part 2: the MLP on C[X] with p.grad = None and p.data += -lr * p.grad', () => {
    const [Xtr, Ytr] = build_dataset(words.slice(0, n1))
    const [Xdev, Ydev] = build_dataset(words.slice(n1, n2))
    let g = torch.Generator().manual_seed(2147483647)
    const C = torch.randn([27, 10], { generator: g })
    const W1 = torch.randn([30, 64], { generator: g })
    const b1 = torch.randn(64, { generator: g })
    const W2 = torch.randn([64, 27], { generator: g })
    const b2 = torch.randn(27, { generator: g })
    const parameters = [C, W1, b1, W2, b2]
    const nparams = parameters.reduce((s, p) => s + p.nelement(), 0)
    for (const p of parameters) p.requires_grad = true
    const lossi: number[] = []
    for (const i of range(30)) {
      const ix = torch.randint(0, Xtr.shape[0] as number, [32], { generator: g })
      const emb = C.index(Xtr.index(ix))
      const h = torch.tanh(emb.view(-1, 30).matmul(W1).add(b1))
      const logits = h.matmul(W2).add(b2)
      const loss = F.cross_entropy(logits, Ytr.index(ix))
      for (const p of parameters) p.grad = null
      loss.backward()
      const lr = i < 20 ? 0.1 : 0.01
      for (const p of parameters) p.data.add_(p.grad!.mul(-lr))
      lossi.push(loss.log10().item() as number)
    }
    const emb = C.index(Xdev)
    const h = torch.tanh(emb.view(-1, 30).matmul(W1).add(b1))
    const logits = h.matmul(W2).add(b2)
    const dev_loss = F.cross_entropy(logits, Ydev)
    g = torch.Generator().manual_seed(2147483647 + 10)
    const samples: string[] = []
    for (const _ of range(5)) {
      const out: number[] = []
      let context = [0, 0, 0]
      for (;;) {
        const emb = C.index(torch.tensor([context], { dtype: torch.long }))
        const h = torch.tanh(emb.view(1, -1).matmul(W1).add(b1))
        const logits = h.matmul(W2).add(b2)
        const probs = F.softmax(logits, { dim: 1 })
        const ix = torch.multinomial(probs, { num_samples: 1, generator: g }).item() as number
        context = [...context.slice(1), ix]
        out.push(ix)
        if (ix === 0) break
      }
      samples.push(out.map((i) => itos[i]).join(''))
    }
    const f = fixture.mlp
    expect(nparams).toBe(f.nparams)
    expectClose(lossi, f.lossi, 1e-5, 1e-6)
    expectClose(dev_loss.item(), f.dev, 1e-5, 1e-6)
    expectClose(parameters.map(ps), f.params, 1e-4, 1e-4)
    expect(samples).toEqual(f.samples)
  })

  it('part 3: batch norm with bnmean_running under no_grad, split_loss, kaiming_normal_', () => {
    const [Xtr, Ytr] = build_dataset(words.slice(0, n1))
    const [Xdev, Ydev] = build_dataset(words.slice(n1, n2))
    const [Xte, Yte] = build_dataset(words.slice(n2))
    const [n_embd, n_hidden, vocab_size, block_size] = [10, 64, 27, 3]
    const g = torch.Generator().manual_seed(2147483647)
    const C = torch.randn([vocab_size, n_embd], { generator: g })
    const W1 = torch
      .randn([n_embd * block_size, n_hidden], { generator: g })
      .mul(5 / 3)
      .div((n_embd * block_size) ** 0.5)
    const W2 = torch.randn([n_hidden, vocab_size], { generator: g }).mul(0.01)
    const b2 = torch.randn(vocab_size, { generator: g }).mul(0)
    const bngain = torch.ones([1, n_hidden])
    const bnbias = torch.zeros([1, n_hidden])
    let bnmean_running = torch.zeros([1, n_hidden])
    let bnstd_running = torch.ones([1, n_hidden])
    const parameters = [C, W1, W2, b2, bngain, bnbias]
    for (const p of parameters) p.requires_grad = true
    const lossi: number[] = []
    for (const _ of range(30)) {
      const ix = torch.randint(0, Xtr.shape[0] as number, [32], { generator: g })
      const [Xb, Yb] = [Xtr.index(ix), Ytr.index(ix)]
      const emb = C.index(Xb)
      const embcat = emb.view(emb.shape[0] as number, -1)
      let hpreact = embcat.matmul(W1)
      const bnmeani = hpreact.mean(0, { keepdim: true })
      const bnstdi = hpreact.std(0, { keepdim: true })
      hpreact = bngain.mul(hpreact.sub(bnmeani)).div(bnstdi).add(bnbias)
      torch.no_grad(() => {
        bnmean_running = bnmean_running.mul(0.999).add(bnmeani.mul(0.001))
        bnstd_running = bnstd_running.mul(0.999).add(bnstdi.mul(0.001))
      })
      const h = torch.tanh(hpreact)
      const logits = h.matmul(W2).add(b2)
      const loss = F.cross_entropy(logits, Yb)
      for (const p of parameters) p.grad = null
      loss.backward()
      const lr = 0.1
      for (const p of parameters) p.data.add_(p.grad!.mul(-lr))
      lossi.push(loss.log10().item() as number)
    }
    const [bnmean, bnstd] = torch.no_grad(() => {
      const emb = C.index(Xtr)
      const embcat = emb.view(emb.shape[0] as number, -1)
      const hpreact = embcat.matmul(W1)
      return [hpreact.mean(0, { keepdim: true }), hpreact.std(0, { keepdim: true })]
    })
    const split_loss = torch.no_grad()((split: 'train' | 'val' | 'test'): number => {
      const [x, y] = { train: [Xtr, Ytr], val: [Xdev, Ydev], test: [Xte, Yte] }[split]
      const emb = C.index(x!)
      const embcat = emb.view(emb.shape[0] as number, -1)
      let hpreact = embcat.matmul(W1)
      hpreact = bngain.mul(hpreact.sub(bnmean_running)).div(bnstd_running).add(bnbias)
      const h = torch.tanh(hpreact)
      const logits = h.matmul(W2).add(b2)
      const loss = F.cross_entropy(logits, y!)
      return loss.item() as number
    })
    torch.manual_seed(42)
    const kw = torch.empty(30, 64)
    torch.nn.init.kaiming_normal_(kw, { mode: 'fan_in', nonlinearity: 'tanh' })
    const kw2 = torch.empty(64, 30)
    torch.nn.init.kaiming_normal_(kw2)
    const f = fixture.batchnorm
    expectClose(lossi, f.lossi, 1e-5, 1e-6)
    expectClose([split_loss('train'), split_loss('val')], [f.train, f.val], 1e-5, 1e-6)
    expectClose(
      [bnmean_running, bnstd_running, bnmean, bnstd].map(ps),
      [f.bnmean_running, f.bnstd_running, f.bnmean, f.bnstd],
      1e-4,
      1e-5,
    )
    expect(bnmean_running.requires_grad).toBe(false)
    expectClose([ps(kw), ps(kw2)], f.kaiming, 1e-6, 1e-6)
  })

  it('part 4: becoming a backprop ninja (manual backward against autograd)', () => {
    const [Xtr, Ytr] = build_dataset(words.slice(0, n1))
    const [n_embd, n_hidden, vocab_size, block_size] = [10, 64, 27, 3]
    const g = torch.Generator().manual_seed(2147483647)
    const C = torch.randn([vocab_size, n_embd], { generator: g })
    const W1 = torch
      .randn([n_embd * block_size, n_hidden], { generator: g })
      .mul(5 / 3)
      .div((n_embd * block_size) ** 0.5)
    const b1 = torch.randn(n_hidden, { generator: g }).mul(0.1)
    const W2 = torch.randn([n_hidden, vocab_size], { generator: g }).mul(0.1)
    const b2 = torch.randn(vocab_size, { generator: g }).mul(0.1)
    const bngain = torch.randn([1, n_hidden]).mul(0.1).add(1.0)
    const bnbias = torch.randn([1, n_hidden]).mul(0.1)
    const parameters = [C, W1, b1, W2, b2, bngain, bnbias]
    for (const p of parameters) p.requires_grad = true
    const batch_size = 32
    const n = batch_size
    const ix = torch.randint(0, Xtr.shape[0] as number, [batch_size], { generator: g })
    const [Xb, Yb] = [Xtr.index(ix), Ytr.index(ix)]
    // forward pass, chunked into smaller steps that are possible to backward one at a time
    const emb = C.index(Xb)
    const embcat = emb.view(emb.shape[0] as number, -1)
    const hprebn = embcat.matmul(W1).add(b1)
    const bnmeani = hprebn.sum(0, { keepdim: true }).mul(1 / n)
    const bndiff = hprebn.sub(bnmeani)
    const bndiff2 = bndiff.pow(2)
    const bnvar = bndiff2.sum(0, { keepdim: true }).mul(1 / (n - 1))
    const bnvar_inv = bnvar.add(1e-5).pow(-0.5)
    const bnraw = bndiff.mul(bnvar_inv)
    const hpreact = bngain.mul(bnraw).add(bnbias)
    const h = torch.tanh(hpreact)
    const logits = h.matmul(W2).add(b2)
    const logit_maxes = logits.max(1, { keepdim: true }).values
    const norm_logits = logits.sub(logit_maxes)
    const counts = norm_logits.exp()
    const counts_sum = counts.sum(1, { keepdims: true })
    const counts_sum_inv = counts_sum.pow(-1)
    const probs = counts.mul(counts_sum_inv)
    const logprobs = probs.log()
    const loss = logprobs.index(range(n), Yb).mean().neg()
    for (const p of parameters) p.grad = null
    for (const t of [
      logprobs,
      probs,
      counts,
      counts_sum,
      counts_sum_inv,
      norm_logits,
      logit_maxes,
      logits,
      h,
      hpreact,
      bnraw,
      bnvar_inv,
      bnvar,
      bndiff2,
      bndiff,
      hprebn,
      bnmeani,
      embcat,
      emb,
    ])
      t.retain_grad()
    loss.backward()

    const cmps: Record<string, [boolean, boolean, number]> = {}
    const cmp = (s: string, dt: Tensor, t: Tensor): void => {
      const ex = torch.all(dt.eq(t.grad!)).item() as boolean
      const app = torch.allclose(dt, t.grad!)
      const maxdiff = dt.sub(t.grad!).abs().max().item() as number
      cmps[s] = [ex, app, maxdiff]
    }
    const dlogprobs = torch.zeros_like(logprobs)
    dlogprobs.set(range(n), Yb, -1.0 / n)
    const dprobs = probs.reciprocal().mul(dlogprobs)
    const dcounts_sum_inv = counts.mul(dprobs).sum(1, { keepdim: true })
    const dcounts = counts_sum_inv.mul(dprobs)
    const dcounts_sum = counts_sum.pow(-2).neg().mul(dcounts_sum_inv)
    dcounts.add_(torch.ones_like(counts).mul(dcounts_sum))
    const dnorm_logits = counts.mul(dcounts)
    let dlogits = dnorm_logits.clone()
    const dlogit_maxes = dnorm_logits.neg().sum(1, { keepdim: true })
    dlogits.add_(F.one_hot(logits.max(1).indices, { num_classes: logits.shape[1] as number }).mul(dlogit_maxes))
    const dh = dlogits.matmul(W2.T)
    const dW2 = h.T.matmul(dlogits)
    const db2 = dlogits.sum(0)
    const dhpreact = h.pow(2).rsub(1.0).mul(dh)
    const dbngain = bnraw.mul(dhpreact).sum(0, { keepdim: true })
    const dbnraw = bngain.mul(dhpreact)
    const dbnbias = dhpreact.sum(0, { keepdim: true })
    const dbndiff = bnvar_inv.mul(dbnraw)
    const dbnvar_inv = bndiff.mul(dbnraw).sum(0, { keepdim: true })
    const dbnvar = bnvar.add(1e-5).pow(-1.5).mul(-0.5).mul(dbnvar_inv)
    const dbndiff2 = torch
      .ones_like(bndiff2)
      .mul(1.0 / (n - 1))
      .mul(dbnvar)
    dbndiff.add_(bndiff.mul(2).mul(dbndiff2))
    let dhprebn = dbndiff.clone()
    const dbnmeani = dbndiff.neg().sum(0)
    dhprebn.add_(
      torch
        .ones_like(hprebn)
        .mul(dbnmeani)
        .mul(1.0 / n),
    )
    const dembcat = dhprebn.matmul(W1.T)
    const dW1 = embcat.T.matmul(dhprebn)
    const db1 = dhprebn.sum(0)
    const demb = dembcat.view(emb.shape)
    const dC = torch.zeros_like(C)
    for (const k of range(Xb.shape[0] as number)) {
      for (const j of range(Xb.shape[1] as number)) {
        const ix = Xb.index(k, j)
        dC.set(ix, dC.index(ix).add(demb.index(k, j)))
      }
    }
    const pairs: [string, Tensor, Tensor][] = [
      ['logprobs', dlogprobs, logprobs],
      ['probs', dprobs, probs],
      ['counts_sum_inv', dcounts_sum_inv, counts_sum_inv],
      ['counts_sum', dcounts_sum, counts_sum],
      ['counts', dcounts, counts],
      ['norm_logits', dnorm_logits, norm_logits],
      ['logit_maxes', dlogit_maxes, logit_maxes],
      ['logits', dlogits, logits],
      ['h', dh, h],
      ['W2', dW2, W2],
      ['b2', db2, b2],
      ['hpreact', dhpreact, hpreact],
      ['bngain', dbngain, bngain],
      ['bnbias', dbnbias, bnbias],
      ['bnraw', dbnraw, bnraw],
      ['bnvar_inv', dbnvar_inv, bnvar_inv],
      ['bnvar', dbnvar, bnvar],
      ['bndiff2', dbndiff2, bndiff2],
      ['bndiff', dbndiff, bndiff],
      ['bnmeani', dbnmeani, bnmeani],
      ['hprebn', dhprebn, hprebn],
      ['embcat', dembcat, embcat],
      ['W1', dW1, W1],
      ['b1', db1, b1],
      ['emb', demb, emb],
      ['C', dC, C],
    ]
    for (const [name, dt, t] of pairs) cmp(name, dt, t)
    // exercise 2: cross entropy's backward in one line
    const loss_fast = F.cross_entropy(logits, Yb)
    const fast_diff = loss_fast.sub(loss).item() as number
    dlogits = F.softmax(logits, 1)
    dlogits.set(range(n), Yb, dlogits.index(range(n), Yb).sub(1))
    dlogits.div_(n)
    cmp('logits_fast', dlogits, logits)
    // exercise 3: batch norm's backward in one line
    const hpreact_fast = bngain
      .mul(hprebn.sub(hprebn.mean(0, { keepdim: true })))
      .div(torch.sqrt(hprebn.var(0, { keepdim: true, unbiased: true }).add(1e-5)))
      .add(bnbias)
    const hp_diff = hpreact_fast.sub(hpreact).abs().max().item() as number
    dhprebn = bngain
      .mul(bnvar_inv)
      .div(n)
      .mul(
        dhpreact
          .mul(n)
          .sub(dhpreact.sum(0))
          .sub(bnraw.mul(n / (n - 1)).mul(dhpreact.mul(bnraw).sum(0))),
      )
    cmp('hprebn_fast', dhprebn, hprebn)

    const f = fixture.ninja
    expectClose(loss.item(), f.loss, 1e-6, 0)
    expectClose([fast_diff, hp_diff], [f.fast_diff, f.hp_diff], 0, 1e-6)
    expectClose(
      { W1: ps(W1.grad!), C: ps(C.grad!), bngain: ps(bngain.grad!), logits: ps(logits.grad!) },
      f.grads,
      1e-4,
      1e-6,
    )
    // every manual gradient is allclose to autograd's, within float32 rounding of PyTorch's
    expect(Object.keys(cmps)).toEqual(Object.keys(f.cmp))
    for (const [name, [, app, maxdiff]] of Object.entries(cmps)) {
      expect(app, name).toBe(true)
      expect(maxdiff, name).toBeLessThan(1e-7)
    }
    // the ones PyTorch gets bit-exact (the softmax/cross-entropy end of the graph) are exact here too
    for (const [name, [ex]] of Object.entries(f.cmp) as [string, [boolean, boolean, number]][])
      if (ex) expect(cmps[name]![0], name).toBe(true)
  })

  it('part 5: the WaveNet of plain Linear/BatchNorm1d/Tanh/Embedding/FlattenConsecutive/Sequential', () => {
    interface Layer {
      out?: Tensor
      training?: boolean
      call(x: Tensor): Tensor
      parameters(): Tensor[]
    }
    class Linear implements Layer {
      weight: Tensor
      bias: Tensor | null
      out?: Tensor
      constructor(fan_in: number, fan_out: number, bias = true) {
        this.weight = torch.randn([fan_in, fan_out]).div(fan_in ** 0.5)
        this.bias = bias ? torch.zeros(fan_out) : null
      }
      call(x: Tensor): Tensor {
        this.out = x.matmul(this.weight)
        if (this.bias !== null) this.out.add_(this.bias)
        return this.out
      }
      parameters(): Tensor[] {
        return [this.weight, ...(this.bias === null ? [] : [this.bias])]
      }
    }
    class BatchNorm1d implements Layer {
      eps: number
      momentum: number
      training = true
      gamma: Tensor
      beta: Tensor
      running_mean: Tensor
      running_var: Tensor
      out?: Tensor
      constructor(dim: number, eps = 1e-5, momentum = 0.1) {
        this.eps = eps
        this.momentum = momentum
        this.gamma = torch.ones(dim)
        this.beta = torch.zeros(dim)
        this.running_mean = torch.zeros(dim)
        this.running_var = torch.ones(dim)
      }
      call(x: Tensor): Tensor {
        let xmean: Tensor
        let xvar: Tensor
        if (this.training) {
          let dim: number | number[] = 0
          if (x.ndim === 2) dim = 0
          else if (x.ndim === 3) dim = [0, 1]
          xmean = x.mean(dim, { keepdim: true })
          xvar = x.var(dim, { keepdim: true })
        } else {
          xmean = this.running_mean
          xvar = this.running_var
        }
        const xhat = x.sub(xmean).div(torch.sqrt(xvar.add(this.eps)))
        this.out = this.gamma.mul(xhat).add(this.beta)
        if (this.training) {
          torch.no_grad(() => {
            this.running_mean = this.running_mean.mul(1 - this.momentum).add(xmean.mul(this.momentum))
            this.running_var = this.running_var.mul(1 - this.momentum).add(xvar.mul(this.momentum))
          })
        }
        return this.out
      }
      parameters(): Tensor[] {
        return [this.gamma, this.beta]
      }
    }
    class Tanh implements Layer {
      out?: Tensor
      call(x: Tensor): Tensor {
        this.out = torch.tanh(x)
        return this.out
      }
      parameters(): Tensor[] {
        return []
      }
    }
    class Embedding implements Layer {
      weight: Tensor
      out?: Tensor
      constructor(num_embeddings: number, embedding_dim: number) {
        this.weight = torch.randn([num_embeddings, embedding_dim])
      }
      call(IX: Tensor): Tensor {
        this.out = this.weight.index(IX)
        return this.out
      }
      parameters(): Tensor[] {
        return [this.weight]
      }
    }
    class FlattenConsecutive implements Layer {
      n: number
      out?: Tensor
      constructor(n: number) {
        this.n = n
      }
      call(x: Tensor): Tensor {
        const [B, T, C] = x.shape as unknown as [number, number, number]
        x = x.view(B, Math.floor(T / this.n), C * this.n)
        if (x.shape[1] === 1) x = x.squeeze(1)
        this.out = x
        return this.out
      }
      parameters(): Tensor[] {
        return []
      }
    }
    class Sequential implements Layer {
      layers: Layer[]
      out?: Tensor
      constructor(layers: Layer[]) {
        this.layers = layers
      }
      call(x: Tensor): Tensor {
        for (const layer of this.layers) x = layer.call(x)
        this.out = x
        return this.out
      }
      parameters(): Tensor[] {
        return this.layers.flatMap((layer) => layer.parameters())
      }
    }

    const block_size = 8
    const [Xtr, Ytr] = build_dataset(words.slice(0, n1), block_size)
    const [Xdev, Ydev] = build_dataset(words.slice(n1, n2), block_size)
    torch.manual_seed(42)
    const [n_embd, n_hidden, vocab_size] = [8, 32, 27]
    const model = new Sequential([
      new Embedding(vocab_size, n_embd),
      new FlattenConsecutive(2),
      new Linear(n_embd * 2, n_hidden, false),
      new BatchNorm1d(n_hidden),
      new Tanh(),
      new FlattenConsecutive(2),
      new Linear(n_hidden * 2, n_hidden, false),
      new BatchNorm1d(n_hidden),
      new Tanh(),
      new FlattenConsecutive(2),
      new Linear(n_hidden * 2, n_hidden, false),
      new BatchNorm1d(n_hidden),
      new Tanh(),
      new Linear(n_hidden, vocab_size),
    ])
    torch.no_grad(() => {
      ;(model.layers[model.layers.length - 1] as Linear).weight.mul_(0.1)
    })
    const parameters = model.parameters()
    const nparams = parameters.reduce((s, p) => s + p.nelement(), 0)
    for (const p of parameters) p.requires_grad = true
    const lossi: number[] = []
    let shapes: number[][] = []
    for (const i of range(20)) {
      const ix = torch.randint(0, Xtr.shape[0] as number, [32])
      const [Xb, Yb] = [Xtr.index(ix), Ytr.index(ix)]
      const logits = model.call(Xb)
      const loss = F.cross_entropy(logits, Yb)
      for (const p of parameters) p.grad = null
      loss.backward()
      const lr = i < 15 ? 0.1 : 0.01
      for (const p of parameters) p.data.add_(p.grad!.mul(-lr))
      lossi.push(loss.log10().item() as number)
      if (i === 0) shapes = model.layers.map((layer) => [...layer.out!.shape])
    }
    const lossi_mean = torch.tensor(lossi).view(-1, 5).mean(1)
    for (const layer of model.layers) layer.training = false
    const wn_split_loss = torch.no_grad()((x: Tensor, y: Tensor): number => {
      const logits = model.call(x)
      const loss = F.cross_entropy(logits, y)
      return loss.item() as number
    })
    const samples: string[] = []
    for (const _ of range(3)) {
      const out: number[] = []
      let context = Array<number>(block_size).fill(0)
      for (;;) {
        const logits = model.call(torch.tensor([context], { dtype: torch.long }))
        const probs = F.softmax(logits, { dim: 1 })
        const ix = torch.multinomial(probs, { num_samples: 1 }).item() as number
        context = [...context.slice(1), ix]
        out.push(ix)
        if (ix === 0 || out.length > 20) break
      }
      samples.push(out.map((i) => itos[i]).join(''))
    }
    const f = fixture.wavenet
    expect(nparams).toBe(f.nparams)
    expect(shapes).toEqual(f.shapes)
    expectClose(lossi, f.lossi, 1e-5, 1e-6)
    expectClose(lossi_mean.tolist(), f.lossi_mean, 1e-5, 1e-6)
    expectClose([wn_split_loss(Xtr, Ytr), wn_split_loss(Xdev, Ydev)], [f.train, f.val], 1e-5, 1e-6)
    expectClose(ps((model.layers[3] as BatchNorm1d).running_var), f.running_var, 1e-4, 1e-5)
    expectClose(parameters.map(ps), f.params, 1e-4, 1e-4)
    expect(samples).toEqual(f.samples)
  })
})
