/**
 * torch.nn.utils.parametrize, nn.utils.parametrizations (spectral_norm, orthogonal, weight_norm)
 * and the hook forms nn.utils.weight_norm / spectral_norm against real PyTorch 1.13
 * (fixtures/parametrize.py writes fixtures/parametrize.json): values, state_dict keys, reprs,
 * gradients of Σ out·W (W = sin(0.37k) + 0.5) and error texts. Random state (spectral norm's u
 * and v, orthogonal's base) is PyTorch's, loaded from the fixture.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { sinWeights } from '../../helpers/sinWeights'
import { errOf } from '../../helpers/fixtureErrors'
import fixture from '../fixtures/parametrize.json'

type T = torch.Tensor
type Mod = torch.nn.Module
const { nn } = torch
const P = torch.nn.utils.parametrize
const PZ = torch.nn.utils.parametrizations

const close = (got: T | null | undefined, want: unknown, what: string, tol = 1e-12): void => {
  expect(got, what).toBeTruthy()
  const g = [(got as T).tolist()].flat(4) as number[]
  const w = [want].flat(4) as number[]
  expect(g.length, what).toBe(w.length)
  g.forEach((v, i) => expect(Math.abs(v - w[i]!), `${what}[${i}]: ${v} vs ${w[i]}`).toBeLessThanOrEqual(tol))
}

const f64 = (v: unknown): T => torch.tensor(v as torch.TensorData, { dtype: torch.float64 })
const keys = (m: Mod): string[] => Object.keys(m.state_dict())
const at = (m: Mod, path: string): T => m.get_parameter(path)
const buf = (m: Mod, path: string): T => m.get_buffer(path)
const plist = (m: Mod, name = 'weight'): torch.nn.utils.parametrize.ParametrizationList =>
  (m.get_submodule('parametrizations') as torch.nn.ModuleDict).get(
    name,
  ) as torch.nn.utils.parametrize.ParametrizationList

/** PyTorch's `linear(i, o)` of the fixture script: weight W − 0.6, bias linspace(−0.3, 0.4, o). */
const linear = (i: number, o: number): torch.nn.Linear => {
  const lin = nn.Linear(i, o, { dtype: torch.float64 })
  torch.no_grad(() => {
    lin.weight.copy_(sinWeights([o, i]).sub(0.6))
    ;(lin.bias as T).copy_(torch.linspace(-0.3, 0.4, o, { dtype: torch.float64 }))
  })
  return lin
}
const lossOf = (out: T): T => out.mul(sinWeights(out.shape)).sum()
const X3 = sinWeights([2, 3]).sub(0.3)
const X4 = sinWeights([2, 4]).sub(0.3)

class Symmetric extends nn.Module {
  forward(x: T): T {
    return x.triu().add(x.triu(1).mT)
  }
}
class Double extends nn.Module {
  forward(x: T): T {
    return x.mul(2)
  }
  right_inverse(x: T): T {
    return x.div(2)
  }
}
class SumOfTwo extends nn.Module {
  forward(a: T, b: T): T {
    return a.add(b)
  }
  right_inverse(x: T): T[] {
    return [x.mul(0.25), x.mul(0.75)]
  }
}
class Drop extends nn.Module {
  forward(x: T): T {
    return x.index(':-1')
  }
}

describe('parametrize.register_parametrization', () => {
  const fx = fixture.symmetric
  it('Symmetric on Linear: value, state_dict keys, repr, gradients, set without right_inverse', () => {
    const lin = linear(3, 3)
    P.register_parametrization(lin, 'weight', new Symmetric())
    const y = lin(X3)
    lossOf(y).backward()
    close(lin.weight, fx.weight, 'weight')
    close(y, fx.out, 'out')
    close(at(lin, 'parametrizations.weight.original').grad, fx.grad_original, 'grad original')
    close(lin.bias?.grad, fx.grad_bias, 'grad bias')
    expect(keys(lin)).toEqual(fx.keys)
    expect([...lin.named_parameters()].map(([k]) => k)).toEqual(fx.named_parameters)
    expect(String(lin)).toBe(fx.repr)
    expect(errOf(() => (lin.weight = torch.eye(3, { dtype: torch.float64 })))).toEqual(fx.set_error)
    expect([P.is_parametrized(lin), P.is_parametrized(lin, 'weight'), P.is_parametrized(lin, 'bias')]).toEqual(
      fx.is_parametrized,
    )
    expect(P.type_before_parametrizations(lin).name).toBe(fx.type_before)
    expect(lin instanceof nn.Linear).toBe(true)
    // stacking a second parametrization, and its shape check
    P.register_parametrization(lin, 'weight', new Double())
    close(lin.weight, fixture.stacked.weight, 'stacked weight')
    expect(String(lin)).toBe(fixture.stacked.repr)
    expect(keys(lin)).toEqual(fixture.stacked.keys)
    expect(errOf(() => P.register_parametrization(lin, 'weight', new Drop()))).toEqual(fixture.stacked_shape_error)
    expect(plist(lin).length).toBe(2)
    P.remove_parametrizations(lin, 'weight')
    close(lin.weight, fixture.removed.weight, 'removed weight')
    expect(keys(lin)).toEqual(fixture.removed.keys)
    expect(String(lin)).toBe(fixture.removed.repr)
    expect(lin.weight instanceof nn.Parameter).toBe(true)
    expect(Object.getPrototypeOf(lin)).toBe(nn.Linear.prototype)
  })

  it('right_inverse at registration and on assignment; remove with leave_parametrized=False', () => {
    const fx2 = fixture.double
    const lin = linear(3, 3)
    P.register_parametrization(lin, 'weight', new Double())
    close(at(lin, 'parametrizations.weight.original'), fx2.original_after_register, 'original')
    lin.weight = sinWeights([3, 3])
    close(at(lin, 'parametrizations.weight.original'), fx2.original_after_set, 'original after set')
    close(lin.weight, fx2.weight, 'weight')
    P.remove_parametrizations(lin, 'weight', false)
    close(lin.weight, fx2.removed_unparametrized, 'removed (original)')
  })

  it('right_inverse returning a tuple: original0, original1', () => {
    const fx3 = fixture.tuple
    const lin = linear(3, 2)
    P.register_parametrization(lin, 'weight', new SumOfTwo())
    const y = lin(X3)
    lossOf(y).backward()
    expect(keys(lin)).toEqual(fx3.keys)
    close(at(lin, 'parametrizations.weight.original0'), fx3.original0, 'original0')
    close(at(lin, 'parametrizations.weight.original1'), fx3.original1, 'original1')
    close(y, fx3.out, 'out')
    close(at(lin, 'parametrizations.weight.original0').grad, fx3.grad0, 'grad0')
    close(at(lin, 'parametrizations.weight.original1').grad, fx3.grad1, 'grad1')
    expect(errOf(() => P.remove_parametrizations(lin, 'weight', { leave_parametrized: false }))).toEqual(
      fx3.leave_false_error,
    )
    expect(keys(lin)).toEqual(fx3.keys)
  })

  it('errors, and a failed registration leaves the module as it was', () => {
    const fe = fixture.errors
    const lin = linear(3, 3)
    const w = lin.weight
    expect(errOf(() => P.register_parametrization(lin, 'nope', new Double()))).toEqual(fe.missing)
    expect(errOf(() => P.register_parametrization(lin, 'weight', new Drop()))).toEqual(fe.shape)
    expect(errOf(() => P.remove_parametrizations(lin, 'weight'))).toEqual(fe.not_parametrized)
    expect(keys(lin)).toEqual(fe.shape_keys_after)
    expect(lin.weight).toBe(w)
    expect(P.is_parametrized(lin)).toBe(false)
    expect(
      errOf(() => P.register_parametrization(lin, 'weight', new Double(), { unsafe: true, nope: 1 } as never)),
    ).toEqual(['TypeError', "register_parametrization() got an unexpected keyword argument 'nope'"])
    // a failing right_inverse restores the original's value
    class Bad extends nn.Module {
      forward(x: T): T {
        return x.index(':-1')
      }
      right_inverse(x: T): T {
        return x.mul(3)
      }
    }
    expect(errOf(() => P.register_parametrization(lin, 'weight', new Bad()))![1]).toMatch(/may not change the shape/)
    close(lin.weight, linear(3, 3).weight.tolist(), 'weight restored')
  })

  it('cached() computes each parametrized tensor once', () => {
    const lin = linear(3, 3)
    let calls = 0
    class Count extends nn.Module {
      forward(x: T): T {
        calls++
        return x
      }
    }
    P.register_parametrization(lin, 'weight', new Count())
    calls = 0
    P.cached(() => {
      expect(lin.weight).toBe(lin.weight)
    })
    expect(calls).toBe(1)
    const ctx = P.cached()
    ctx.enter()
    void lin.weight
    void lin.weight
    ctx.exit()
    expect(calls).toBe(2)
    void lin.weight
    expect(calls).toBe(3)
  })
})

describe('parametrizations.spectral_norm', () => {
  type SpectralCase = { [K in keyof typeof fixture.spectral_linear]: unknown } & { keys: string[] }
  const run = (mod: Mod, fx: SpectralCase, x: T): void => {
    PZ.spectral_norm(mod)
    const sn = plist(mod).at(0)
    buf(sn, '_u').copy_(f64(fx.u0))
    buf(sn, '_v').copy_(f64(fx.v0))
    const w1 = (mod as unknown as { weight: T }).weight
    const y = (mod as unknown as (x: T) => T)(x)
    lossOf(y).backward()
    expect(keys(mod)).toEqual(fx.keys)
    close(w1, fx.weight_train, 'weight (train)', 1e-10)
    close(y, fx.out, 'out', 1e-10)
    close(buf(sn, '_u'), fx.u, 'u', 1e-10)
    close(buf(sn, '_v'), fx.v, 'v', 1e-10)
    close(at(mod, 'parametrizations.weight.original').grad, fx.grad_original, 'grad original', 1e-10)
    mod.eval()
    close((mod as unknown as { weight: T }).weight, fx.weight_eval, 'weight (eval)', 1e-10)
  }
  it('Linear (dim 0)', () => run(linear(4, 3), fixture.spectral_linear, X4))
  it('ConvTranspose1d (dim 1)', () => {
    const ct = nn.ConvTranspose1d(2, 3, 2, { dtype: torch.float64 })
    torch.no_grad(() => {
      ct.weight.copy_(sinWeights([2, 3, 2]).sub(0.4))
      ;(ct.bias as T).zero_()
    })
    run(ct, fixture.spectral_convT, sinWeights([1, 2, 3]))
  })
})

describe('parametrizations.orthogonal', () => {
  const cases: Array<[keyof typeof fixture.orthogonal, [number, number], 'cayley' | 'matrix_exp' | null]> = [
    ['square_default', [3, 3], null],
    ['square_cayley', [3, 3], 'cayley'],
    ['tall_householder', [4, 3], null],
    ['wide_householder', [2, 3], null],
    ['tall_matrix_exp', [4, 3], 'matrix_exp'],
  ]
  for (const [name, [o, i], map] of cases) {
    it(`${name}: value, original and gradient (PyTorch's base loaded)`, () => {
      const fx = fixture.orthogonal[name] as typeof fixture.orthogonal.square_default
      const lin = linear(i, o)
      PZ.orthogonal(lin, { orthogonal_map: map })
      const orth = plist(lin).at(0)
      if (o === i) close(buf(orth, 'base'), fx.base, 'base', 1e-10)
      else orth._attrs()['base'] = f64(fx.base)
      const y = lin(sinWeights([2, i]).sub(0.3))
      lossOf(y).backward()
      expect(keys(lin)).toEqual(fx.keys)
      close(lin.weight, fx.weight, 'weight', 1e-10)
      close(at(lin, 'parametrizations.weight.original'), fx.original, 'original', 1e-10)
      close(at(lin, 'parametrizations.weight.original').grad, fx.grad_original, 'grad original', 1e-9)
    })
  }
  it('errors', () => {
    expect(errOf(() => PZ.orthogonal(linear(2, 2), { orthogonal_map: 'qr' as never }))).toEqual(
      fixture.orthogonal.bad_map,
    )
    expect(errOf(() => PZ.orthogonal(linear(2, 2), 'bias'))).toEqual(fixture.orthogonal.vector)
  })
})

describe('parametrizations.weight_norm (PyTorch 2.x form)', () => {
  for (const [name, dim] of [
    ['dim0', 0],
    ['dim1', 1],
    ['none', null],
  ] as const) {
    it(`dim ${String(dim)}`, () => {
      const fx = fixture.weight_norm_param[name]
      const lin = linear(3, 2)
      const w0 = lin.weight.detach().clone()
      PZ.weight_norm(lin, { dim })
      close(lin.weight, w0.tolist(), 'weight unchanged')
      const y = lin(X3)
      lossOf(y).backward()
      expect(keys(lin)).toEqual(fx.keys)
      close(at(lin, 'parametrizations.weight.original0'), fx.g, 'g')
      close(lin.weight, fx.weight, 'weight')
      close(at(lin, 'parametrizations.weight.original0').grad, fx.grad_g, 'grad g')
      close(at(lin, 'parametrizations.weight.original1').grad, fx.grad_v, 'grad v')
    })
  }
})

describe('hook forms: nn.utils.weight_norm / spectral_norm', () => {
  for (const [name, dim] of [
    ['dim0', 0],
    ['none', null],
  ] as const) {
    it(`weight_norm dim ${String(dim)}`, () => {
      const fx = fixture.weight_norm_hook[name]
      const lin = nn.utils.weight_norm(linear(3, 2), { dim })
      expect(keys(lin)).toEqual(fx.keys)
      close(lin.weight_g, fx.g, 'g')
      const y = lin(X3)
      lossOf(y).backward()
      close(y, fx.out, 'out')
      close(lin.weight_g.grad, fx.grad_g, 'grad g')
      close(lin.weight_v.grad, fx.grad_v, 'grad v')
      expect(errOf(() => nn.utils.weight_norm(lin, { dim }))).toEqual(fx.twice)
      nn.utils.remove_weight_norm(lin)
      expect(keys(lin)).toEqual(fx.removed_keys)
      close(lin.weight, fx.removed_weight, 'removed weight')
      expect(errOf(() => nn.utils.remove_weight_norm(lin))).toEqual(fx.remove_again)
    })
  }

  it('spectral_norm (PyTorch u, v loaded)', () => {
    const fx = fixture.spectral_hook
    const lin = nn.utils.spectral_norm(linear(4, 3))
    expect(keys(lin)).toEqual(fx.keys)
    buf(lin, 'weight_u').copy_(f64(fx.u0))
    buf(lin, 'weight_v').copy_(f64(fx.v0))
    const y = lin(X4)
    lossOf(y).backward()
    close(y, fx.out, 'out', 1e-10)
    close(lin.weight, fx.weight, 'weight', 1e-10)
    close(buf(lin, 'weight_u'), fx.u, 'u', 1e-10)
    close(buf(lin, 'weight_v'), fx.v, 'v', 1e-10)
    close(at(lin, 'weight_orig').grad, fx.grad_orig, 'grad orig', 1e-10)
    expect(errOf(() => nn.utils.spectral_norm(lin))).toEqual(fx.twice)
    lin.eval()
    close(lin(X4), fx.out_eval, 'out (eval)', 1e-10)
    nn.utils.remove_spectral_norm(lin)
    expect(keys(lin)).toEqual(fx.removed_keys)
    close(lin.weight, fx.removed_weight, 'removed weight', 1e-10)
    expect(errOf(() => nn.utils.remove_spectral_norm(lin))).toEqual(fx.remove_again)
  })
})
