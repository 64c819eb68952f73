import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/parametrizations.json'
import { expectClose, summary } from './portHelpers'
import { errorOf as err } from '../../helpers/fixtureErrors'

// PyTorch's "Parametrizations Tutorial" ported line by line (twin:
// test/torch/fixtures/ports/parametrizations.py): Symmetric, Skew, CayleyMap, MatrixExponential
// (chained), right_inverse initialisation, cached(), remove_parametrizations with and without
// leave_parametrized; then an unsafe shape-changing parametrization, orthogonal / spectral_norm /
// weight_norm, and a model mixing them trained with Adam for three steps (losses, outputs, gradients).
const { nn } = torch
const parametrize = nn.utils.parametrize
const P = nn.utils.parametrizations
type T = torch.Tensor
const flat = (t: T): number[] => t.detach().reshape(-1).tolist() as number[]
const names = (it: Iterable<[string, unknown]>): string[] => [...it].map(([n]) => n)
/** `module.<name>` read or assigned as Python does (a parametrized tensor's property). */
const attr = (m: torch.nn.Module): Record<string, T> => m as unknown as Record<string, T>
const plist = (m: torch.nn.Module, name = 'weight'): torch.nn.utils.parametrize.ParametrizationList =>
  (m.get_submodule('parametrizations') as torch.nn.ModuleDict).get(
    name,
  ) as torch.nn.utils.parametrize.ParametrizationList

const symmetric = (X: T): T => X.triu().add(X.triu(1).transpose(-1, -2))

class LinearSymmetric extends nn.Module {
  weight: torch.nn.Parameter
  constructor(n_features: number) {
    super()
    this.weight = nn.Parameter(torch.rand(n_features, n_features))
  }
  forward(x: T): T {
    const A = symmetric(this.weight)
    return x.matmul(A)
  }
}

class Symmetric extends nn.Module {
  forward(X: T): T {
    return X.triu().add(X.triu(1).transpose(-1, -2))
  }
}
class Skew extends nn.Module {
  forward(X: T): T {
    const A = X.triu(1)
    return A.sub(A.transpose(-1, -2))
  }
}
class CayleyMap extends nn.Module {
  declare Id: T
  constructor(n: number) {
    super()
    this.register_buffer('Id', torch.eye(n))
  }
  forward(X: T): T {
    // (I + X)(I - X)^{-1}
    return torch.linalg.solve(this.Id.sub(X), this.Id.add(X))
  }
}
class MatrixExponential extends nn.Module {
  forward(X: T): T {
    return torch.matrix_exp(X)
  }
}
class SymmetricInv extends Symmetric {
  right_inverse(A: T): T {
    return A.triu()
  }
}
class SkewInv extends Skew {
  right_inverse(A: T): T {
    // We assume that A is skew-symmetric
    // We take the upper-triangular elements, as these are those used in the forward
    return A.triu(1)
  }
}
// added: a rank-1 factorisation (two originals) and a shape-changing map (only with unsafe)
class RankOne extends nn.Module {
  forward(U: T, V: T): T {
    return U.matmul(V.T)
  }
  right_inverse(W: T): T[] {
    return [W.index(':', ':1').clone(), W.index(':1', ':').T.clone()]
  }
}
class Grow extends nn.Module {
  forward(X: T): T {
    return torch.cat([X, X.index(':1')], 0)
  }
}

class Net extends nn.Module {
  sym = nn.Linear(4, 4)
  orth = P.orthogonal(nn.Linear(4, 4))
  sn = P.spectral_norm(nn.Linear(4, 5))
  wn = P.weight_norm(nn.Linear(5, 3))
  low = nn.Linear(4, 4)
  constructor() {
    super()
    parametrize.register_parametrization(this.sym, 'weight', new SymmetricInv())
    parametrize.register_parametrization(this.sym, 'weight', new MatrixExponential())
    parametrize.register_parametrization(this.low, 'weight', new RankOne(), { unsafe: true })
  }
  forward(x: T): T {
    x = torch.tanh(this.sym.call(x)).add(this.low.call(x))
    x = torch.tanh(this.orth.call(x))
    return this.wn.call(torch.relu(this.sn.call(x)))
  }
}

const fx = fixture as unknown as Record<string, unknown>
const tol = (key: string, got: unknown, rtol = 1e-5, atol = 1e-6): void => expectClose(got, fx[key], rtol, atol, key)

describe('the PyTorch parametrizations tutorial', () => {
  it('builds the tutorial parametrizations as PyTorch does', () => {
    torch.manual_seed(0)
    let X = torch.rand(3, 3)
    let A = symmetric(X)
    expect(torch.allclose(A, A.T)).toBe(true) // A is symmetric
    tol('A', flat(A))

    const lsym = new LinearSymmetric(3)
    tol('linear_symmetric', flat(lsym.call(torch.rand(8, 3))))
    let layer: torch.nn.Module

    layer = nn.Linear(3, 3)
    parametrize.register_parametrization(layer, 'weight', new Symmetric())
    A = attr(layer).weight!
    expect(torch.allclose(A, A.T)).toBe(true) // A is symmetric
    tol('sym_weight', flat(A))

    const cnn = nn.Conv2d({ in_channels: 5, out_channels: 8, kernel_size: 3 })
    parametrize.register_parametrization(cnn, 'weight', new Skew())
    tol('kernels', [flat(cnn.weight.index(0, 1)), flat(cnn.weight.index(2, 2))])

    layer = nn.Linear(3, 3)
    parametrize.register_parametrization(layer, 'weight', new Symmetric())
    expect(names(layer.named_parameters())).toEqual(fx.params)
    expect(Object.keys(layer.state_dict())).toEqual(fx.state_dict)
    expect(plist(layer).length).toBe(fx.plist_len)
    expect(plist(layer)[0]!.constructor.name).toBe(fx.plist0)
    const sym = new Symmetric()
    const weight_orig = attr(plist(layer)).original!
    tol('dist_orig', torch.dist(attr(layer).weight!, sym.call(weight_orig)).item())

    const calls: string[] = []
    class NoisyParametrization extends nn.Module {
      forward(X: T): T {
        calls.push('Computing the Parametrization')
        return X
      }
    }
    layer = nn.Linear(4, 4)
    parametrize.register_parametrization(layer, 'weight', new NoisyParametrization())
    const w = attr(layer)
    let foo = w.weight!.add(w.weight!.T)
    let bar = w.weight!.sum()
    expect(calls.length).toBe(fx.calls_uncached)
    parametrize.cached(() => {
      foo = w.weight!.add(w.weight!.T)
      bar = w.weight!.sum()
    })
    expect([foo.shape, bar.shape]).toEqual([[4, 4], []])
    expect(calls.length).toBe(fx.calls_cached)

    layer = nn.Linear(3, 3)
    parametrize.register_parametrization(layer, 'weight', new Skew())
    parametrize.register_parametrization(layer, 'weight', new CayleyMap(3))
    X = attr(layer).weight!
    tol('cayley', flat(X))
    expect(torch.dist(X.T.matmul(X), torch.eye(3)).item()).toBeLessThan(1e-5) // X is orthogonal

    const layer_orthogonal = nn.Linear(3, 3)
    parametrize.register_parametrization(layer_orthogonal, 'weight', new Skew())
    parametrize.register_parametrization(layer_orthogonal, 'weight', new MatrixExponential())
    tol('expm_orth', flat(layer_orthogonal.weight))

    const layer_spd = nn.Linear(3, 3)
    parametrize.register_parametrization(layer_spd, 'weight', new Symmetric())
    parametrize.register_parametrization(layer_spd, 'weight', new MatrixExponential())
    X = layer_spd.weight
    tol('spd', flat(X))
    expect(torch.linalg.eigh(X).eigenvalues.gt(0).all().item()).toBe(fx.spd_pos) // X is positive definite

    layer = nn.Linear(3, 3)
    parametrize.register_parametrization(layer, 'weight', new SymmetricInv())
    X = torch.rand(3, 3)
    X = X.add(X.T) // X is now symmetric
    attr(layer).weight = X // Initialize layer.weight to be X
    tol('sym_init', torch.dist(attr(layer).weight!, X).item()) // layer.weight == X
    tol('sym_original', flat(attr(plist(layer)).original!))

    layer = nn.Linear(3, 3)
    parametrize.register_parametrization(layer, 'weight', new SkewInv())
    X = torch.rand(3, 3)
    X = X.sub(X.T) // X is now skew-symmetric
    attr(layer).weight = X // Initialize layer.weight to be X
    tol('skew_init', torch.dist(attr(layer).weight!, X).item()) // layer.weight == X

    let lin = nn.Linear(3, 3)
    parametrize.register_parametrization(lin, 'weight', new SkewInv())
    tol('skew_param', flat(lin.weight))
    parametrize.remove_parametrizations(lin, 'weight')
    tol('removed_kept', [flat(lin.weight), names(lin.named_parameters())])
    expect(lin.weight).toBeInstanceOf(nn.Parameter)

    lin = nn.Linear(3, 3)
    const before = flat(lin.weight)
    parametrize.register_parametrization(lin, 'weight', new SkewInv())
    parametrize.remove_parametrizations(lin, 'weight', { leave_parametrized: false })
    const after = flat(lin.weight)
    tol('removed_restored', [after.every((v, i) => v === before[i]), after])
  })

  it('registers unsafe, orthogonal, spectral_norm and weight_norm parametrizations as PyTorch does', () => {
    const safe = err(() => parametrize.register_parametrization(nn.Linear(4, 3), 'weight', new Grow()))
    expect(safe).toEqual(fx.grow_safe_err)
    const grown = nn.Linear(4, 3)
    parametrize.register_parametrization(grown, 'weight', new Grow(), { unsafe: true })
    expect(grown.weight.shape).toEqual(fx.grow_shape)
    expect(err(() => grown.call(torch.ones(2, 4)))?.[0]).toBe((fx.grow_err_forward as string[])[0])

    torch.manual_seed(1)
    const low = nn.Linear(4, 3)
    parametrize.register_parametrization(low, 'weight', new RankOne(), { unsafe: true })
    expect(Object.keys(low.state_dict())).toEqual(fx.rank_state)
    tol('rank_weight', flat(low.weight))

    torch.manual_seed(2)
    const orth = P.orthogonal(nn.Linear(4, 4))
    tol('orth_weight', flat(orth.weight))
    const orth_tall = P.orthogonal(nn.Linear(3, 5), { orthogonal_map: 'householder' })
    tol('orth_tall', flat(orth_tall.weight))
    const sn = P.spectral_norm(nn.Linear(5, 4))
    expect(Object.keys(sn.state_dict())).toEqual(fx.sn_state)
    const wn = P.weight_norm(nn.Linear(4, 2))
    expect(Object.keys(wn.state_dict())).toEqual(fx.wn_state)
  })

  it('trains a model of parametrized layers as PyTorch does', () => {
    torch.manual_seed(3)
    const net = new Net()
    const x = torch.randn(6, 4)
    const y = torch.tensor([0, 2, 1, 1, 0, 2], { dtype: torch.int64 })
    const opt = torch.optim.Adam(net.parameters(), { lr: 0.05 })
    const losses: number[] = []
    const grad = (): Record<string, number[]> =>
      Object.fromEntries([...net.named_parameters()].map(([n, p]) => [n, flat(p.grad as T)]))
    for (let step = 0; step < 3; step++) {
      opt.zero_grad()
      const logits = parametrize.cached(() => net.call(x))
      const loss = nn.functional.cross_entropy(logits, y)
      loss.backward()
      if (step === 0) {
        tol('grads0', grad(), 1e-4, 1e-6)
        tol('logits0', flat(logits))
      }
      opt.step()
      losses.push(loss.item() as number)
    }
    expect(names(net.named_parameters())).toEqual(fx.net_params)
    expect(names(net.named_buffers())).toEqual(fx.net_buffers)
    tol('losses', losses)
    tol('grads_last', grad(), 1e-4, 1e-6)
    net.eval()
    tol(
      'eval_out',
      torch.no_grad(() => flat(net.call(x))),
      1e-4,
      1e-6,
    )
    tol('trained', summary(net), 1e-4, 1e-5)
    parametrize.remove_parametrizations(net.sym, 'weight')
    parametrize.remove_parametrizations(net.low, 'weight', { leave_parametrized: true })
    expect(names(net.named_parameters())).toEqual(fx.removed_params)
  })
})
