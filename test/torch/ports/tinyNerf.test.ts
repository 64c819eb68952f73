import { describe, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/tiny_nerf.json'
import { expectClose, summary } from './portHelpers'

// A tiny NeRF training loop as the PyTorch port of the tiny_nerf notebook writes it (twin:
// test/torch/fixtures/ports/tiny_nerf.py): positional encoding with 2**linspace bands, rays from
// torch.meshgrid and a camera-to-world matrix, stratified depths (linspace + rand jitter), the
// VeryTinyNerfModel over minibatches, volume rendering with an exclusive cumprod (roll plus an
// in-place write), MSE, Adam and PSNR.
const F = torch.nn.functional
type T = torch.Tensor

const positional_encoding = (tensor: T, num_encoding_functions = 6, include_input = true, log_sampling = true): T => {
  const encoding = include_input ? [tensor] : []
  const frequency_bands = log_sampling
    ? torch.pow(2.0, torch.linspace(0.0, num_encoding_functions - 1, num_encoding_functions, { dtype: tensor.dtype }))
    : torch.linspace(2.0 ** 0.0, 2.0 ** (num_encoding_functions - 1), num_encoding_functions, { dtype: tensor.dtype })
  for (const freq of frequency_bands.__iter__()) {
    for (const func of [torch.sin, torch.cos]) encoding.push(func(tensor.mul(freq)))
  }
  if (encoding.length === 1) return encoding[0]!
  return torch.cat(encoding, { dim: -1 })
}

const meshgrid_xy = (tensor1: T, tensor2: T): [T, T] => {
  const [ii, jj] = torch.meshgrid(tensor1, tensor2, { indexing: 'ij' }) as [T, T]
  return [ii.transpose(-1, -2), jj.transpose(-1, -2)]
}

const cumprod_exclusive = (tensor: T): T => {
  let cumprod = torch.cumprod(tensor, { dim: -1 })
  cumprod = torch.roll(cumprod, 1, -1)
  cumprod.set('...', 0, 1.0)
  return cumprod
}

const get_ray_bundle = (height: number, width: number, focal_length: number, tform_cam2world: T): [T, T] => {
  const [ii, jj] = meshgrid_xy(torch.arange(width).to(tform_cam2world), torch.arange(height).to(tform_cam2world))
  const directions = torch.stack(
    [
      ii.sub(width * 0.5).div(focal_length),
      jj
        .sub(height * 0.5)
        .div(focal_length)
        .neg(),
      torch.ones_like(ii).neg(),
    ],
    { dim: -1 },
  )
  const ray_directions = torch.sum(directions.index('...', null, ':').mul(tform_cam2world.index(':3', ':3')), {
    dim: -1,
  })
  const ray_origins = tform_cam2world.index(':3', -1).expand(ray_directions.shape)
  return [ray_origins, ray_directions]
}

const compute_query_points_from_rays = (
  ray_origins: T,
  ray_directions: T,
  near_thresh: number,
  far_thresh: number,
  num_samples: number,
  randomize = true,
): [T, T] => {
  let depth_values = torch.linspace(near_thresh, far_thresh, num_samples).to(ray_origins)
  if (randomize === true) {
    const noise_shape = [...ray_origins.shape.slice(0, -1), num_samples]
    depth_values = depth_values.add(
      torch
        .rand(noise_shape)
        .to(ray_origins)
        .mul(far_thresh - near_thresh)
        .div(num_samples),
    )
  }
  const query_points = ray_origins
    .index('...', null, ':')
    .add(ray_directions.index('...', null, ':').mul(depth_values.index('...', ':', null)))
  return [query_points, depth_values]
}

const render_volume_density = (radiance_field: T, ray_origins: T, depth_values: T): [T, T, T] => {
  const sigma_a = F.relu(radiance_field.index('...', 3))
  const rgb = torch.sigmoid(radiance_field.index('...', ':3'))
  const one_e_10 = torch.tensor([1e10], { dtype: ray_origins.dtype })
  const dists = torch.cat(
    [
      depth_values.index('...', '1:').sub(depth_values.index('...', ':-1')),
      one_e_10.expand(depth_values.index('...', ':1').shape),
    ],
    { dim: -1 },
  )
  const alpha = torch.exp(sigma_a.neg().mul(dists)).rsub(1.0)
  const weights = alpha.mul(cumprod_exclusive(alpha.rsub(1.0).add(1e-10)))
  const rgb_map = weights.index('...', null).mul(rgb).sum({ dim: -2 })
  const depth_map = weights.mul(depth_values).sum({ dim: -1 })
  const acc_map = weights.sum(-1)
  return [rgb_map, depth_map, acc_map]
}

const get_minibatches = (inputs: T, chunksize = 1024 * 8): T[] => {
  const out: T[] = []
  for (let i = 0; i < inputs.shape[0]!; i += chunksize) out.push(inputs.index(`${i}:${i + chunksize}`))
  return out
}

class VeryTinyNerfModel extends torch.nn.Module {
  layer1: torch.nn.Linear
  layer2: torch.nn.Linear
  layer3: torch.nn.Linear
  relu = F.relu
  constructor(filter_size = 128, num_encoding_functions = 6) {
    super()
    this.layer1 = torch.nn.Linear(3 + 3 * 2 * num_encoding_functions, filter_size)
    this.layer2 = torch.nn.Linear(filter_size, filter_size)
    this.layer3 = torch.nn.Linear(filter_size, 4)
  }
  forward(x: T): T {
    x = this.relu(this.layer1.call(x))
    x = this.relu(this.layer2.call(x))
    return this.layer3.call(x)
  }
}

const run_one_iter_of_tinynerf = (
  model: VeryTinyNerfModel,
  [height, width, focal_length]: [number, number, number],
  tform_cam2world: T,
  [near_thresh, far_thresh, depth_samples_per_ray]: [number, number, number],
  encoding_function: (x: T) => T,
  get_minibatches_function: (x: T, chunksize: number) => T[],
  chunksize: number,
): [T, T, T] => {
  const [ray_origins, ray_directions] = get_ray_bundle(height, width, focal_length, tform_cam2world)
  const [query_points, depth_values] = compute_query_points_from_rays(
    ray_origins,
    ray_directions,
    near_thresh,
    far_thresh,
    depth_samples_per_ray,
  )
  const flattened_query_points = query_points.reshape([-1, 3])
  const encoded_points = encoding_function(flattened_query_points)
  const batches = get_minibatches_function(encoded_points, chunksize)
  const predictions: T[] = []
  for (const batch of batches) predictions.push(model.call(batch))
  const radiance_field_flattened = torch.cat(predictions, { dim: 0 })
  const unflattened_shape = [...query_points.shape.slice(0, -1), 4]
  const radiance_field = torch.reshape(radiance_field_flattened, unflattened_shape)
  return render_volume_density(radiance_field, ray_origins, depth_values)
}

describe('tiny NeRF (positional encoding, ray sampling, volume rendering)', () => {
  it('trains as PyTorch does', () => {
    torch.manual_seed(9458)
    const [height, width, focal_length] = [6, 5, 4.0]
    const [near_thresh, far_thresh] = [2.0, 6.0]
    const depth_samples_per_ray = 8
    const num_encoding_functions = 4
    const encode = (x: T): T => positional_encoding(x, num_encoding_functions)
    const tform_cam2world = torch.tensor([
      [0.8, 0.0, -0.6, -2.4],
      [0.0, 1.0, 0.0, 0.3],
      [0.6, 0.0, 0.8, 3.2],
      [0.0, 0.0, 0.0, 1.0],
    ])
    const target_img = torch.rand(height, width, 3)
    const model = new VeryTinyNerfModel(32, num_encoding_functions)
    const optimizer = torch.optim.Adam(model.parameters(), { lr: 5e-3 })
    const [losses, psnrs]: [number[], number[]] = [[], []]
    let out: [T, T, T] | null = null
    for (let i = 0; i < 4; i++) {
      out = run_one_iter_of_tinynerf(
        model,
        [height, width, focal_length],
        tform_cam2world,
        [near_thresh, far_thresh, depth_samples_per_ray],
        encode,
        get_minibatches,
        64,
      )
      const loss = F.mse_loss(out[0], target_img)
      loss.backward()
      optimizer.step()
      optimizer.zero_grad()
      losses.push(loss.item() as number)
      psnrs.push(torch.log10(loss).mul(-10.0).item() as number)
    }
    const [rgb_predicted, depth_map, acc_map] = out!
    const x = torch.tensor([[0.5, -1.0, 2.0]])
    expectClose(positional_encoding(x, 3).tolist(), fixture.encoding, 1e-6, 1e-7)
    expectClose(positional_encoding(x, 3, true, false).tolist(), fixture.encoding_lin, 1e-6, 1e-7)
    expectClose(cumprod_exclusive(torch.tensor([[0.5, 0.9, 0.2, 0.7]])).tolist(), fixture.cumprod_exclusive, 0, 0)
    expectClose(losses, fixture.losses, 1e-5, 1e-7)
    expectClose(psnrs, fixture.psnrs, 1e-5, 1e-6)
    expectClose(depth_map.detach().index(0).tolist(), fixture.depth_map, 1e-5, 1e-6)
    expectClose(acc_map.detach().index(1).tolist(), fixture.acc_map, 1e-5, 1e-6)
    expectClose(rgb_predicted.detach().index(2, 3).tolist(), fixture.rgb, 1e-5, 1e-6)
    expectClose(summary(model), fixture.params, 1e-4, 1e-5)
  })
})
