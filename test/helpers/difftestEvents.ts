/**
 * Recorded tensors as scripts/difftest's events carry them, for the comparison and explanation
 * tests: a float32 leaf with the given values (no grad_fn, version 0).
 */
export const recordedLeaf = (values: number[]) =>
  ({
    shape: [values.length],
    dtype: 'torch.float32',
    grad_fn: null,
    requires_grad: false,
    is_leaf: true,
    version: 0,
    values,
  }) as const
