import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/sac.json'
import { expectClose, summary } from './portHelpers'

// Soft actor-critic as pranz24/pytorch-soft-actor-critic writes it (model.py, sac.py, utils.py;
// twin: test/torch/fixtures/ports/sac.py): twin-Q QNetwork and GaussianPolicy initialised by
// self.apply(weights_init_) (xavier_uniform_, zero biases), log_std clamped, a tanh-squashed
// Normal.rsample() with the log(1 − tanh² + ε) correction summed with keepdim, hard_update and
// soft_update through .data.copy_, the twin targets' torch.min under no_grad, mse_loss critics,
// automatic entropy tuning (target_entropy = −prod(torch.Tensor(shape)), a log_alpha leaf with its
// own Adam). The replay memory is a fixed torch-drawn set sampled with torch.randint.
const { nn } = torch
const F = torch.nn.functional
const { Normal } = torch.distributions
const { Adam } = torch.optim
type T = torch.Tensor

const LOG_SIG_MAX = 2
const LOG_SIG_MIN = -20
const epsilon = 1e-6

const weights_init_ = (m: torch.nn.Module): void => {
  if (m instanceof nn.Linear) {
    nn.init.xavier_uniform_(m.weight, { gain: 1 })
    nn.init.constant_(m.bias!, 0)
  }
}

const soft_update = (target: torch.nn.Module, source: torch.nn.Module, tau: number): void => {
  const src = [...source.parameters()]
  ;[...target.parameters()].forEach((target_param, i) =>
    target_param.data.copy_(target_param.data.mul(1.0 - tau).add(src[i]!.data.mul(tau))),
  )
}

const hard_update = (target: torch.nn.Module, source: torch.nn.Module): void => {
  const src = [...source.parameters()]
  ;[...target.parameters()].forEach((target_param, i) => target_param.data.copy_(src[i]!.data))
}

class QNetwork extends nn.Module {
  linear1: torch.nn.Linear
  linear2: torch.nn.Linear
  linear3: torch.nn.Linear
  linear4: torch.nn.Linear
  linear5: torch.nn.Linear
  linear6: torch.nn.Linear
  constructor(num_inputs: number, num_actions: number, hidden_dim: number) {
    super()
    this.linear1 = nn.Linear(num_inputs + num_actions, hidden_dim)
    this.linear2 = nn.Linear(hidden_dim, hidden_dim)
    this.linear3 = nn.Linear(hidden_dim, 1)
    this.linear4 = nn.Linear(num_inputs + num_actions, hidden_dim)
    this.linear5 = nn.Linear(hidden_dim, hidden_dim)
    this.linear6 = nn.Linear(hidden_dim, 1)
    this.apply(weights_init_)
  }
  forward(state: T, action: T): [T, T] {
    const xu = torch.cat([state, action], 1)
    let x1 = F.relu(this.linear1.call(xu))
    x1 = F.relu(this.linear2.call(x1))
    x1 = this.linear3.call(x1)
    let x2 = F.relu(this.linear4.call(xu))
    x2 = F.relu(this.linear5.call(x2))
    x2 = this.linear6.call(x2)
    return [x1, x2]
  }
}

interface Box {
  shape: number[]
  high: T
  low: T
}

class GaussianPolicy extends nn.Module {
  linear1: torch.nn.Linear
  linear2: torch.nn.Linear
  mean_linear: torch.nn.Linear
  log_std_linear: torch.nn.Linear
  action_scale: T
  action_bias: T
  constructor(num_inputs: number, num_actions: number, hidden_dim: number, action_space?: Box) {
    super()
    this.linear1 = nn.Linear(num_inputs, hidden_dim)
    this.linear2 = nn.Linear(hidden_dim, hidden_dim)
    this.mean_linear = nn.Linear(hidden_dim, num_actions)
    this.log_std_linear = nn.Linear(hidden_dim, num_actions)
    this.apply(weights_init_)
    if (action_space === undefined) {
      this.action_scale = torch.tensor(1)
      this.action_bias = torch.tensor(0)
    } else {
      this.action_scale = torch.FloatTensor(action_space.high.sub(action_space.low).div(2))
      this.action_bias = torch.FloatTensor(action_space.high.add(action_space.low).div(2))
    }
  }
  forward(state: T): [T, T] {
    let x = F.relu(this.linear1.call(state))
    x = F.relu(this.linear2.call(x))
    const mean = this.mean_linear.call(x)
    let log_std = this.log_std_linear.call(x)
    log_std = torch.clamp(log_std, { min: LOG_SIG_MIN, max: LOG_SIG_MAX })
    return [mean, log_std]
  }
  sample(state: T): [T, T, T] {
    const [mean, log_std] = this.forward(state)
    const std = log_std.exp()
    const normal = Normal(mean, std)
    const x_t = normal.rsample()
    const y_t = torch.tanh(x_t)
    const action = y_t.mul(this.action_scale).add(this.action_bias)
    let log_prob = normal.log_prob(x_t)
    log_prob.sub_(torch.log(this.action_scale.mul(y_t.pow(2).rsub(1)).add(epsilon)))
    log_prob = log_prob.sum(1, { keepdim: true })
    const squashed = torch.tanh(mean).mul(this.action_scale).add(this.action_bias)
    return [action, log_prob, squashed]
  }
}

class ReplayMemory {
  state: T
  action: T
  reward: T
  next_state: T
  mask: T
  constructor(n: number, obs_dim: number, act_dim: number) {
    this.state = torch.randn(n, obs_dim)
    this.action = torch.rand(n, act_dim).mul(2).sub(1)
    this.reward = torch.randn(n)
    this.next_state = this.state.add(torch.randn(n, obs_dim).mul(0.1))
    this.mask = torch.rand(n).gt(0.1).float()
  }
  sample(batch_size: number): T[] {
    const idx = torch.randint(0, this.state.shape[0]!, [batch_size])
    return [this.state, this.action, this.reward, this.next_state, this.mask].map((t) => t.index(idx))
  }
}

class SAC {
  alpha: number | T
  target_update_interval = 1
  automatic_entropy_tuning = true
  critic: QNetwork
  critic_optim: torch.optim.Adam
  critic_target: QNetwork
  target_entropy: number
  log_alpha: T
  alpha_optim: torch.optim.Adam
  policy: GaussianPolicy
  policy_optim: torch.optim.Adam
  constructor(
    num_inputs: number,
    action_space: Box,
    readonly gamma = 0.99,
    readonly tau = 0.005,
    alpha = 0.2,
    lr = 3e-4,
    hidden_size = 32,
  ) {
    this.alpha = alpha
    this.critic = new QNetwork(num_inputs, action_space.shape[0]!, hidden_size)
    this.critic_optim = Adam(this.critic.parameters(), { lr })
    this.critic_target = new QNetwork(num_inputs, action_space.shape[0]!, hidden_size)
    hard_update(this.critic_target, this.critic)
    this.target_entropy = -(torch.prod(new torch.Tensor(action_space.shape)).item() as number)
    this.log_alpha = torch.zeros(1, { requires_grad: true })
    this.alpha_optim = Adam([this.log_alpha], { lr })
    this.policy = new GaussianPolicy(num_inputs, action_space.shape[0]!, hidden_size, action_space)
    this.policy_optim = Adam(this.policy.parameters(), { lr })
  }

  select_action(state: number[], evaluate = false): number[] {
    const s = torch.FloatTensor(state).unsqueeze(0)
    const [action, , mean] = this.policy.sample(s)
    return ((evaluate ? mean : action).detach().numpy().tolist() as number[][])[0]!
  }

  update_parameters(memory: ReplayMemory, batch_size: number, updates: number): number[] {
    let [state_batch, action_batch, reward_batch, next_state_batch, mask_batch] = memory.sample(batch_size) as [
      T,
      T,
      T,
      T,
      T,
    ]
    reward_batch = reward_batch.unsqueeze(1)
    mask_batch = mask_batch.unsqueeze(1)
    const next_q_value = torch.no_grad(() => {
      const [next_state_action, next_state_log_pi] = this.policy.sample(next_state_batch)
      const [qf1_next_target, qf2_next_target] = this.critic_target.call(next_state_batch, next_state_action) as [T, T]
      const min_qf_next_target = torch.min(qf1_next_target, qf2_next_target).sub(next_state_log_pi.mul(this.alpha))
      return reward_batch.add(mask_batch.mul(this.gamma).mul(min_qf_next_target))
    })
    const [qf1, qf2] = this.critic.call(state_batch, action_batch) as [T, T]
    const qf1_loss = F.mse_loss(qf1, next_q_value)
    const qf2_loss = F.mse_loss(qf2, next_q_value)
    const qf_loss = qf1_loss.add(qf2_loss)
    this.critic_optim.zero_grad()
    qf_loss.backward()
    this.critic_optim.step()

    const [pi, log_pi] = this.policy.sample(state_batch)
    const [qf1_pi, qf2_pi] = this.critic.call(state_batch, pi) as [T, T]
    const min_qf_pi = torch.min(qf1_pi, qf2_pi)
    const policy_loss = log_pi.mul(this.alpha).sub(min_qf_pi).mean()
    this.policy_optim.zero_grad()
    policy_loss.backward()
    this.policy_optim.step()

    const alpha_loss = this.log_alpha.mul(log_pi.add(this.target_entropy).detach()).mean().neg()
    this.alpha_optim.zero_grad()
    alpha_loss.backward()
    this.alpha_optim.step()
    this.alpha = this.log_alpha.exp()
    const alpha_tlogs = this.alpha.clone()
    if (updates % this.target_update_interval === 0) soft_update(this.critic_target, this.critic, this.tau)
    return [qf1_loss, qf2_loss, policy_loss, alpha_loss, alpha_tlogs].map((t) => t.item() as number)
  }
}

describe('SAC (pranz24/pytorch-soft-actor-critic)', () => {
  it('updates critics, policy and temperature as PyTorch does', () => {
    torch.manual_seed(0)
    const action_space: Box = { shape: [2], high: torch.tensor([2.0, 1.0]), low: torch.tensor([-2.0, -1.0]) }
    const agent = new SAC(3, action_space)
    const memory = new ReplayMemory(64, 3, 2)
    const trace: number[][] = []
    for (let updates = 0; updates < 6; updates++) trace.push(agent.update_parameters(memory, 16, updates))
    const act = agent.select_action([0.1, -0.2, 0.3])
    const act_eval = agent.select_action([0.1, -0.2, 0.3], true)
    expect(agent.target_entropy).toBe(fixture.target_entropy)
    expectClose(trace, fixture.trace, 1e-4, 1e-6)
    expectClose(act, fixture.act, 1e-4, 1e-6)
    expectClose(act_eval, fixture.act_eval, 1e-4, 1e-6)
    expectClose(agent.log_alpha.grad!.tolist(), fixture.log_alpha_grad, 1e-4, 1e-7)
    expectClose(summary(agent.policy), fixture.policy, 1e-5, 1e-6)
    expectClose(summary(agent.critic), fixture.critic, 1e-5, 1e-6)
    expectClose(summary(agent.critic_target), fixture.critic_target, 1e-5, 1e-6)

    // openai/spinningup (spinup/algos/pytorch/sac/core.py, sac.py): the softplus form of the
    // tanh correction with numpy-style sum(axis=…), and Polyak averaging by in-place .data ops.
    torch.manual_seed(1)
    const [mu, log_std] = agent.policy.call(torch.randn(5, 3)) as [T, T]
    const pi_distribution = Normal(mu, torch.exp(log_std))
    const pi_action = pi_distribution.rsample()
    const logp_pi = pi_distribution.log_prob(pi_action).sum({ axis: -1 })
    logp_pi.sub_(
      pi_action
        .neg()
        .add(Math.log(2))
        .sub(F.softplus(pi_action.mul(-2)))
        .mul(2)
        .sum({ axis: 1 }),
    )
    logp_pi.sum().backward()
    const polyak = 0.9
    torch.no_grad(() => {
      const targets = [...agent.critic_target.parameters()]
      ;[...agent.critic.parameters()].forEach((p, i) => {
        targets[i]!.data.mul_(polyak)
        targets[i]!.data.add_(p.data.mul(1 - polyak))
      })
    })
    expectClose(logp_pi.tolist(), fixture.spinup_logp, 1e-5, 1e-6)
    expectClose(agent.policy.log_std_linear.bias!.grad!.tolist(), fixture.spinup_grad, 1e-4, 1e-6)
    expectClose(summary(agent.critic_target), fixture.spinup_target, 1e-5, 1e-6)
  })
})
