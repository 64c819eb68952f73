/**
 * A backward node's Python class name (`type(node).__name__`), which most fixture scripts record:
 * `name()` without the `torch::autograd::` namespace PyTorch's hand-written C++ nodes carry there
 * (test/torch/nodeNamesQualified.test.ts checks `name()` itself against PyTorch).
 */
import type * as torch from 'wengert/torch'

export const typeName = (fn: torch.autograd.Node | null): string | null =>
  fn === null ? null : fn.name().replace(/^torch::autograd::/, '')
