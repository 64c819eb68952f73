import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/checkpoint.json'
import { expectClose, summary } from './portHelpers'

// The PyTorch recipe "Saving and loading a general checkpoint in PyTorch" ported line by line
// (twin: test/torch/fixtures/ports/checkpoint.py): two SGD-momentum steps, torch.save of the
// epoch/model_state_dict/optimizer_state_dict/loss dict, torch.load, load_state_dict into a fresh Net
// and optimizer, two more steps. Resumed once from the file PyTorch wrote (checkpoint.pt) and once
// from the port's own torch.save: both must continue as PyTorch did.
const { nn } = torch
const F = nn.functional
const optim = torch.optim
type T = torch.Tensor

class Net extends nn.Module {
  conv1 = nn.Conv2d(3, 6, 5)
  pool = nn.MaxPool2d(2, 2)
  conv2 = nn.Conv2d(6, 16, 5)
  fc1 = nn.Linear(16 * 5 * 5, 120)
  fc2 = nn.Linear(120, 84)
  fc3 = nn.Linear(84, 10)

  forward(x: T): T {
    x = this.pool.call(F.relu(this.conv1.call(x))) as T
    x = this.pool.call(F.relu(this.conv2.call(x))) as T
    x = x.view(-1, 16 * 5 * 5)
    x = F.relu(this.fc1.call(x))
    x = F.relu(this.fc2.call(x))
    x = this.fc3.call(x)
    return x
  }
}

type Checkpoint = {
  epoch: number
  model_state_dict: Record<string, T>
  optimizer_state_dict: Parameters<ReturnType<typeof optim.SGD>['load_state_dict']>[0]
  loss: number
}

describe('the PyTorch general-checkpoint recipe', () => {
  it('saves, loads and resumes training as PyTorch does', () => {
    torch.manual_seed(0)
    const net = new Net()
    let optimizer = optim.SGD(net.parameters(), { lr: 0.001, momentum: 0.9 })
    const criterion = nn.CrossEntropyLoss()
    const inputs = torch.randn(4, 4, 3, 32, 32)
    const labels = torch.randint(0, 10, [4, 4])
    const train_step = (model: Net, opt: typeof optimizer, i: number): number => {
      opt.zero_grad()
      const loss = criterion.call(model.call(inputs.index(i)), labels.index(i))
      loss.backward()
      opt.step()
      return loss.item() as number
    }
    expectClose(inputs.double().sum().item(), fixture.inputs_sum, 1e-9, 1e-9)
    expect(labels.tolist()).toEqual(fixture.labels)
    const before = [0, 1].map((i) => train_step(net, optimizer, i))
    expectClose(before, fixture.before, 1e-5, 1e-6)
    expectClose(summary(net), fixture.saved, 1e-4, 1e-5)

    // Additional information
    const EPOCH = 5
    const dir = mkdtempSync(join(tmpdir(), 'wengert-checkpoint-'))
    const PATH = join(dir, 'model.pt')
    const LOSS = 0.4
    try {
      torch.save(
        {
          epoch: EPOCH,
          model_state_dict: net.state_dict(),
          optimizer_state_dict: optimizer.state_dict(),
          loss: LOSS,
        },
        PATH,
      )
      const pytorchFile = fileURLToPath(new URL('../fixtures/ports/checkpoint.pt', import.meta.url))
      for (const path of [pytorchFile, PATH]) {
        const model = new Net()
        optimizer = optim.SGD(model.parameters(), { lr: 0.001, momentum: 0.9 })

        const checkpoint = torch.load(path) as Checkpoint
        model.load_state_dict(checkpoint.model_state_dict)
        optimizer.load_state_dict(checkpoint.optimizer_state_dict)
        const epoch = checkpoint.epoch
        const loss = checkpoint.loss
        expect([epoch, loss]).toEqual([fixture.epoch, fixture.loss])
        expect(Object.keys(checkpoint.optimizer_state_dict)).toEqual(fixture.optimizer_keys)
        // PyTorch 2.x's SGD groups carry `fused: null` besides 1.13's keys (the port follows 2.x)
        const groups = path === PATH ? fixture.param_groups.map((g) => ({ ...g, fused: null })) : fixture.param_groups
        expect(checkpoint.optimizer_state_dict.param_groups).toEqual(groups)

        model.train()
        const after = [2, 3].map((i) => train_step(model, optimizer, i))
        expectClose(after, fixture.after, 1e-5, 1e-6)
        expectClose(summary(model), fixture.resumed, 1e-4, 1e-5)
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
