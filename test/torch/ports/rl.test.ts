import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/rl.json'
import { CartPole } from './cartpole'
import { expectClose } from './portHelpers'

// pytorch/examples reinforcement_learning (actor_critic.py, reinforce.py) ported line by line
// (twin: test/torch/fixtures/ports/rl.py): the same seed gives the same initial weights, the same
// Categorical samples and dropout masks, hence the same episodes.
const { nn, optim } = torch
const F = torch.nn.functional
const { Categorical } = torch.distributions
const GAMMA = 0.99
const EPS = 1.1920928955078125e-7 // np.finfo(np.float32).eps
const MAX_STEPS = 30

const normalisedReturns = (rewards: number[]): torch.Tensor => {
  let R = 0
  const list: number[] = []
  for (const r of [...rewards].reverse()) {
    R = r + GAMMA * R
    list.unshift(R)
  }
  const returns = torch.tensor(list)
  return returns.sub(returns.mean()).div(returns.std().add(EPS))
}

class ActorCritic extends nn.Module {
  affine1 = nn.Linear(4, 128)
  action_head = nn.Linear(128, 2)
  value_head = nn.Linear(128, 1)
  saved_actions: Array<[torch.Tensor, torch.Tensor]> = []
  rewards: number[] = []

  forward(x: torch.Tensor): [torch.Tensor, torch.Tensor] {
    x = F.relu(this.affine1.call(x))
    const actionProb = F.softmax(this.action_head.call(x), { dim: -1 })
    const stateValues = this.value_head.call(x)
    return [actionProb, stateValues]
  }
}

class Policy extends nn.Module {
  affine1 = nn.Linear(4, 128)
  dropout = nn.Dropout({ p: 0.6 })
  affine2 = nn.Linear(128, 2)
  saved_log_probs: torch.Tensor[] = []
  rewards: number[] = []

  forward(x: torch.Tensor): torch.Tensor {
    x = this.affine1.call(x)
    x = this.dropout.call(x)
    x = F.relu(x)
    const actionScores = this.affine2.call(x)
    return F.softmax(actionScores, { dim: 1 })
  }
}

describe('pytorch/examples reinforcement_learning', () => {
  it('actor_critic plays and learns as PyTorch does', () => {
    torch.manual_seed(543)
    const env = new CartPole()
    const model = new ActorCritic()
    const optimizer = optim.Adam(model.parameters(), { lr: 3e-2 })
    let runningReward = 10
    const log: Array<{ actions: number[]; loss: number; running_reward: number }> = []
    for (let episode = 0; episode < 3; episode++) {
      let state = env.reset()
      let epReward = 0
      const actions: number[] = []
      for (let t = 1; t < MAX_STEPS; t++) {
        const [probs, stateValue] = model.call(torch.tensor(state).float()) as [torch.Tensor, torch.Tensor]
        const m = new Categorical(probs)
        const action = m.sample()
        model.saved_actions.push([m.log_prob(action), stateValue])
        actions.push(action.item() as number)
        const [next, reward, done] = env.step(action.item() as number)
        state = next
        model.rewards.push(reward)
        epReward += reward
        if (done) break
      }
      runningReward = 0.05 * epReward + (1 - 0.05) * runningReward
      const returns = normalisedReturns(model.rewards)
      const policyLosses: torch.Tensor[] = []
      const valueLosses: torch.Tensor[] = []
      model.saved_actions.forEach(([logProb, value], i) => {
        const R = returns.index(i)
        const advantage = R.sub(value.item() as number)
        policyLosses.push(logProb.neg().mul(advantage))
        valueLosses.push(F.smooth_l1_loss(value, torch.tensor([R])))
      })
      optimizer.zero_grad()
      const loss = torch.stack(policyLosses).sum().add(torch.stack(valueLosses).sum())
      loss.backward()
      optimizer.step()
      model.rewards.length = 0
      model.saved_actions.length = 0
      log.push({ actions, loss: loss.item() as number, running_reward: runningReward })
    }
    const want = fixture.actor_critic
    expect(log.map((e) => e.actions)).toEqual(want.episodes.map((e) => e.actions))
    expectClose(log, want.episodes, 1e-4, 1e-5)
    expectClose(model.value_head.bias!.item(), want.value_bias, 1e-4, 1e-6)
  })

  it('reinforce plays and learns as PyTorch does', () => {
    torch.manual_seed(543)
    const env = new CartPole()
    const policy = new Policy()
    const optimizer = optim.Adam(policy.parameters(), { lr: 1e-2 })
    const log: Array<{ actions: number[]; loss: number }> = []
    for (let episode = 0; episode < 3; episode++) {
      let state = env.reset()
      const actions: number[] = []
      for (let t = 1; t < MAX_STEPS; t++) {
        const probs = policy.call(torch.tensor(state).float().unsqueeze(0))
        const m = new Categorical(probs)
        const action = m.sample()
        policy.saved_log_probs.push(m.log_prob(action))
        actions.push(action.item() as number)
        const [next, reward, done] = env.step(action.item() as number)
        state = next
        policy.rewards.push(reward)
        if (done) break
      }
      const returns = normalisedReturns(policy.rewards)
      const policyLoss = policy.saved_log_probs.map((logProb, i) => logProb.neg().mul(returns.index(i)))
      optimizer.zero_grad()
      const total = torch.cat(policyLoss).sum()
      total.backward()
      optimizer.step()
      policy.rewards.length = 0
      policy.saved_log_probs.length = 0
      log.push({ actions, loss: total.item() as number })
    }
    const want = fixture.reinforce
    expect(log.map((e) => e.actions)).toEqual(want.episodes.map((e) => e.actions))
    expectClose(log, want.episodes, 1e-4, 1e-5)
    expectClose(policy.affine2.bias!.tolist(), want.affine2_bias, 1e-4, 1e-6)
  })
})
