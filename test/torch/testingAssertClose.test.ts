/**
 * torch.testing.assert_close against real PyTorch 1.13 (fixtures/testing_assert_close.py writes
 * fixtures/testing_assert_close.json): for each case, whether it passes, else the error class
 * and the full message (tolerances per dtype, mismatch statistics, indices, item paths, msg).
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import fixture from './fixtures/testing_assert_close.json'

const ac = torch.testing.assert_close
const t = (d: torch.TensorData, dtype?: torch.TorchDType): torch.Tensor => torch.tensor(d, dtype ? { dtype } : {})
const A = t([1, 2, 3])
const B = t([1, 2.5, 3.1])
const f64 = torch.float64

/** The programs of fixtures/testing_assert_close.py, by case name. */
const CASES: Record<string, () => void> = {
  float32: () => ac(A, B),
  float64: () => ac(A.double(), B.double()),
  float32_passes: () => ac(A, A.add(1e-6)),
  'float64_fails_at_1e-6': () => ac(A.double(), A.double().add(1e-6)),
  dtype: () => ac(A, B.double()),
  dtype_unchecked: () => ac(A, B.double(), { check_dtype: false }),
  dtype_unchecked_f64_ratio: () => ac(t([1e-8, 123456.7]), t([2e-8, 123466.7]).double(), { check_dtype: false }),
  shape: () => ac(A, t([1, 2])),
  shape_2d: () => ac(torch.zeros(2, 3), torch.zeros(3, 2)),
  msg_string: () => ac(A, B, { msg: 'custom' }),
  msg_callable: () => ac(A, B, { msg: (m) => `Header\n\n${m}\n\nFooter` }),
  rtol_only: () => ac(A, B, { rtol: 1e-3 }),
  atol_only: () => ac(A, B, { atol: 1 }),
  tolerances_given: () => ac(A, B, { rtol: 0.1, atol: 0.1 }),
  zero_tolerances: () => ac(A, B, { rtol: 0, atol: 0 }),
  nan: () => ac(t([NaN]), t([NaN])),
  nan_equal: () => ac(t([1, NaN]), t([1, NaN]), { equal_nan: true }),
  inf_same: () => ac(t([1, Infinity]), t([1, Infinity])),
  inf_opposite: () => ac(t([1, Infinity]), t([1, -Infinity])),
  int64: () => ac(t([1, 2], torch.int64), t([1, 3], torch.int64)),
  int64_zero_expected: () => ac(t([1, 5], torch.int64), t([0, 5], torch.int64)),
  int_vs_float: () => ac(t([3, 4], torch.int64), t([3, 4])),
  int_vs_float_unchecked: () => ac(t([3, 4], torch.int64), t([3, 4.5]), { check_dtype: false }),
  bool: () => ac(t([true, false]), t([true, true])),
  matrix: () =>
    ac(
      t([
        [1, 2],
        [3, 4],
      ]),
      t([
        [1, 2],
        [3, 5],
      ]),
    ),
  scalar_tensor: () => ac(t(1), t(2)),
  scalar_tensor_zero: () => ac(t(0.5), t(0)),
  zero_expected: () => ac(t([0, 1]), t([0.1, 1])),
  all_mismatch: () => ac(torch.zeros(3), torch.ones(3)),
  one_of_sixteen: () => ac(torch.zeros(16), torch.cat([torch.ones(1), torch.zeros(15)])),
  ties_first_index: () => ac(t([1, 2, 3]), t([2, 3, 4])),
  empty: () => ac(torch.zeros(0), torch.zeros(0)),
  float_numbers: () => ac(1.0, 1.5),
  float_numbers_close: () => ac(1.0, 1.0 + 1e-8),
  float_number_nan: () => ac(1.0, NaN),
  float_number_nan_equal: () => ac(NaN, NaN, { equal_nan: true }),
  float_number_zero: () => ac(0.5, 0),
  booleans: () => ac(true, false),
  none_vs_number: () => ac(null, 1.5),
  none_none: () => ac(null, null),
  list: () => ac([A], [B]),
  nested: () => ac([A, { k: [A, B] }], [A, { k: [A, A] }]),
  nested_msg: () => ac([[A]], [[B]], { msg: (m) => `X${m}` }),
  list_length: () => ac([A, A], [A]),
  dict_keys: () => ac({ x: A }, { y: A }),
  tensor_vs_list: () => ac(A, [1, 2, 3]),
  tensor_vs_number: () => ac(A, 2.0),
  nested_type_error: () => ac([A, A], [A, 2.0]),
  structure_before_values: () => ac([A, A], [B, 2.0]),
  device_checked: () => ac(A, A.clone(), { check_device: true }),
  stride: () =>
    ac(
      t([
        [1, 2],
        [3, 4],
      ]),
      t(
        [
          [1, 3],
          [2, 4],
        ],
        torch.float32,
      ).t(),
      { check_stride: true },
    ),
  stride_unchecked: () =>
    ac(
      t([
        [1, 2],
        [3, 4],
      ]),
      t([
        [1, 3],
        [2, 4],
      ]).t(),
    ),
}

const outcome = (f: () => void): unknown => {
  try {
    f()
    return null
  } catch (e) {
    return [(e as Error).name, (e as Error).message]
  }
}

describe('torch.testing.assert_close against PyTorch 1.13', () => {
  it('covers every fixture case', () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(fixture.cases).sort())
  })
  it.each(Object.keys(fixture.cases))('%s', (name) => {
    expect(outcome(CASES[name]!)).toEqual((fixture.cases as Record<string, unknown>)[name])
  })
  it('float64 tensors use float64 tolerances even under a float64 default dtype', () => {
    expect(() => ac(t([1], f64), t([1 + 1e-8], f64))).not.toThrow()
  })
  it('isclose/allclose: infinities are close only to themselves, NaNs only under equal_nan', () => {
    const num = (v: number | string): number => (typeof v === 'number' ? v : Number(v.replace('inf', 'Infinity')))
    const x = t(fixture.isclose.x.map(num))
    const y = t(fixture.isclose.y.map(num))
    expect(torch.isclose(x, y).tolist()).toEqual(fixture.isclose.default)
    expect(torch.isclose(x, y, { equal_nan: true }).tolist()).toEqual(fixture.isclose.equal_nan)
    expect(torch.allclose(t([1, Infinity]), t([1, -Infinity]))).toBe(fixture.isclose.allclose_inf)
  })
  it('rejects unknown keyword arguments as Python does', () => {
    expect(() => ac(A, A, { rtl: 1 } as never)).toThrow("assert_close() got an unexpected keyword argument 'rtl'")
  })
})
