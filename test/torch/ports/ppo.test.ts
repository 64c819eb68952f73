import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/ppo.json'
import { CartPole } from './cartpole'
import { expectClose, summary } from './portHelpers'

// A PPO update loop as ikostrikov/pytorch-a2c-ppo-acktr-gail writes it, on rl.py's CartPole
// (twin: test/torch/fixtures/ports/ppo.py): MLPBase actor and critic with orthogonal_ init (gain
// √2, the Categorical head's 0.01) and zero biases, RolloutStorage with masks and GAE, normalised
// advantages, ppo_epoch passes of BatchSampler(SubsetRandomSampler(range(n)), mb, drop_last=True)
// minibatches, the clipped surrogate, the clipped value loss, the entropy bonus, clip_grad_norm_ and
// Adam(eps=1e-5). Categorical.sample draws as PyTorch 2.x does (the fixture's multinomial_2x).
const { nn, optim } = torch
const { Categorical } = torch.distributions
const { BatchSampler, SubsetRandomSampler } = torch.utils.data
type T = torch.Tensor

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i)

const init = <M extends torch.nn.Linear>(
  module: M,
  weight_init: (t: T, kw: { gain: number }) => unknown,
  bias_init: (t: T) => unknown,
  gain = 1,
): M => {
  weight_init(module.weight.data, { gain })
  bias_init(module.bias!.data)
  return module
}

class MLPBase extends nn.Module {
  actor: torch.nn.Sequential
  critic: torch.nn.Sequential
  critic_linear: torch.nn.Linear

  constructor(num_inputs: number, hidden_size = 16) {
    super()
    const init_ = (m: torch.nn.Linear): torch.nn.Linear =>
      init(m, nn.init.orthogonal_, (x) => nn.init.constant_(x, 0), Math.sqrt(2))
    this.actor = nn.Sequential(
      init_(nn.Linear(num_inputs, hidden_size)),
      nn.Tanh(),
      init_(nn.Linear(hidden_size, hidden_size)),
      nn.Tanh(),
    )
    this.critic = nn.Sequential(
      init_(nn.Linear(num_inputs, hidden_size)),
      nn.Tanh(),
      init_(nn.Linear(hidden_size, hidden_size)),
      nn.Tanh(),
    )
    this.critic_linear = init_(nn.Linear(hidden_size, 1))
  }

  forward(inputs: T): [T, T] {
    const hidden_critic = this.critic.call(inputs)
    const hidden_actor = this.actor.call(inputs)
    return [this.critic_linear.call(hidden_critic), hidden_actor]
  }
}

class Policy extends nn.Module {
  base: MLPBase
  dist_linear: torch.nn.Linear

  constructor(obs_dim: number, num_outputs: number) {
    super()
    this.base = new MLPBase(obs_dim)
    const init_ = (m: torch.nn.Linear): torch.nn.Linear =>
      init(m, nn.init.orthogonal_, (x) => nn.init.constant_(x, 0), 0.01)
    this.dist_linear = init_(nn.Linear(16, num_outputs))
  }

  act(inputs: T): [T, T, T] {
    const [value, actor_features] = this.base.call(inputs) as [T, T]
    const dist = new Categorical({ logits: this.dist_linear.call(actor_features) })
    const action = dist.sample().unsqueeze(-1)
    const action_log_probs = dist.log_prob(action.squeeze(-1)).unsqueeze(-1)
    return [value, action, action_log_probs]
  }

  get_value(inputs: T): T {
    const [value] = this.base.call(inputs) as [T, T]
    return value
  }

  evaluate_actions(inputs: T, action: T): [T, T, T] {
    const [value, actor_features] = this.base.call(inputs) as [T, T]
    const dist = new Categorical({ logits: this.dist_linear.call(actor_features) })
    const action_log_probs = dist.log_prob(action.squeeze(-1)).unsqueeze(-1)
    const dist_entropy = dist.entropy().mean()
    return [value, action_log_probs, dist_entropy]
  }
}

class RolloutStorage {
  obs: T
  rewards: T
  value_preds: T
  returns: T
  action_log_probs: T
  actions: T
  masks: T
  step = 0

  constructor(
    readonly num_steps: number,
    obs_dim: number,
  ) {
    this.obs = torch.zeros(num_steps + 1, obs_dim)
    this.rewards = torch.zeros(num_steps, 1)
    this.value_preds = torch.zeros(num_steps + 1, 1)
    this.returns = torch.zeros(num_steps + 1, 1)
    this.action_log_probs = torch.zeros(num_steps, 1)
    this.actions = torch.zeros(num_steps, 1).long()
    this.masks = torch.ones(num_steps + 1, 1)
  }

  insert(obs: T, actions: T, action_log_probs: T, value_preds: T, rewards: T, masks: T): void {
    this.obs.index(this.step + 1).copy_(obs)
    this.actions.index(this.step).copy_(actions)
    this.action_log_probs.index(this.step).copy_(action_log_probs)
    this.value_preds.index(this.step).copy_(value_preds)
    this.rewards.index(this.step).copy_(rewards)
    this.masks.index(this.step + 1).copy_(masks)
    this.step = (this.step + 1) % this.num_steps
  }

  after_update(): void {
    this.obs.index(0).copy_(this.obs.index(-1))
    this.masks.index(0).copy_(this.masks.index(-1))
  }

  compute_returns(next_value: T, gamma: number, gae_lambda: number): void {
    this.value_preds.set(-1, next_value)
    let gae: T | number = 0
    for (let step = this.rewards.size(0) - 1; step >= 0; step--) {
      const delta = this.rewards
        .index(step)
        .add(
          this.value_preds
            .index(step + 1)
            .mul(gamma)
            .mul(this.masks.index(step + 1)),
        )
        .sub(this.value_preds.index(step))
      gae = delta.add(
        this.masks
          .index(step + 1)
          .mul(gamma * gae_lambda)
          .mul(gae),
      )
      this.returns.set(step, gae.add(this.value_preds.index(step)))
    }
  }

  *feed_forward_generator(advantages: T, mini_batch_size: number): Generator<T[]> {
    const batch_size = this.num_steps
    const sampler = BatchSampler(SubsetRandomSampler(range(batch_size)), mini_batch_size, { drop_last: true })
    for (const indices of sampler) {
      const idx = torch.tensor(indices.map(BigInt))
      const obs_batch = this.obs
        .index(':-1')
        .view(-1, ...this.obs.size().slice(1))
        .index(idx)
      const actions_batch = this.actions.view(-1, this.actions.size(-1)).index(idx)
      const value_preds_batch = this.value_preds.index(':-1').view(-1, 1).index(idx)
      const return_batch = this.returns.index(':-1').view(-1, 1).index(idx)
      const old_action_log_probs_batch = this.action_log_probs.view(-1, 1).index(idx)
      const adv_targ = advantages.view(-1, 1).index(idx)
      yield [obs_batch, actions_batch, value_preds_batch, return_batch, old_action_log_probs_batch, adv_targ]
    }
  }
}

interface Trace {
  norms: number[]
  losses: number[][]
}

class PPO {
  optimizer: torch.optim.Adam

  constructor(
    readonly actor_critic: Policy,
    readonly clip_param: number,
    readonly ppo_epoch: number,
    readonly num_mini_batch: number,
    readonly value_loss_coef: number,
    readonly entropy_coef: number,
    lr: number,
    eps: number,
    readonly max_grad_norm: number,
    readonly use_clipped_value_loss = true,
  ) {
    this.optimizer = optim.Adam(actor_critic.parameters(), { lr, eps })
  }

  update(rollouts: RolloutStorage, trace: Trace): [number, number, number] {
    let advantages = rollouts.returns.index(':-1').sub(rollouts.value_preds.index(':-1'))
    advantages = advantages.sub(advantages.mean()).div(advantages.std().add(1e-5))
    let [value_loss_epoch, action_loss_epoch, dist_entropy_epoch] = [0, 0, 0]
    for (let e = 0; e < this.ppo_epoch; e++) {
      const data_generator = rollouts.feed_forward_generator(
        advantages,
        Math.floor(rollouts.num_steps / this.num_mini_batch),
      )
      for (const sample of data_generator) {
        const [obs_batch, actions_batch, value_preds_batch, return_batch, old_action_log_probs_batch, adv_targ] =
          sample as [T, T, T, T, T, T]
        const [values, action_log_probs, dist_entropy] = this.actor_critic.evaluate_actions(obs_batch, actions_batch)
        const ratio = torch.exp(action_log_probs.sub(old_action_log_probs_batch))
        const surr1 = ratio.mul(adv_targ)
        const surr2 = torch.clamp(ratio, 1.0 - this.clip_param, 1.0 + this.clip_param).mul(adv_targ)
        const action_loss = torch.min(surr1, surr2).mean().neg()
        let value_loss: T
        if (this.use_clipped_value_loss) {
          const value_pred_clipped = value_preds_batch.add(
            values.sub(value_preds_batch).clamp(-this.clip_param, this.clip_param),
          )
          const value_losses = values.sub(return_batch).pow(2)
          const value_losses_clipped = value_pred_clipped.sub(return_batch).pow(2)
          value_loss = torch.max(value_losses, value_losses_clipped).mean().mul(0.5)
        } else {
          value_loss = return_batch.sub(values).pow(2).mean().mul(0.5)
        }
        this.optimizer.zero_grad()
        value_loss.mul(this.value_loss_coef).add(action_loss).sub(dist_entropy.mul(this.entropy_coef)).backward()
        trace.norms.push(nn.utils.clip_grad_norm_(this.actor_critic.parameters(), this.max_grad_norm).item() as number)
        this.optimizer.step()
        trace.losses.push([value_loss.item() as number, action_loss.item() as number, dist_entropy.item() as number])
        value_loss_epoch += value_loss.item() as number
        action_loss_epoch += action_loss.item() as number
        dist_entropy_epoch += dist_entropy.item() as number
      }
    }
    const num_updates = this.ppo_epoch * this.num_mini_batch
    return [value_loss_epoch / num_updates, action_loss_epoch / num_updates, dist_entropy_epoch / num_updates]
  }
}

describe('PPO (ikostrikov/pytorch-a2c-ppo-acktr-gail) on CartPole', () => {
  it('collects the same rollouts and updates as PyTorch does', () => {
    torch.manual_seed(7)
    const [num_steps, num_updates] = [32, 3]
    const env = new CartPole()
    const actor_critic = new Policy(4, 2)
    expect([...actor_critic.named_parameters()].map(([n]) => n)).toEqual(fixture.names)
    const agent = new PPO(actor_critic, 0.2, 4, 4, 0.5, 0.01, 7e-4, 1e-5, 0.5)
    const rollouts = new RolloutStorage(num_steps, 4)
    rollouts.obs.index(0).copy_(torch.tensor(env.reset()))
    const trace = { norms: [] as number[], losses: [] as number[][], actions: [] as number[] }
    const [returns, updates]: [number[][], number[][]] = [[], []]
    for (let j = 0; j < num_updates; j++) {
      for (let step = 0; step < num_steps; step++) {
        const [value, action, action_log_prob] = torch.no_grad(() => actor_critic.act(rollouts.obs.index(step)))
        let [obs, reward, done] = env.step(action.item() as number)
        if (done) obs = env.reset()
        trace.actions.push(action.item() as number)
        rollouts.insert(
          torch.tensor(obs),
          action,
          action_log_prob,
          value,
          torch.tensor([reward]),
          torch.tensor(done ? [0.0] : [1.0]),
        )
      }
      const next_value = torch.no_grad(() => actor_critic.get_value(rollouts.obs.index(-1)).detach())
      rollouts.compute_returns(next_value, 0.99, 0.95)
      returns.push(rollouts.returns.index(':-1').reshape(-1).tolist() as number[])
      updates.push(agent.update(rollouts, trace))
      rollouts.after_update()
    }
    expect(trace.actions).toEqual(fixture.actions)
    expectClose(returns, fixture.returns, 1e-5, 1e-6)
    expectClose(trace.losses, fixture.losses, 1e-4, 1e-6)
    expectClose(trace.norms, fixture.norms, 1e-4, 0)
    expectClose(updates, fixture.updates, 1e-4, 1e-6)
    expectClose(actor_critic.dist_linear.weight.grad!.reshape(-1).tolist(), fixture.grad, 1e-4, 1e-7)
    expectClose(summary(actor_critic), fixture.summary, 1e-5, 1e-6)
  })
})
