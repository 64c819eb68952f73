/**
 * Molecular dynamics in the style of jax-md (Schoenholz & Cubuk, "JAX, M.D.", NeurIPS 2020),
 * written as a user of the functional core would write it: `space.periodic` (minimum-image
 * displacement, positions wrapped by `jnp.mod`), `space.map_product` (a vmap of a vmap) and a
 * safe `space.distance`, the Lennard-Jones pair energy smoothed by the multiplicative isotropic
 * cutoff, `quantity.force` as `-grad(energy)`, and `simulate.nve` (velocity Verlet) stepped by
 * `lax.foriLoop` inside a `lax.scan` over blocks, under jit. Expected values: a float64 NumPy
 * run with the force in closed form (fixtures/jaxMd.py, same initial state).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  add,
  array,
  div,
  eye,
  grad,
  greater,
  jit,
  lax,
  less,
  logicalAnd,
  mod,
  mul,
  neg,
  sqrt,
  square,
  sub,
  sum,
  vmap,
  where,
  type NdArray,
} from 'wengert'

const fx = JSON.parse(readFileSync(new URL('./fixtures/jaxMd.json', import.meta.url), 'utf8')) as {
  R0: number[][]
  V0: number[][]
  E0: number
  F0: number[][]
  R: number[][]
  V: number[][]
  total_energies: number[]
  potentials: number[]
}
const f64 = (x: number[][]): NdArray => array(x, { dtype: 'float64' })
const flat = (x: NdArray): number[] => (x.reshape([-1]).toArray() as number[]).map(Number)
const close = (got: NdArray, want: number[][] | number[], tol: number): void => {
  const e = want.flat()
  const g = flat(got)
  expect(g.length).toBe(e.length)
  g.forEach((v, i) => expect(Math.abs(v - e[i]!)).toBeLessThanOrEqual(tol))
}

type Displacement = (Ra: NdArray, Rb: NdArray) => NdArray
type Shift = (R: NdArray, dR: NdArray) => NdArray

// ---- space ------------------------------------------------------------------------------
const space = {
  periodic(side: number): [Displacement, Shift] {
    const displacement_fn = (Ra: NdArray, Rb: NdArray): NdArray =>
      sub(mod(add(sub(Ra, Rb), side * 0.5), side), 0.5 * side)
    const shift_fn = (R: NdArray, dR: NdArray): NdArray => mod(add(R, dR), side)
    return [displacement_fn, shift_fn]
  },
  // all pairs: metric(Ra[i], Rb[j]) for every i, j
  map_product: (metric: Displacement): Displacement =>
    vmap(vmap(metric, { inAxes: [0, null] }), { inAxes: [null, 0] }) as Displacement,
  // |dR| with a finite gradient at dR = 0 (the diagonal of the pair matrix)
  distance(dR: NdArray): NdArray {
    const r2 = sum(square(dR), -1)
    const safe = where(greater(r2, 0), r2, 1)
    return where(greater(r2, 0), sqrt(safe), 0)
  },
}

// ---- energy -----------------------------------------------------------------------------
const multiplicative_isotropic_cutoff =
  (fn: (dr: NdArray) => NdArray, r_onset: number, r_cutoff: number) =>
  (dr: NdArray): NdArray => {
    const [r_c, r_o] = [r_cutoff ** 2, r_onset ** 2]
    const r = square(dr)
    const inner = div(mul(square(sub(r_c, r)), sub(add(r_c, mul(2, r)), 3 * r_o)), (r_c - r_o) ** 3)
    const smooth = where(less(dr, r_onset), 1, where(less(dr, r_cutoff), inner, 0))
    return mul(fn(dr), smooth)
  }

const lennard_jones = (dr: NdArray, sigma = 1, epsilon = 1): NdArray => {
  const idr6 = lax.integerPow(div(sigma, where(greater(dr, 0), dr, 1)), 6)
  return mul(4 * epsilon, sub(square(idr6), idr6))
}

const energy = {
  lennard_jones_pair(displacement: Displacement, sigma = 1, epsilon = 1, r_onset = 2, r_cutoff = 2.5) {
    const pair = multiplicative_isotropic_cutoff((dr) => lennard_jones(dr, sigma, epsilon), r_onset, r_cutoff)
    const metric = space.map_product(displacement)
    return (R: NdArray): NdArray => {
      const dr = space.distance(metric(R, R))
      const off = logicalAnd(greater(dr, 0), less(dr, r_cutoff))
      return mul(0.5, sum(where(off, pair(dr), 0)))
    }
  },
}

const quantity = {
  force: (energy_fn: (R: NdArray) => NdArray) => (R: NdArray) => neg(grad(energy_fn)(R)),
  kinetic_energy: (V: NdArray, mass = 1): NdArray => mul(0.5 * mass, sum(square(V))),
}

// ---- simulate ---------------------------------------------------------------------------
type NVEState = { position: NdArray; velocity: NdArray; force: NdArray }

const simulate = {
  nve(energy_fn: (R: NdArray) => NdArray, shift_fn: Shift, dt: number) {
    const force_fn = quantity.force(energy_fn)
    const init_fn = (R: NdArray, V: NdArray): NVEState => ({ position: R, velocity: V, force: force_fn(R) })
    const apply_fn = (state: NVEState): NVEState => {
      const V_half = add(state.velocity, mul(0.5 * dt, state.force))
      const R = shift_fn(state.position, mul(dt, V_half))
      const F = force_fn(R)
      return { position: R, velocity: add(V_half, mul(0.5 * dt, F)), force: F }
    }
    return [init_fn, apply_fn] as const
  },
}

// ---- the program --------------------------------------------------------------------------
const box_size = 4.6
const dt = 0.005
const [displacement, shift] = space.periodic(box_size)
const energy_fn = energy.lennard_jones_pair(displacement, 1, 1, 2, 2.5)
const [init_fn, apply_fn] = simulate.nve(energy_fn, shift, dt)

const total_energy = (s: NVEState): NdArray => add(energy_fn(s.position), quantity.kinetic_energy(s.velocity))

const run_block = jit((state: NVEState): [NVEState, NdArray] => {
  const next = lax.foriLoop(0, 20, (_i: NdArray, s: NVEState) => apply_fn(s), state)
  return [next, total_energy(next)]
})

describe('jax-md style molecular dynamics (Lennard-Jones, periodic box, NVE)', () => {
  it('energy and force = −grad(energy) against the closed-form force', () => {
    const R0 = f64(fx.R0)
    expect(Math.abs((energy_fn(R0).item() as number) - fx.E0)).toBeLessThan(1e-11)
    close(quantity.force(energy_fn)(R0), fx.F0, 1e-10)
    // the pair matrix's diagonal (dR = 0) contributes no NaN to the gradient
    expect(flat(grad(energy_fn)(R0)).every(Number.isFinite)).toBe(true)
    // displacement is the minimum image: every component within half the box
    const dR = space.map_product(displacement)(R0, R0)
    expect(flat(dR).every((d) => Math.abs(d) <= box_size / 2)).toBe(true)
    expect(flat(sum(mul(eye(16), sum(square(dR), -1))))).toEqual([0])
  })

  it('velocity Verlet under foriLoop in a scan over blocks: trajectory and energy conservation', () => {
    const state0 = init_fn(f64(fx.R0), f64(fx.V0))
    const [state, energies] = lax.scan((s: NVEState) => run_block(s), state0, null, { length: 10 })
    close(state.position, fx.R, 1e-8)
    close(state.velocity, fx.V, 1e-8)
    const E = flat(energies)
    close(energies, fx.total_energies.slice(1), 1e-8)
    const E0 = total_energy(state0).item() as number
    expect(Math.abs(E0 - fx.total_energies[0]!)).toBeLessThan(1e-11)
    // NVE: the total energy drifts by less than 0.1% of its size over 200 steps
    expect(Math.max(...E.map((e) => Math.abs(e - E0)))).toBeLessThan(1e-3 * Math.abs(E0))
  })
})
