import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'
import { ignoresUnknownKeyword, probeKeywords } from '../helpers/keywordProbe'
import fixture from './fixtures/keyword_names.json'
import classCases from './fixtures/keyword_classes.json'

// Every parameter name of PyTorch's Python-level callables (functions and class constructors of
// nn.functional, nn.init, nn.utils*, nn, optim, optim.lr_scheduler, utils.data, distributions), as
// dumped by test/torch/fixtures/keyword_names.py on PyTorch 1.13, must be accepted as a keyword by the
// facade's callable of the same name: Python code may pass any of them by keyword, including the
// leading tensors (`F.mse_loss(input=x, target=y)`).
type Entry = { readonly kind: string; readonly names: ReadonlyArray<string> }
const namespaces = (fixture as { namespaces: Record<string, Record<string, Entry>> }).namespaces

/** Deliberate omissions: `callable: names`, each with its reason (none left: Hardtanh's deprecated min_value/max_value warn as PyTorch's). */
const DELIBERATE: Record<string, ReadonlyArray<string>> = {}

const lookup = (path: string): Record<string, unknown> | undefined => {
  let o: unknown = torch
  for (const p of path.split('.')) o = (o as Record<string, unknown> | undefined)?.[p]
  return o as Record<string, unknown> | undefined
}

/**
 * Callables that still ignore an unknown keyword where PyTorch raises `TypeError: <name>() got an
 * unexpected keyword argument '<kw>'` (issue 10): the test fails when one starts rejecting it, so
 * that the list only shrinks.
 */
const IGNORES_UNKNOWN: ReadonlyArray<string> = []

describe('keyword forms of every PyTorch parameter name', () => {
  const results = Object.entries(namespaces).flatMap(([path, entries]) =>
    Object.entries(entries).flatMap(([name, e]) => {
      const f = lookup(path)?.[name]
      return typeof f === 'function' ? [{ id: `${path}.${name}`, probe: probeKeywords(f, e.kind, e.names, name) }] : []
    }),
  )

  it('the probe reaches the keyword check of most callables', () => {
    expect(results.filter((r) => r.probe.checked).length).toBeGreaterThan(300)
  })

  it('accepts every name, except the deliberate omissions', () => {
    const got = Object.fromEntries(
      results.filter((r) => r.probe.missing.length > 0).map((r) => [r.id, r.probe.missing]),
    )
    expect(got).toEqual(DELIBERATE)
  })

  it('rejects an unknown keyword as PyTorch does, except the listed known gaps', () => {
    const ignoring = Object.entries(namespaces).flatMap(([path, entries]) =>
      Object.entries(entries).flatMap(([name, e]) => {
        const f = lookup(path)?.[name]
        return typeof f === 'function' && ignoresUnknownKeyword(f, e.kind) ? [`${path}.${name}`] : []
      }),
    )
    expect(ignoring).toEqual(IGNORES_UNKNOWN)
    const F = torch.nn.functional
    expect(() => (F.sigmoid as (...a: unknown[]) => unknown)(torch.ones(2), { foo: 1 })).toThrow(
      new torch.TorchTypeError("sigmoid() got an unexpected keyword argument 'foo'"),
    )
    expect(() => Reflect.construct(torch.nn.Linear, [2, 3, { foo: 1 }])).toThrow(
      new torch.TorchTypeError("Linear.__init__() got an unexpected keyword argument 'foo'"),
    )
  }, 120_000)
  it("Python-level classes and functions raise Python's TypeError texts (fixtures/keyword_classes.py)", () => {
    const c = classCases
    const msg = (f: () => unknown): string => {
      try {
        torch.warnings.catch_warnings(f)
        return ''
      } catch (e) {
        return e instanceof Error ? e.message : String(e)
      }
    }
    const C = (k: unknown, ...a: unknown[]): string =>
      msg(() => Reflect.construct(k as new (...b: unknown[]) => unknown, a))
    const { nn, utils, optim, distributions } = torch
    expect(C(nn.PixelShuffle, 2, { foo: 1 })).toBe(c.PixelShuffle_foo)
    expect(C(nn.PixelShuffle, 2, 3)).toBe(c.PixelShuffle_extra)
    expect(C(nn.PixelShuffle)).toBe(c.PixelShuffle_none)
    expect(C(utils.data.Subset)).toBe(c.Subset_none)
    expect(C(utils.data.SubsetRandomSampler, [0], null, 3)).toBe(c.SubsetRandomSampler_extra)
    expect(C(nn.Transformer, { foo: 1 })).toBe(c.Transformer_foo)
    expect(C(optim.Optimizer, { foo: 1 })).toBe(c.Optimizer_foo)
    expect(C(distributions.ExponentialFamily, { foo: 1 })).toBe(c.Distribution_foo)
    expect(C(utils.data.DataLoader, { batch_size: 1 })).toBe(c.DataLoader_no_dataset)
    const py = (f: unknown, ...a: unknown[]): string => msg(() => (f as (...b: unknown[]) => unknown)(...a))
    expect(py(utils.data.default_collate, [1], { foo: 1 })).toBe(c.default_collate_foo)
    expect(py(nn.utils.parametrize.is_parametrized, nn.Linear(1, 1), 'weight', 3)).toBe(c.is_parametrized_extra)
    // the positional forms still work, and keywords reach their parameters
    const sub = Reflect.construct(utils.data.Subset, [{ dataset: ['a', 'b', 'c'], indices: [2] }]) as {
      getitem(i: number): unknown
    }
    expect(sub.getitem(0)).toBe('c')
    expect(py(utils.data.default_convert, { a: 1 })).toBe('') // a lone dict is the data, not keywords
    const m = Reflect.construct(nn.Transformer, [
      16,
      2,
      { num_encoder_layers: 1, num_decoder_layers: 1, dim_feedforward: 8 },
    ]) as torch.nn.Transformer
    expect(m.nhead).toBe(2)
    const [, w] = torch.warnings.catch_warnings(() => Reflect.construct(utils.data.Sampler, [[1, 2]]))
    expect(w.map((x) => x.message)).toEqual([
      '`data_source` argument is not used and will be removed in 2.2.0.You may still have custom implementation that utilizes it.',
    ])
  })
  it('moves leading keywords to their positions, and rejects a value given both ways', () => {
    const F = torch.nn.functional
    const py = (f: unknown, ...a: unknown[]): torch.Tensor => (f as (...b: unknown[]) => torch.Tensor)(...a)
    const [x, y] = [torch.tensor([1, 2]), torch.tensor([0, 0])]
    expect(py(F.mse_loss, { input: x, target: y }).item()).toBe(2.5)
    expect(py(F.mse_loss, x, { target: y, reduction: 'sum' }).item()).toBe(5)
    expect(py(F.relu, { input: torch.tensor([-1, 3]) }).tolist()).toEqual([0, 3])
    expect(() => F.relu(x, { input: x } as never)).toThrow(
      new torch.TorchTypeError("relu() got multiple values for argument 'input'"),
    )
    const t = py(torch.nn.init.constant_, { tensor: torch.empty(2), val: 4 })
    expect(t.tolist()).toEqual([4, 4])
  })
  it('constructors take their first argument by keyword (optim, lr_scheduler, data, nn)', () => {
    const C = (c: unknown, ...a: unknown[]): unknown => Reflect.construct(c as new (...b: unknown[]) => unknown, a)
    const p = torch.nn.Parameter(torch.ones(2))
    const opt = C(torch.optim.SGD, { params: [p], lr: 0.5 }) as torch.optim.SGD
    expect(opt.param_groups[0]?.lr).toBe(0.5)
    expect(() => C(torch.optim.SGD, [p], { params: [p] })).toThrow(
      new torch.TorchTypeError("SGD.__init__() got multiple values for argument 'params'"),
    )
    const s = C(torch.optim.lr_scheduler.StepLR, { optimizer: opt, step_size: 1 }) as torch.optim.lr_scheduler.StepLR
    expect(s.get_last_lr()).toEqual([0.5])
    const loader = C(torch.utils.data.DataLoader, { dataset: [1, 2, 3], batch_size: 2 }) as { length: number }
    expect(loader.length).toBe(2)
  })
  it("the schedulers' deprecated verbose keyword warns as PyTorch 2.x does (printing: optim/schedulerVerbose)", () => {
    const opt = torch.optim.SGD([torch.nn.Parameter(torch.ones(2))], { lr: 1 })
    const mk = (verbose: unknown): unknown =>
      Reflect.construct(torch.optim.lr_scheduler.ExponentialLR as never, [opt, { gamma: 0.5, verbose }])
    const [, w] = torch.warnings.catch_warnings(() => mk(false))
    expect(w.map((m) => m.message)).toEqual([
      'The verbose parameter is deprecated. Please use get_last_lr() to access the learning rate.',
    ])
    expect(torch.warnings.catch_warnings(() => mk('deprecated'))[1]).toEqual([])
  })
  it('softmin takes dtype (negates, then converts, as PyTorch)', () => {
    const y = torch.nn.functional.softmin(torch.tensor([0, Math.log(3)]), { dim: 0, dtype: torch.float64 })
    expect(y.dtype).toBe(torch.float64)
    const v = y.tolist() as number[]
    expect(Math.abs(v[0]! - 0.75)).toBeLessThan(1e-7)
    expect(Math.abs(v[1]! - 0.25)).toBeLessThan(1e-7)
  })
})
