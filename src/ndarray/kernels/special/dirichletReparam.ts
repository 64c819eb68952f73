/**
 * PyTorch's approximate reparameterised gradient of a Dirichlet sample (`torch._dirichlet_grad`),
 * by way of the Beta marginal of each coordinate: Jankowiak and Obermeyer 2018, "Pathwise
 * derivatives beyond the reparameterization trick" (ICML), §4 and appendix — Taylor expansions
 * near x = 0 and x = 1, a saddle-point expansion for large concentrations, a fitted rational
 * correction of an analytic approximation elsewhere. `f32` rounds where PyTorch computes in float.
 */
import { digamma } from './gamma'

type Round = (v: number) => number
const id: Round = (v) => v

/** x near 0: dx/dα of Beta(α, β) by its series in x (eleven terms). */
const alphaSmall = (r: Round, x: number, alpha: number, beta: number): number => {
  const factor = r(r(r(digamma(alpha)) - r(digamma(r(alpha + beta)))) - r(Math.log(x)))
  let numer = 1
  let series = r(r(numer / alpha) * r(factor + r(1 / alpha)))
  for (let i = 1; i <= 10; i++) {
    numer = r(numer * r(r(r(i - beta) * x) / i))
    const denom = r(alpha + i)
    series = r(series + r(r(numer / denom) * r(factor + r(1 / denom))))
  }
  const out = r(r(x * r(Math.pow(r(1 - x), -beta))) * series)
  return Number.isNaN(out) ? 0 : out
}

/** x near 0: dx/dβ of Beta(α, β) by its series in x (nine terms). */
const betaSmall = (r: Round, x: number, alpha: number, beta: number): number => {
  const factor = r(r(digamma(r(alpha + beta))) - r(digamma(beta)))
  let numer = 1
  let betas = 1
  let dbetas = 0
  let series = r(factor / alpha)
  for (let i = 1; i <= 8; i++) {
    numer = r(numer * r(-x / i))
    dbetas = r(r(dbetas * r(beta - i)) + betas)
    betas = r(betas * r(beta - i))
    series = r(series + r(r(numer / r(alpha + i)) * r(dbetas + r(factor * betas))))
  }
  const out = -r(r(Math.pow(r(1 - x), r(1 - beta))) * series)
  return Number.isNaN(out) ? 0 : out
}

/** α, β > 6: the saddle-point expansion (in double), a polynomial within 0.1 sd of the mean. */
const alphaMid = (x: number, alpha: number, beta: number): number => {
  const total = alpha + beta
  const mean = alpha / total
  const std = Math.sqrt((alpha * beta) / (total + 1)) / total
  if (mean - 0.1 * std <= x && x <= mean + 0.1 * std) {
    const bb = beta * beta
    const poly =
      47 * x * bb * bb +
      alpha *
        ((43 + 20 * (16 + 27 * beta) * x) * bb * beta +
          alpha *
            (3 * (59 + 180 * beta - 90 * x) * bb +
              alpha * ((453 + 1620 * beta * (1 - x) - 455 * x) * beta + alpha * (8 * (1 - x) * (135 * beta - 11)))))
    const num = ((1 + 12 * alpha) * (1 + 12 * beta)) / (total * total)
    const den = 12960 * alpha * alpha * alpha * beta * beta * (1 + 12 * total)
    return ((num / (1 - x)) * poly) / den
  }
  const prefactor = -x / Math.sqrt((2 * alpha * beta) / total)
  const st = (v: number): number => 1 + 1 / (12 * v) + 1 / (288 * v * v)
  const stirling = (st(alpha) * st(beta)) / st(total)
  const t1num = 2 * (alpha * alpha) * (x - 1) + alpha * beta * (x - 1) - x * (beta * beta)
  const axbx = alpha * (x - 1) + beta * x
  const t1 = t1num / (Math.sqrt((2 * alpha) / beta) * Math.pow(total, 1.5) * axbx * axbx)
  const t2 = 0.5 * Math.log(alpha / (total * x))
  const t3 = Math.sqrt((8 * alpha * beta) / total) / (beta * x + alpha * (x - 1))
  const t4base = beta * Math.log(beta / (total * (1 - x))) + alpha * Math.log(alpha / (total * x))
  const t4 = Math.pow(t4base, -1.5)
  return stirling * prefactor * (t1 + t2 * (t3 + (x < mean ? t4 : -t4)))
}

/** The fitted correction's coefficients [p|q][power of u][power of a][power of b]. */
const C: ReadonlyArray<ReadonlyArray<ReadonlyArray<ReadonlyArray<number>>>> = [
  [
    [
      [1.003668233, -0.01061107488, -0.0657888334, 0.01201642863],
      [0.6336835991, -0.3557432599, 0.05486251648, -0.001465281033],
      [-0.03276231906, 0.004474107445, 0.002429354597, -0.0001557569013],
    ],
    [
      [0.221950385, -0.3187676331, 0.01799915743, 0.01074823814],
      [-0.2951249643, 0.06219954479, 0.01535556598, 0.001550077057],
      [0.02155310298, 0.004170831599, 0.001292462449, 6.976601077e-5],
    ],
    [
      [-0.05980841433, 0.008441916499, 0.01085618172, 0.002319392565],
      [0.02911413504, 0.01400243777, -0.002721828457, 0.000751041181],
      [0.005900514878, -0.001936558688, -9.495446725e-6, 5.385558597e-5],
    ],
  ],
  [
    [
      [1, -0.02924021934, -0.04438342661, 0.007285809825],
      [0.6357567472, -0.3473456711, 0.05454656494, -0.002407477521],
      [-0.03301322327, 0.004845219414, 0.00231480583, -0.0002307248149],
    ],
    [
      [0.5925320577, -0.1757678135, 0.01505928619, 0.000564515273],
      [0.1014815858, -0.06589186703, 0.01272886114, -0.0007316646956],
      [-0.007258481865, 0.001096195486, 0.0003934994223, -4.12701925e-5],
    ],
    [
      [0.06469649321, -0.0236701437, 0.002902096474, -5.896963079e-5],
      [0.001925008108, -0.002869809258, 0.0008000589141, -6.063713228e-5],
      [-0.0003477407336, 6.959756487e-5, 1.097287507e-5, -1.650964693e-6],
    ],
  ],
]

const rational = (r: Round, x: number, alpha: number, total: number, beta: number): number => {
  const u = Math.log(x)
  const a = Math.log(alpha) - u
  const b = Math.log(total) - a
  const pu = [1, u, u * u]
  const pa = [1, a, a * a]
  let p = 0
  let q = 0
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      const ua = pu[i]! * pa[j]!
      const cp = C[0]![i]![j]!
      const cq = C[1]![i]![j]!
      p += ua * (cp[0]! + b * (cp[1]! + b * (cp[2]! + b * cp[3]!)))
      q += ua * (cq[0]! + b * (cq[1]! + b * (cq[2]! + b * cq[3]!)))
    }
  }
  const approx = (x * (r(digamma(total)) - r(digamma(alpha)))) / beta
  return r((p / q) * approx)
}

/**
 * (dx/dα of the Beta(α, total − α) marginal) / (1 − x) at a Dirichlet coordinate x of
 * concentration α and total concentration `total`, as PyTorch approximates it (`_dirichlet_grad`).
 */
export const dirichletGrad = (x: number, alpha: number, total: number, f32: boolean): number => {
  const r = f32 ? Math.fround : id
  const beta = r(total - alpha)
  const boundary = r(r(total * x) * r(1 - x))
  if (x <= 0.5 && boundary < 2.5) return alphaSmall(r, x, alpha, beta)
  if (x >= 0.5 && boundary < 0.75) return -betaSmall(r, r(1 - x), beta, alpha)
  if (alpha > 6 && beta > 6) return r(alphaMid(x, alpha, total - alpha))
  return rational(r, x, alpha, total, total - alpha)
}
