/**
 * CartPole-v1's dynamics as test/torch/fixtures/ports/rl.py writes them out (reset to
 * torch.rand(4) * 0.1 − 0.05 from the global generator), for the reinforcement-learning ports.
 */
import * as torch from '../../../src/torch'

export class CartPole {
  state: number[] = []

  reset(): number[] {
    this.state = torch.rand(4).mul(0.1).sub(0.05).tolist() as number[]
    return this.state
  }

  step(action: number): [number[], number, boolean] {
    let [x, xDot, theta, thetaDot] = this.state as [number, number, number, number]
    const force = action === 1 ? 10.0 : -10.0
    const costheta = Math.cos(theta)
    const sintheta = Math.sin(theta)
    const temp = (force + 0.05 * thetaDot ** 2 * sintheta) / 1.1
    const thetaacc = (9.8 * sintheta - costheta * temp) / (0.5 * (4.0 / 3.0 - (0.1 * costheta ** 2) / 1.1))
    const xacc = temp - (0.05 * thetaacc * costheta) / 1.1
    ;[x, xDot] = [x + 0.02 * xDot, xDot + 0.02 * xacc]
    ;[theta, thetaDot] = [theta + 0.02 * thetaDot, thetaDot + 0.02 * thetaacc]
    this.state = [x, xDot, theta, thetaDot]
    const done = Math.abs(x) > 2.4 || Math.abs(theta) > (12 * 2 * Math.PI) / 360
    return [this.state, 1.0, done]
  }
}
