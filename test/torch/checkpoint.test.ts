/**
 * torch.utils.checkpoint against real PyTorch 1.13 (fixtures/checkpoint.py writes
 * fixtures/checkpoint.json): values, node names and gradients of Σ out·W through checkpoint
 * (reentrant and not) and checkpoint_sequential, the warning and error texts; and the RNG state
 * restored for the recomputation (dropout draws the same mask in forward and backward).
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { sinWeights } from '../helpers/sinWeights'
import fixture from './fixtures/checkpoint.json'

type T = torch.Tensor
const { checkpoint, checkpoint_sequential } = torch.utils.checkpoint
const f64 = { dtype: torch.float64 }
const leaf = (d: number[] | number[][]): T => torch.tensor(d, { dtype: torch.float64, requires_grad: true })

const close = (got: unknown, want: unknown, what: string): void => {
  const g = [got].flat(4) as number[]
  const w = [want].flat(4) as number[]
  expect(g.length, what).toBe(w.length)
  g.forEach((v, i) => expect(Math.abs(v - w[i]!), `${what}[${i}]: ${v} vs ${w[i]}`).toBeLessThanOrEqual(1e-12))
}

const FNS: Record<string, (a: T, b: T) => T | T[]> = {
  single: (a, b) => a.sin().mul(b).tanh(),
  tuple: (a, b) => [a.mul(b), a.add(b).exp()],
}

describe('checkpoint against PyTorch 1.13', () => {
  it.each(Object.keys(fixture.cases))('%s', (name) => {
    const c = (fixture.cases as Record<string, { values: number[][]; nodes: string[]; grads: number[][] }>)[name]!
    const a = leaf(fixture.inputs.A)
    const b = leaf(fixture.inputs.B)
    const out = checkpoint(FNS[name.split('_')[0]!]!, a, b, {
      use_reentrant: name.endsWith('_reentrant') && !name.includes('non'),
    })
    const outs = (Array.isArray(out) ? out : [out]) as T[]
    close(
      outs.map((o) => o.tolist()),
      c.values,
      `${name} values`,
    )
    expect(outs.map((o) => o.grad_fn?.name())).toEqual(c.nodes)
    outs
      .map((o) => o.mul(sinWeights([...o.shape])).sum())
      .reduce((p, q) => p.add(q))
      .backward()
    close([a.grad!.tolist(), b.grad!.tolist()], c.grads, `${name} grads`)
  })

  it('checkpoint_sequential: values, node name, input and parameter gradients', () => {
    const s = fixture.sequential
    const seq = torch.nn.Sequential(
      torch.nn.Linear(3, 4, f64),
      torch.nn.Tanh(),
      torch.nn.Linear(4, 4, f64),
      torch.nn.Sigmoid(),
      torch.nn.Linear(4, 2, f64),
    )
    const params = [...seq.parameters()]
    torch.no_grad(() => params.forEach((p, i) => p.copy_(torch.tensor(s.params[i] as torch.TensorData, f64))))
    const x = leaf([fixture.inputs.A, fixture.inputs.B])
    const y = checkpoint_sequential(seq, 2, x)
    close(y.tolist(), s.value, 'value')
    expect(y.grad_fn?.name()).toBe(s.node)
    y.mul(sinWeights([...y.shape]))
      .sum()
      .backward()
    close(x.grad!.tolist(), s.grad, 'input grad')
    params.forEach((p, i) => close(p.grad!.tolist(), s.grads[i], `param ${i} grad`))
  })

  it('warns when no input requires grad', () => {
    const [r, ws] = torch.warnings.catch_warnings(() => checkpoint((t: T) => t.mul(2), torch.ones(2)) as T)
    expect(ws.map((w) => w.message)).toEqual(fixture.no_grad_inputs.warnings)
    expect(r.requires_grad).toBe(fixture.no_grad_inputs.requires_grad)
  })

  it('error texts', () => {
    const a = leaf(fixture.inputs.A)
    const E: Record<string, () => unknown> = {
      grad: () => torch.autograd.grad([(checkpoint((t: T) => t.mul(2), a) as T).sum()], [a]),
      backward_inputs: () => (checkpoint((t: T) => t.mul(2), a) as T).sum().backward(undefined, { inputs: [a] }),
      unexpected_kw: () => checkpoint((t: T) => t.mul(2), a, { foo: 1 }),
      sequential_kw: () => checkpoint_sequential([], 2, a, { use_reentrant: false } as never),
    }
    for (const [name, [type, message]] of Object.entries(
      fixture.errors as unknown as Record<string, [string, string]>,
    )) {
      let got: Error | undefined
      try {
        E[name]!()
      } catch (e) {
        got = e as Error
      }
      expect([name, got?.name, got?.message]).toEqual([name, type, message])
    }
  })
})

describe('checkpoint restores the generator state for the recomputation', () => {
  const drop = (t: T): T => torch.nn.functional.dropout(t.mul(3), { p: 0.5 })
  it('dropout inside a checkpoint: the same values and gradients as without checkpointing', () => {
    const x = leaf([[0.5, -1.2, 2.0, 0.7, 1.1, -0.3, 0.9, 2.2]])
    torch.manual_seed(7)
    const plain = drop(x)
    plain
      .mul(sinWeights([1, 8]))
      .sum()
      .backward()
    const want = x.grad!.tolist()
    x.grad = null
    torch.manual_seed(7)
    const ck = checkpoint(drop, x) as T
    torch.randn(5) // the generator moves on before backward
    ck.mul(sinWeights([1, 8]))
      .sum()
      .backward()
    expect(ck.tolist()).toEqual(plain.tolist())
    expect(x.grad!.tolist()).toEqual(want)
  })
  it('preserve_rng_state: false recomputes with the generator as it is at backward', () => {
    const x = leaf(Array.from({ length: 64 }, (_, i) => i + 1))
    torch.manual_seed(7)
    const ck = checkpoint(drop, x, { preserve_rng_state: false }) as T
    ck.sum().backward()
    const kept = ck.ne(0)
    expect(x.grad!.ne(0).eq(kept).all().item()).toBe(false)
  })
})
