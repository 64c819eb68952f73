import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/sac_squashed.json'
import { expectClose, expectSummaryClose, summary } from './portHelpers'

// Soft actor-critic as denisyarats/pytorch_sac writes it (agent/actor.py, agent/critic.py,
// agent/sac.py, utils.py; twin: test/torch/fixtures/ports/sac_squashed.py): a TanhTransform
// subclass of distributions.transforms.Transform (cache_size=1, softplus log-det) and a
// SquashedNormal subclass of TransformedDistribution overriding `mean`, the DiagGaussianActor,
// DoubleQCritic, utils.mlp / weight_init (orthogonal_), a float64 log_alpha made a leaf by
// `requires_grad = true`, Adam with betas, load_state_dict into the target, soft_update_params.
const { nn } = torch
const F = torch.nn.functional
const pyd = torch.distributions
type T = torch.Tensor

class TanhTransform extends pyd.transforms.Transform {
  // class attributes in Python; getters here because Transform declares them as accessors
  override get domain(): torch.distributions.constraints.Constraint {
    return pyd.constraints.real
  }
  override get codomain(): torch.distributions.constraints.Constraint {
    return pyd.constraints.interval(-1.0, 1.0)
  }
  override get bijective(): boolean {
    return true
  }
  override get sign() {
    return +1 as const
  }
  constructor(cache_size = 1) {
    super({ cache_size })
  }
  static atanh(x: T): T {
    return x.log1p().sub(x.neg().log1p()).mul(0.5)
  }
  override _call(x: T): T {
    return x.tanh()
  }
  override _inverse(y: T): T {
    return TanhTransform.atanh(y)
  }
  override log_abs_det_jacobian(x: T, _y: T): T {
    return x
      .neg()
      .add(Math.log(2))
      .sub(F.softplus(x.mul(-2)))
      .mul(2)
  }
}

class SquashedNormal extends pyd.TransformedDistribution {
  constructor(
    readonly loc: T,
    readonly scale: T,
  ) {
    super(pyd.Normal(loc, scale), [new TanhTransform()])
  }
  override get mean(): T {
    let mu = this.loc
    for (const tr of this.transforms) mu = tr.call(mu)
    return mu
  }
}

const weight_init = (m: torch.nn.Module): void => {
  if (m instanceof nn.Linear) {
    nn.init.orthogonal_(m.weight.data)
    if (m.bias !== null) m.bias.data.fill_(0.0)
  }
}

const mlp = (input_dim: number, hidden_dim: number, output_dim: number, hidden_depth: number): torch.nn.Sequential => {
  const mods: torch.nn.Module[] = [nn.Linear(input_dim, hidden_dim), nn.ReLU({ inplace: true })]
  for (let i = 0; i < hidden_depth - 1; i++) mods.push(nn.Linear(hidden_dim, hidden_dim), nn.ReLU({ inplace: true }))
  mods.push(nn.Linear(hidden_dim, output_dim))
  return nn.Sequential(...mods)
}

const soft_update_params = (net: torch.nn.Module, target_net: torch.nn.Module, tau: number): void => {
  const targets = [...target_net.parameters()]
  ;[...net.parameters()].forEach((param, i) =>
    targets[i]!.data.copy_(param.data.mul(tau).add(targets[i]!.data.mul(1 - tau))),
  )
}

class DiagGaussianActor extends nn.Module {
  trunk: torch.nn.Sequential
  constructor(
    obs_dim: number,
    action_dim: number,
    hidden_dim: number,
    hidden_depth: number,
    readonly log_std_bounds: [number, number],
  ) {
    super()
    this.trunk = mlp(obs_dim, hidden_dim, 2 * action_dim, hidden_depth)
    this.apply(weight_init)
  }
  forward(obs: T): SquashedNormal {
    const [mu, raw] = this.trunk.call(obs).chunk(2, { dim: -1 }) as [T, T]
    const [log_std_min, log_std_max] = this.log_std_bounds
    const log_std = torch
      .tanh(raw)
      .add(1)
      .mul(0.5 * (log_std_max - log_std_min))
      .add(log_std_min)
    return new SquashedNormal(mu, log_std.exp())
  }
}

class DoubleQCritic extends nn.Module {
  Q1: torch.nn.Sequential
  Q2: torch.nn.Sequential
  constructor(obs_dim: number, action_dim: number, hidden_dim: number, hidden_depth: number) {
    super()
    this.Q1 = mlp(obs_dim + action_dim, hidden_dim, 1, hidden_depth)
    this.Q2 = mlp(obs_dim + action_dim, hidden_dim, 1, hidden_depth)
    this.apply(weight_init)
  }
  forward(obs: T, action: T): [T, T] {
    expect(obs.size(0)).toBe(action.size(0))
    const obs_action = torch.cat([obs, action], { dim: -1 })
    return [this.Q1.call(obs_action), this.Q2.call(obs_action)]
  }
}

type Batch = [T, T, T, T, T, T]

class SACAgent {
  critic = new DoubleQCritic(3, 2, 32, 2)
  critic_target = new DoubleQCritic(3, 2, 32, 2)
  actor: DiagGaussianActor
  log_alpha: T
  target_entropy: number
  actor_optimizer: torch.optim.Adam
  critic_optimizer: torch.optim.Adam
  log_alpha_optimizer: torch.optim.Adam
  constructor(
    readonly discount = 0.99,
    init_temperature = 0.1,
    readonly critic_tau = 0.005,
    readonly critic_target_update_frequency = 2,
  ) {
    this.critic_target.load_state_dict(this.critic.state_dict())
    this.actor = new DiagGaussianActor(3, 2, 32, 2, [-5, 2])
    // np.log(init_temperature) is a numpy float64, so torch.tensor makes a float64 scalar
    this.log_alpha = torch.tensor(Math.log(init_temperature), { dtype: torch.float64 })
    this.log_alpha.requires_grad = true
    this.target_entropy = -2
    const betas: [number, number] = [0.9, 0.999]
    this.actor_optimizer = torch.optim.Adam(this.actor.parameters(), { lr: 1e-4, betas })
    this.critic_optimizer = torch.optim.Adam(this.critic.parameters(), { lr: 1e-4, betas })
    this.log_alpha_optimizer = torch.optim.Adam([this.log_alpha], { lr: 1e-4, betas })
    this.actor.train(true)
    this.critic.train(true)
    this.critic_target.train()
  }
  get alpha(): T {
    return this.log_alpha.exp()
  }
  act(obs: number[], sample = false): number[] {
    const dist = this.actor.call(torch.FloatTensor(obs).unsqueeze(0))
    const action = (sample ? dist.sample() : dist.mean).clamp(-1, 1)
    expect(action.ndim === 2 && action.shape[0] === 1).toBe(true)
    return action.index(0).detach().numpy().tolist() as number[]
  }
  update_critic(obs: T, action: T, reward: T, next_obs: T, not_done: T): number {
    const dist = this.actor.call(next_obs)
    const next_action = dist.rsample()
    const log_prob = dist.log_prob(next_action).sum(-1, { keepdim: true })
    const [target_Q1, target_Q2] = this.critic_target.call(next_obs, next_action)
    const target_V = torch.min(target_Q1, target_Q2).sub(this.alpha.detach().mul(log_prob))
    const target_Q = reward.add(not_done.mul(this.discount).mul(target_V)).detach()
    const [current_Q1, current_Q2] = this.critic.call(obs, action)
    const critic_loss = F.mse_loss(current_Q1, target_Q).add(F.mse_loss(current_Q2, target_Q))
    this.critic_optimizer.zero_grad()
    critic_loss.backward()
    this.critic_optimizer.step()
    return critic_loss.item() as number
  }
  update_actor_and_alpha(obs: T): number[] {
    const dist = this.actor.call(obs)
    const action = dist.rsample()
    const log_prob = dist.log_prob(action).sum(-1, { keepdim: true })
    const [actor_Q1, actor_Q2] = this.critic.call(obs, action)
    const actor_Q = torch.min(actor_Q1, actor_Q2)
    const actor_loss = this.alpha.detach().mul(log_prob).sub(actor_Q).mean()
    this.actor_optimizer.zero_grad()
    actor_loss.backward()
    this.actor_optimizer.step()
    const out = [actor_loss.item() as number, -(log_prob.mean().item() as number)]
    this.log_alpha_optimizer.zero_grad()
    const alpha_loss = this.alpha.mul(log_prob.neg().sub(this.target_entropy).detach()).mean()
    alpha_loss.backward()
    this.log_alpha_optimizer.step()
    out.push(alpha_loss.item() as number)
    return out
  }
  update(batch: Batch, step: number): number[] {
    const [obs, action, reward, next_obs, , not_done_no_max] = batch
    const out = [this.update_critic(obs, action, reward, next_obs, not_done_no_max)]
    out.push(...this.update_actor_and_alpha(obs))
    if (step % this.critic_target_update_frequency === 0)
      soft_update_params(this.critic, this.critic_target, this.critic_tau)
    return out
  }
}

describe('SAC (denisyarats/pytorch_sac) with a SquashedNormal subclass', () => {
  it('samples, scores and updates as PyTorch does', () => {
    torch.manual_seed(0)
    const agent = new SACAgent()
    const obses = torch.randn(64, 3)
    const actions = torch.rand(64, 2).mul(2).sub(1)
    const rewards = torch.randn(64, 1)
    const next_obses = obses.add(torch.randn(64, 3).mul(0.1))
    const not_dones = torch.rand(64, 1).gt(0.1).float()
    const sample = (batch_size: number): Batch => {
      const idxs = torch.randint(0, obses.shape[0]!, [batch_size])
      const nd = not_dones.index(idxs)
      return [obses.index(idxs), actions.index(idxs), rewards.index(idxs), next_obses.index(idxs), nd, nd]
    }
    const trace = Array.from({ length: 5 }, (_, step) => agent.update(sample(16), step))
    const dist = agent.actor.call(torch.tensor([[0.1, -0.2, 0.3]]))
    const x = torch.tensor([[0.5, -0.25]])
    const y = dist.transforms[0]!.call(x)
    expectClose(trace, fixture.trace, 1e-4, 1e-6)
    expectClose(agent.act([0.1, -0.2, 0.3]), fixture.act_mean, 1e-5, 1e-7)
    expectClose(agent.act([0.1, -0.2, 0.3], true), fixture.act_sample, 1e-5, 1e-7)
    expectClose(dist.log_prob(torch.tensor([[0.5, -0.25]])).tolist(), fixture.log_prob_uncached, 1e-5, 1e-6)
    expectClose(dist.transforms[0]!.log_abs_det_jacobian(x, y).tolist(), fixture.ladj, 1e-6, 1e-7)
    expect(agent.log_alpha.dtype).toBe(torch.float64)
    expectClose(agent.log_alpha.item(), fixture.log_alpha, 1e-9, 0)
    expectClose(agent.log_alpha.grad!.item(), fixture.log_alpha_grad, 1e-4, 1e-7)
    // sums over 1024 weights collect Adam's lr-sized steps on near-zero gradients (ReLU units
    // that barely fire): 1e-5 for them (observed 2.2e-6), 1e-6 for the first values
    expectSummaryClose(summary(agent.actor), fixture.actor, 1e-5, 1e-5, 1e-6)
    expectSummaryClose(summary(agent.critic), fixture.critic, 1e-5, 1e-5, 1e-6)
    expectSummaryClose(summary(agent.critic_target), fixture.critic_target, 1e-5, 1e-5, 1e-6)
  })
})
