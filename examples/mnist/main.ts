/**
 * PyTorch's MNIST example (pytorch/examples `mnist/main.py`) ported line by line: the same `Net`
 * (conv 1→32 3×3, conv 32→64 3×3, max-pool 2, dropout 0.25, linear 9216→128, dropout 0.5,
 * linear 128→10, log-softmax), NLL loss, Adadelta (lr 1.0) and StepLR (gamma 0.7) per epoch.
 *
 * There is no network here, so instead of downloading MNIST the data are a small synthetic set
 * of 1×28×28 images (hashed pixel values, normalised with MNIST's mean and std as in the
 * original), and the weights are fixed by the same hash (scaled like PyTorch's default
 * initialisation) so that this script and its PyTorch twin main.py start from identical
 * weights without shipping a 1.2-million-number weight file. `test/examples/mnist.test.ts`
 * checks that both produce the same loss at every step (dropout is switched off there, as
 * PyTorch's and wengert's random streams differ).
 *
 * Run: npx tsx examples/mnist/main.ts
 */
import * as torch from 'wengert/torch'
const { nn } = torch
const F = nn.functional
const { DataLoader, TensorDataset } = torch.utils.data

/** The network of pytorch/examples mnist/main.py. */
export class Net extends nn.Module {
  conv1 = nn.Conv2d(1, 32, 3, 1)
  conv2 = nn.Conv2d(32, 64, 3, 1)
  dropout1 = nn.Dropout(0.25)
  dropout2 = nn.Dropout(0.5)
  fc1 = nn.Linear(9216, 128)
  fc2 = nn.Linear(128, 10)

  forward(x: torch.Tensor): torch.Tensor {
    x = this.conv1.call(x)
    x = F.relu(x)
    x = this.conv2.call(x)
    x = F.relu(x)
    x = F.max_pool2d(x, 2)
    x = this.dropout1.call(x)
    x = torch.flatten(x, 1)
    x = this.fc1.call(x)
    x = F.relu(x)
    x = this.dropout2.call(x)
    x = this.fc2.call(x)
    return F.log_softmax(x, 1)
  }
}

/** A hash of (stream, index) to [0, 1): the same 32-bit integer arithmetic as main.py. */
export const hashUniform = (stream: number, i: number): number => {
  let h = (i * 2654435761 + stream * 40503 + 12345) % 4294967296
  h = (h ^ (h >>> 16)) >>> 0
  h = Math.imul(h, 0x45d9f3b) >>> 0
  h = (h ^ (h >>> 16)) >>> 0
  return h / 4294967296
}

/** Sets every parameter to U(−1/√fan_in, 1/√fan_in)-shaped hashed values (PyTorch's default scale). */
export const fixWeights = (model: torch.nn.Module): void => {
  torch.no_grad(() => {
    const params = new Map(model.named_parameters())
    ;[...params].forEach(([name, p], stream) => {
      const w = name.endsWith('bias') ? (params.get(name.replace(/bias$/, 'weight')) as torch.Tensor) : p
      const fanIn = w.shape.slice(1).reduce((a, b) => a * b, 1)
      const bound = 1 / Math.sqrt(fanIn)
      const values = Array.from({ length: p.numel() }, (_, i) => (2 * hashUniform(stream + 1, i) - 1) * bound)
      p.copy_(torch.tensor(values).reshape(p.shape))
    })
  })
}

/** `n` synthetic 1×28×28 images normalised as MNIST's transform does, with labels i mod 10. */
export const syntheticMnist = (n: number): [torch.Tensor, torch.Tensor] => {
  const pixels = Array.from({ length: n * 784 }, (_, i) => hashUniform(100, i))
  const x = torch.tensor(pixels).reshape(n, 1, 28, 28).sub(0.1307).div(0.3081)
  const y = torch.tensor(
    Array.from({ length: n }, (_, i) => i % 10),
    { dtype: torch.int64 },
  )
  return [x, y]
}

/** One epoch of main.py's `train`; returns each batch's loss. */
export const train = (
  model: Net,
  loader: Iterable<torch.Tensor[]>,
  optimizer: torch.optim.Adadelta,
  epoch: number,
  { noDropout = false, log = false }: { readonly noDropout?: boolean; readonly log?: boolean } = {},
): number[] => {
  model.train()
  if (noDropout) {
    model.dropout1.eval()
    model.dropout2.eval()
  }
  const losses: number[] = []
  let batchIdx = 0
  for (const [data, target] of loader) {
    optimizer.zero_grad()
    const output = model.call(data!)
    const loss = F.nll_loss(output, target!)
    loss.backward()
    optimizer.step()
    losses.push(loss.item() as number)
    if (log) console.log(`Train Epoch: ${epoch} [batch ${batchIdx}]\tLoss: ${(loss.item() as number).toFixed(6)}`)
    batchIdx++
  }
  return losses
}

/** main.py's `test`: summed NLL and accuracy over a data set, without gradients. */
export const test = (model: Net, x: torch.Tensor, y: torch.Tensor): { loss: number; correct: number } => {
  model.eval()
  return torch.no_grad(() => {
    const output = model.call(x)
    const loss = F.nll_loss(output, y, { reduction: 'sum' }).item() as number
    const pred = output.argmax(1, { keepdim: true })
    const correct = pred.eq(y.view_as(pred)).sum().item() as number
    return { loss: loss / (y.shape[0] as number), correct }
  })
}

/** Options of a run (PyTorch's `--batch-size`, `--epochs`, `--lr`, `--gamma`). */
export interface RunOptions {
  readonly n?: number
  readonly batchSize?: number
  readonly epochs?: number
  readonly lr?: number
  readonly gamma?: number
  /** Switch the dropout layers off (to compare with PyTorch step by step). */
  readonly noDropout?: boolean
  readonly log?: boolean
}

/** main.py's `main` on the synthetic set: the loss of every training step. */
export const run = (opts: RunOptions = {}): { losses: number[]; lr: number } => {
  const { n = 8, batchSize = 4, epochs = 2, lr = 1.0, gamma = 0.7, noDropout = false, log = false } = opts
  const [x, y] = syntheticMnist(n)
  const loader = DataLoader(TensorDataset(x, y), { batch_size: batchSize, shuffle: false })
  const model = new Net()
  fixWeights(model)
  const optimizer = torch.optim.Adadelta(model.parameters(), { lr })
  const scheduler = torch.optim.lr_scheduler.StepLR(optimizer, { step_size: 1, gamma })
  const losses: number[] = []
  for (let epoch = 1; epoch <= epochs; epoch++) {
    losses.push(...train(model, loader, optimizer, epoch, { noDropout, log }))
    if (log) {
      const r = test(model, x, y)
      console.log(`Test set: Average loss: ${r.loss.toFixed(4)}, Accuracy: ${r.correct}/${n}`)
    }
    scheduler.step()
  }
  return { losses, lr: scheduler.get_last_lr()[0] as number }
}

if (import.meta.url === `file://${process.argv[1]}`) run({ log: true })
