/**
 * Trains the nanoGPT port (model.ts) for a few AdamW steps on fixed token data, as nanoGPT's
 * train.py does (configure_optimizers, cross-entropy loss, gradient clipping at 1.0), starting
 * from the initial weights PyTorch wrote to test/fixtures/torch/nanogpt.json (made by train.py
 * beside this file), and returns the loss of every step.
 *
 * Run: npx tsx examples/nanogpt/train.ts
 */
import { readFileSync } from 'node:fs'
import * as torch from 'wengert/torch'
import { GPT, type GPTConfig } from './model'

export const config: GPTConfig = {
  block_size: 16,
  vocab_size: 64,
  n_layer: 2,
  n_head: 2,
  n_embd: 32,
  dropout: 0.0,
  bias: true,
}
export const STEPS = 6
const BATCH = 4

/** Batch `step`: token (b, i) is (7b + 3i + i² + 5·(step mod 2)) mod vocab; targets are the next tokens. */
export const batch = (step: number): [torch.Tensor, torch.Tensor] => {
  const tok = (b: number, i: number): number => (7 * b + 3 * i + i * i + 5 * (step % 2)) % config.vocab_size
  const grid = (shift: number): number[][] =>
    Array.from({ length: BATCH }, (_, b) => Array.from({ length: config.block_size }, (_, i) => tok(b, i + shift)))
  return [torch.tensor(grid(0), { dtype: torch.int64 }), torch.tensor(grid(1), { dtype: torch.int64 })]
}

interface Fixture {
  state_dict: Record<string, { shape: number[]; data: number[] }>
  losses: number[]
}

/** The fixture's initial weights and PyTorch's losses. */
export const fixture = (): Fixture =>
  JSON.parse(readFileSync(new URL('../../test/fixtures/torch/nanogpt.json', import.meta.url), 'utf8')) as Fixture

/** Builds the model with PyTorch's initial weights (float64) and trains it; returns the losses. */
export const train = (): number[] => {
  torch.manual_seed(1337)
  const model = new GPT(config).double()
  const sd = fixture().state_dict
  model.load_state_dict(
    Object.fromEntries(
      Object.entries(sd).map(([k, f]) => [k, torch.tensor(f.data, { dtype: torch.float64 }).reshape(f.shape)]),
    ),
  )
  const optimizer = model.configure_optimizers(0.1, 1e-2, [0.9, 0.95], 'cpu')
  const losses: number[] = []
  for (let step = 0; step < STEPS; step++) {
    const [X, Y] = batch(step)
    const [, loss] = model.call(X, Y)
    optimizer.zero_grad(true)
    ;(loss as torch.Tensor).backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    losses.push((loss as torch.Tensor).item() as number)
  }
  return losses
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const losses = train()
  losses.forEach((l, i) => console.log(`step ${i}: loss ${l.toFixed(6)}`))
}
