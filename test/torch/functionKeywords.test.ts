import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'
import { FUNCTION_KEYWORDS } from '../../src/torch/functionKeywords'

// PyTorch's keyword names of every torch.* function (test/torch/fixtures/function_keywords.py on
// PyTorch 1.13): the facade's function refuses any other keyword with Python's TypeError (issue 10),
// where a JS function would ignore an unknown key of its options object. The Tensor methods have the
// same sweep in methodKeywords.test.ts.
type Entry =
  | { readonly kind: 'none'; readonly label: string }
  | { readonly kind: 'names'; readonly names: ReadonlyArray<string> }
  | { readonly kind: 'any' }
const fixture = JSON.parse(readFileSync(new URL('./fixtures/function_keywords.json', import.meta.url), 'utf8')) as {
  functions: Record<string, Entry>
  cases: Record<string, string>
}
const T = torch as unknown as Record<string, unknown>

const errorOf = (f: () => unknown): string => {
  try {
    torch.warnings.catch_warnings(f)
    return ''
  } catch (e) {
    return e instanceof Error ? e.message : String(e)
  }
}

/**
 * torch.* functions that still ignore an unknown keyword, or fail another way before looking at it
 * (functions written outside the checked forms `torchFunction`/`outForm`; `save`, whose saved object
 * may be a plain object and cannot be told from a keyword object): the test fails when one starts
 * refusing it, so that the list only shrinks.
 */
const KNOWN_GAPS: ReadonlyArray<string> = `
save
adaptive_avg_pool1d adaptive_max_pool1d alpha_dropout alpha_dropout_ autocast_decrement_nesting
autocast_increment_nesting avg_pool1d batch_norm bernoulli bilinear binary_cross_entropy_with_logits
broadcast_shapes bucketize can_cast celu celu_ chain_matmul channel_shuffle clear_autocast_cache
constant_pad_nd conv_transpose1d conv_transpose2d conv_transpose3d convolution cosine_embedding_loss
cosine_similarity ctc_loss cumulative_trapezoid dropout dropout_ embedding embedding_renorm_
feature_alpha_dropout feature_alpha_dropout_ feature_dropout feature_dropout_ get_autocast_cpu_dtype
get_autocast_gpu_dtype get_default_dtype get_device get_num_interop_threads grid_sampler grid_sampler_2d
grid_sampler_3d group_norm hardshrink hinge_embedding_loss histc histogram index_put_ instance_norm
is_anomaly_check_nan_enabled is_anomaly_enabled is_autocast_cache_enabled is_autocast_cpu_enabled
is_autocast_enabled is_grad_enabled is_inference_mode_enabled is_warn_always_enabled kl_div layer_norm
margin_ranking_loss max_pool1d max_pool1d_with_indices max_pool2d max_pool3d multinomial narrow_copy
native_batch_norm native_channel_shuffle native_dropout native_group_norm native_layer_norm native_norm
norm_except_dim normal pairwise_distance pdist pixel_shuffle pixel_unshuffle poisson_nll_loss polygamma prelu
promote_types range rrelu rrelu_ selu selu_ threshold threshold_ trapezoid trapz triplet_margin_loss
`
  .split(/\s+/)
  .filter((w) => w !== '')
  .sort()

describe('torch.* functions take only the keywords PyTorch accepts', () => {
  it('the table the facade reads agrees with the fixture', () => {
    const want = Object.entries(fixture.functions).map(([k, e]) => [
      k,
      e.kind === 'names' ? { kind: 'names', names: [...e.names].sort() } : e,
    ])
    const got = [...FUNCTION_KEYWORDS].map(([k, r]) => [
      k,
      r.kind === 'names' ? { kind: 'names', names: [...r.names].sort() } : r,
    ])
    expect(Object.fromEntries(got)).toEqual(Object.fromEntries(want))
  })

  it('every torch.* function that PyTorch has refuses a bogus keyword with Python-style text', () => {
    // Arrange: functions that set global state are left out (called wrongly they could change it)
    const names = Object.keys(fixture.functions).filter(
      (k) =>
        typeof T[k] === 'function' &&
        fixture.functions[k]?.kind !== 'any' &&
        !/^[A-Z]/.test(k) &&
        !/^(set_|use_|manual_seed|seed$)/.test(k),
    )
    // Act
    const ignoring = names.filter((k) => {
      const msg = errorOf(() => (T[k] as (...a: unknown[]) => unknown)({ __bogus__: 1 }))
      return !/unexpected keyword argument '__bogus__'|takes no keyword arguments|invalid combination of arguments - got \(.*__bogus__=/.test(
        msg,
      )
    })
    // Assert
    expect(names.length).toBeGreaterThan(400)
    expect(ignoring).toEqual(KNOWN_GAPS)
  }, 120_000)

  it("raises Python's messages", () => {
    const x = torch.ones(2, 2)
    const c = fixture.cases
    const f = (k: string, ...a: unknown[]): string => errorOf(() => (T[k] as (...b: unknown[]) => unknown)(...a))
    expect(f('zeros_like', x, { foo: 1 })).toBe(c.zeros_like_foo)
    expect(f('tril_indices', 3, 3, { foo: 1 })).toBe(c.tril_indices_foo)
    // an overloaded function lists PyTorch's signatures (a JS array prints as `list`, 1 as `int`)
    expect(f('full', [2], 1, { foo: 1 })).toBe(c.full_foo?.replace('got (tuple, float, ', 'got (list, int, '))
    expect(f('arange', 3, { foo: 1 })).toBe(c.arange_foo)
    expect(f('hann_window', 3, { foo: 1 })).toBe(c.hann_window_foo)
  })

  it('accepted keywords still work', () => {
    expect(torch.zeros_like(torch.ones(2), { dtype: torch.float64 }).dtype).toBe(torch.float64)
    expect(torch.full([2], 3, { dtype: torch.float64 }).tolist()).toEqual([3, 3])
    expect(torch.arange(0, 3, { dtype: torch.float32 }).tolist()).toEqual([0, 1, 2])
    expect(torch.tril_indices(2, 2, 0).tolist()).toEqual([
      [0, 1, 1],
      [0, 0, 1],
    ])
  })
})
