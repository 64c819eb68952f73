/**
 * A complete training script in the facade, as a PyTorch user writes it: a TensorDataset and a
 * DataLoader, an MLP, SGD with momentum and weight decay, gradient clipping, a StepLR schedule,
 * a checkpoint (model, optimizer and scheduler state) saved with torch.save, and a resume into
 * fresh objects with torch.load. Its PyTorch twin is train.py; test/examples/training.test.ts
 * checks that both produce the same loss for every batch.
 *
 * Run: npx tsx examples/training/train.ts
 */
import * as torch from 'wengert/torch'
const { nn } = torch
const { DataLoader, TensorDataset } = torch.utils.data

const N = 24
const EPOCHS = 4
const RESUME_AFTER = 2

/** Inputs x[i][j] = sin(0.7·i + 1.3·j) and targets x·w + 0.1·cos(i) (no randomness). */
const data = (): [torch.Tensor, torch.Tensor] => {
  const x = torch.tensor(
    Array.from({ length: N }, (_, i) => Array.from({ length: 4 }, (_, j) => Math.sin(i * 0.7 + j * 1.3))),
  )
  const w = torch.tensor([0.5, -1.0, 0.25, 2.0])
  const noise = torch.tensor(Array.from({ length: N }, (_, i) => 0.1 * Math.cos(i)))
  return [x, x.matmul(w).add(noise).unsqueeze(1)]
}

const grid = (rows: number, cols: number, f: (r: number, c: number) => number): number[][] =>
  Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => f(r, c)))

/** The MLP with fixed weights (`shift` gives different ones, to show the resume overwrites them). */
const makeModel = (shift = 0): torch.nn.Sequential => {
  const model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1))
  const [l1, , l2] = [...model.children()] as [torch.nn.Linear, torch.nn.Module, torch.nn.Linear]
  torch.no_grad(() => {
    l1.weight.copy_(torch.tensor(grid(8, 4, (r, c) => 0.1 * Math.cos(r * 4 + c + shift))))
    l1.bias?.copy_(torch.tensor(grid(1, 8, (_, r) => 0.05 * Math.sin(r + shift))[0]!))
    l2.weight.copy_(torch.tensor(grid(1, 8, (_, c) => 0.2 * Math.sin(c + 1 + shift))))
    l2.bias?.zero_()
  })
  return model
}

const makeTraining = (model: torch.nn.Module): [torch.optim.SGD, torch.optim.lr_scheduler.StepLR] => {
  const opt = torch.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9, weight_decay: 1e-4 })
  const sched = torch.optim.lr_scheduler.StepLR(opt, { step_size: 1, gamma: 0.5 })
  return [opt, sched]
}

const lossFn = nn.MSELoss()

/** One epoch; appends every batch's loss. */
const epoch = (
  model: torch.nn.Sequential,
  loader: Iterable<torch.Tensor[]>,
  opt: torch.optim.SGD,
  sched: torch.optim.lr_scheduler.StepLR,
  losses: number[],
): void => {
  for (const [x, y] of loader) {
    opt.zero_grad()
    const loss = lossFn.call(model.call(x!), y!)
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    losses.push(loss.item() as number)
  }
  sched.step()
}

/**
 * Trains for EPOCHS epochs, checkpointing after RESUME_AFTER and resuming from the checkpoint
 * (saved to `checkpointPath`, or kept as bytes when none is given); returns the batch losses
 * and the final learning rate.
 */
export const train = (checkpointPath?: string): { losses: number[]; last_lr: number[] } => {
  const [x, y] = data()
  const loader = DataLoader(TensorDataset(x, y), { batch_size: 5, shuffle: false })
  let model = makeModel()
  let [opt, sched] = makeTraining(model)
  const losses: number[] = []
  for (let e = 0; e < RESUME_AFTER; e++) epoch(model, loader, opt, sched, losses)
  const checkpoint = {
    model: model.state_dict(),
    optimizer: opt.state_dict(),
    scheduler: sched.state_dict(),
    epoch: RESUME_AFTER,
  }
  const bytes =
    checkpointPath === undefined ? torch.save(checkpoint) : (torch.save(checkpoint, checkpointPath), checkpointPath)
  // resume into fresh objects
  const ckpt = torch.load(bytes) as {
    model: Record<string, torch.Tensor>
    optimizer: torch.optim.OptimizerStateDict<torch.optim.SGDOptions, torch.optim.SGDState>
    scheduler: Record<string, unknown>
    epoch: number
  }
  model = makeModel(1)
  model.load_state_dict(ckpt.model)
  ;[opt, sched] = makeTraining(model)
  opt.load_state_dict(ckpt.optimizer)
  sched.load_state_dict(ckpt.scheduler)
  for (let e = ckpt.epoch; e < EPOCHS; e++) epoch(model, loader, opt, sched, losses)
  return { losses, last_lr: sched.get_last_lr() }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { losses, last_lr } = train()
  losses.forEach((l, i) => console.log(`batch ${i}: loss ${l.toFixed(6)}`))
  console.log(`final lr ${last_lr[0]}`)
}
