/**
 * torch.onnx.export: a facade Module exported in eval mode runs in ONNX Runtime with the
 * facade's numbers; training flags are restored; unsupported options are refused.
 */
import * as ort from 'onnxruntime-web'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

ort.env.wasm.numThreads = 1

describe('torch.onnx.export', () => {
  it('an MLP with Dropout, exported in eval mode, gives the eval forward in ONNX Runtime', async () => {
    // Arrange
    torch.manual_seed(0)
    const model = torch.nn.Sequential(
      torch.nn.Linear(3, 5),
      torch.nn.Tanh(),
      torch.nn.Dropout(0.5),
      torch.nn.Linear(5, 2),
    )
    const x = torch.randn(4, 3)
    // Act
    const bytes = await torch.onnx.export(model, [x], null, {
      input_names: ['x'],
      output_names: ['y'],
      opset_version: 17,
    })
    const session = await ort.InferenceSession.create(bytes)
    const out = await session.run({
      x: new ort.Tensor('float32', Float32Array.from(x.flatten().tolist() as number[]), [4, 3]),
    })
    // Assert
    expect(model.training).toBe(true)
    model.eval()
    const want = torch
      .no_grad(() => model.call(x))
      .flatten()
      .tolist() as number[]
    Array.from(out.y?.data as Float32Array).forEach((v, i) => expect(v).toBeCloseTo(want[i] as number, 5))
  })

  it('refuses options it does not implement', async () => {
    const model = torch.nn.Linear(2, 2)
    await expect(torch.onnx.export(model, torch.ones(1, 2), null, { export_params: false })).rejects.toThrow(
      /export_params=False is not supported/,
    )
  })
})
