/**
 * Training with a progress bar and a loss curve: an MLP fits sin(3x) with Adam for 2,000 steps
 * (or the number given as the first argument). While it runs, a progress bar (cli-progress) shows
 * the step, the rate, the ETA and the loss; at the end the loss curve is drawn in the terminal
 * (asciichart) and written as an SVG chart (vega-lite, rendered without a browser) to
 * examples/progress/loss.svg. The libraries are dev dependencies, not dependencies of wengert.
 *
 * Run: npx tsx examples/progress/train.ts [steps]
 */
import { writeFileSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { plot } from 'asciichart'
import cliProgress from 'cli-progress'
import * as vega from 'vega'
import * as vl from 'vega-lite'
import * as torch from 'wengert/torch'
const { nn } = torch

/** Trains the model for `steps` steps; `onStep` sees every step's loss. Returns the losses. */
export const train = (steps: number, onStep: (step: number, loss: number) => void = () => {}): number[] => {
  torch.manual_seed(0)
  const x = torch.linspace(-1, 1, 128).unsqueeze(1)
  const y = x.mul(3).sin()
  const model = nn.Sequential(nn.Linear(1, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(), nn.Linear(32, 1))
  const opt = torch.optim.Adam(model.parameters(), { lr: 0.01 })
  const lossFn = nn.MSELoss()
  const losses: number[] = []
  for (let step = 0; step < steps; step++) {
    opt.zero_grad()
    const loss = lossFn.forward(model.forward(x), y)
    loss.backward()
    opt.step()
    const value = Number(loss.item())
    losses.push(value)
    onStep(step, value)
  }
  return losses
}

/** At most `n` points of a series (the mean of each run of neighbours), for a chart of fixed width. */
export const downsample = (xs: ReadonlyArray<number>, n: number): number[] => {
  const k = Math.max(1, Math.ceil(xs.length / n))
  const out: number[] = []
  for (let i = 0; i < xs.length; i += k) {
    const run = xs.slice(i, i + k)
    out.push(run.reduce((a, b) => a + b, 0) / run.length)
  }
  return out
}

/** The loss curve as an SVG chart (log scale), rendered by vega-lite + vega in Node (no browser). */
export const lossCurveSvg = async (losses: ReadonlyArray<number>): Promise<string> => {
  const values = losses.map((loss, step) => ({ step, loss }))
  const { spec } = vl.compile({
    width: 480,
    height: 200,
    title: 'training loss (MSE)',
    data: { values },
    mark: { type: 'line', strokeWidth: 1.5 },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'step' },
      y: { field: 'loss', type: 'quantitative', title: 'loss', scale: { type: 'log' } },
    },
  })
  return new vega.View(vega.parse(spec), { renderer: 'none' }).toSVG()
}

const main = async (): Promise<void> => {
  const steps = Number(process.argv[2] ?? 2000)
  const bar = new cliProgress.SingleBar(
    {
      format: 'train |{bar}| {value}/{total} steps | {rate} steps/s | ETA {eta_formatted} | loss {loss}',
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  )
  const started = performance.now()
  bar.start(steps, 0, { rate: '0', loss: '-' })
  const losses = train(steps, (step, loss) => {
    if (step % 10 !== 9 && step !== steps - 1) return
    const rate = ((step + 1) / (performance.now() - started)) * 1000
    bar.update(step + 1, { rate: rate.toFixed(0), loss: loss.toExponential(3) })
  })
  bar.stop()
  console.log(`\nlog10(loss) over ${steps} steps:\n`)
  console.log(plot(downsample(losses.map(Math.log10), 70), { height: 10 }))
  const out = fileURLToPath(new URL('./loss.svg', import.meta.url))
  writeFileSync(out, await lossCurveSvg(losses))
  console.log(`\nfinal loss ${losses[losses.length - 1]?.toExponential(3)}; loss curve written to ${out}`)
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main()
