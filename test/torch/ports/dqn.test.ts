import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/dqn.json'
import { expectClose, summary } from './portHelpers'

// The "Reinforcement Learning (DQN) Tutorial" optimize_model step ported line by line (twin:
// test/torch/fixtures/ports/dqn.py): AdamW(amsgrad), the non-final mask written into
// next_state_values under no_grad, gather, SmoothL1Loss, clip_grad_value_ and the soft target
// update through state_dict/load_state_dict.
const { nn, optim } = torch
const F = torch.nn.functional
const [BATCH_SIZE, GAMMA, TAU, LR] = [8, 0.99, 0.005, 1e-4]

interface Transition {
  state: torch.Tensor
  action: torch.Tensor
  next_state: torch.Tensor | null
  reward: torch.Tensor
}

class DQN extends nn.Module {
  layer1: torch.nn.Linear
  layer2: torch.nn.Linear
  layer3: torch.nn.Linear

  constructor(n_observations: number, n_actions: number) {
    super()
    this.layer1 = nn.Linear(n_observations, 128)
    this.layer2 = nn.Linear(128, 128)
    this.layer3 = nn.Linear(128, n_actions)
  }

  forward(x: torch.Tensor): torch.Tensor {
    x = F.relu(this.layer1.call(x))
    x = F.relu(this.layer2.call(x))
    return this.layer3.call(x)
  }
}

describe('DQN tutorial', () => {
  it('optimizes and soft-updates as PyTorch does', () => {
    torch.manual_seed(3)
    const [n_observations, n_actions] = [4, 2]
    const policy_net = new DQN(n_observations, n_actions)
    const target_net = new DQN(n_observations, n_actions)
    target_net.load_state_dict(policy_net.state_dict())
    const optimizer = optim.AdamW(policy_net.parameters(), { lr: LR, amsgrad: true })

    const sample_transitions = (step: number): Transition[] =>
      Array.from({ length: BATCH_SIZE }, (_, i) => {
        const state = torch.randn(1, n_observations)
        const action = torch.randint(0, n_actions, [1, 1])
        const next_state = (i + step) % 3 === 0 ? null : torch.randn(1, n_observations)
        const reward = torch.tensor([i % 2 === 0 ? 1.0 : -0.5])
        return { state, action, next_state, reward }
      })

    const optimize_model = (batch: Transition[]): number => {
      const non_final_mask = torch.tensor(
        batch.map((t) => t.next_state !== null),
        { dtype: torch.bool },
      )
      const non_final_next_states = torch.cat(batch.flatMap((t) => (t.next_state === null ? [] : [t.next_state])))
      const state_batch = torch.cat(batch.map((t) => t.state))
      const action_batch = torch.cat(batch.map((t) => t.action))
      const reward_batch = torch.cat(batch.map((t) => t.reward))
      const state_action_values = policy_net.call(state_batch).gather(1, action_batch)
      const next_state_values = torch.zeros(BATCH_SIZE)
      torch.no_grad(() => {
        next_state_values.setitem(non_final_mask, target_net.call(non_final_next_states).max(1)[0]!)
      })
      const expected_state_action_values = next_state_values.mul(GAMMA).add(reward_batch)
      const criterion = nn.SmoothL1Loss()
      const loss = criterion.call(state_action_values, expected_state_action_values.unsqueeze(1))
      optimizer.zero_grad()
      loss.backward()
      torch.nn.utils.clip_grad_value_(policy_net.parameters(), 100)
      optimizer.step()
      return loss.item() as number
    }

    const losses: number[] = []
    const actions: number[] = []
    for (let step = 0; step < 6; step++) {
      losses.push(optimize_model(sample_transitions(step)))
      const target_net_state_dict = target_net.state_dict()
      const policy_net_state_dict = policy_net.state_dict()
      for (const key of Object.keys(policy_net_state_dict)) {
        target_net_state_dict[key] = policy_net_state_dict[key]!.mul(TAU).add(target_net_state_dict[key]!.mul(1 - TAU))
      }
      target_net.load_state_dict(target_net_state_dict)
      torch.no_grad(() => {
        actions.push(policy_net.call(torch.randn(1, n_observations)).max(1)[1]!.view(1, 1).item() as number)
      })
    }
    expectClose(losses, fixture.losses, 1e-4, 1e-7)
    expect(actions).toEqual(fixture.actions)
    expectClose(summary(policy_net), fixture.policy, 1e-4, 1e-5)
    expectClose(summary(target_net), fixture.target, 1e-4, 1e-5)
  })
})
