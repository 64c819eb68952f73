/**
 * The deterministic weights the PyTorch fixture scripts of the linear-algebra tests use:
 * sin(0.37·k) + 0.5 over the flat index k, as a float64 tensor of `shape`.
 */
import * as torch from 'wengert/torch'

export const sinWeights = (shape: ReadonlyArray<number>): torch.Tensor => {
  const n = shape.reduce((a, b) => a * b, 1)
  return torch
    .tensor(
      Array.from({ length: n }, (_, k) => Math.sin(0.37 * k) + 0.5),
      { dtype: torch.float64 },
    )
    .reshape([...shape])
}
