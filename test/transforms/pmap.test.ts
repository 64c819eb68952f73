/**
 * pmap and the device functions (JAX: jax.pmap, jax.devices, device_count, local_device_count,
 * device_put, block_until_ready, config.update('jax_num_cpu_devices')). Expected values are the
 * sums written out and, for the data-parallel step, the full-batch gradient (the mean of equal
 * shards' mean gradients is the mean gradient), computed without pmap.
 */
import { afterEach, describe, expect, it } from 'vitest'
import {
  Device,
  ValueError,
  array,
  blockUntilReady,
  config,
  defaultBackend,
  deviceCount,
  deviceGet,
  devicePut,
  devices,
  div,
  grad,
  jit,
  lax,
  localDeviceCount,
  localDevices,
  matmul,
  mean,
  mul,
  pmap,
  processCount,
  processIndex,
  reshape,
  square,
  sub,
  sum,
  type NdArray,
} from '../../src'

const nums = (x: NdArray): unknown => x.toArray()

afterEach(() => config.update('jax_num_cpu_devices', 1))

describe('devices of a CPU-only process', () => {
  it('lists one CPU device by default, as JAX on a CPU', () => {
    expect(deviceCount()).toBe(1)
    expect(localDeviceCount()).toBe(1)
    expect(devices()[0]).toBeInstanceOf(Device)
    expect(String(devices()[0])).toBe('CpuDevice(id=0)')
    expect(devices()[0]?.platform).toBe('cpu')
    expect(localDevices()).toBe(devices())
    expect([processIndex(), processCount(), defaultBackend()]).toEqual([0, 1, 'cpu'])
    expect(deviceCount('cpu')).toBe(1)
  })

  it('jax_num_cpu_devices sets how many there are', () => {
    config.update('jax_num_cpu_devices', 4)
    expect(deviceCount()).toBe(4)
    expect(devices().map((d) => d.id)).toEqual([0, 1, 2, 3])
    expect(config.jax_num_cpu_devices).toBe(4)
  })

  it('raises for other backends, bad counts and options it does not have', () => {
    expect(() => devices('gpu')).toThrow(/Unknown backend: 'gpu'.*Platforms present are: cpu/)
    expect(() => localDevices(1)).toThrow(ValueError)
    expect(() => config.update('jax_num_cpu_devices', 0)).toThrow(/positive integer/)
    expect(() => config.update('jax_enable_x64', true)).toThrow(/jax_enable_x64 is not supported.*float64/)
    expect(() => config.update('jax_debug_nans', true)).toThrow(/Unrecognized config option/)
    expect(() => config.update('jax_platforms', 'gpu')).toThrow(/must be 'cpu'/)
    config.update('jax_enable_x64', false)
    expect(config.jax_enable_x64).toBe(false)
  })

  it('devicePut makes arrays of a tree of numbers; deviceGet and blockUntilReady return their argument', () => {
    const x = array([1, 2])
    const t = devicePut({ a: 1.5, b: x })
    expect((t.a as unknown as NdArray).item()).toBe(1.5)
    expect(t.b).toBe(x)
    expect(() => devicePut(1, {} as Device)).toThrow(/device must be one of devices/)
    expect(deviceGet(t)).toBe(t)
    expect(blockUntilReady(t)).toBe(t)
    expect(x.blockUntilReady()).toBe(x)
  })
})

describe('pmap', () => {
  const f = (x: NdArray): NdArray => mul(x, 2)

  it('maps over the leading axis when it fits the devices', () => {
    expect(nums(pmap(f)(array([[1, 2, 3]])))).toEqual([[2, 4, 6]])
  })

  it('refuses more replicas than devices, as JAX', () => {
    expect(() => pmap(f)(array([1, 2]))).toThrow(
      /requires 2 logical devices, but only 1 XLA devices are available \(num_replicas=2\)/,
    )
  })

  it('collectives reduce across the replicas', () => {
    config.update('jax_num_cpu_devices', 4)
    const normalize = pmap((x: NdArray) => div(x, lax.psum(x, 'i')), { axisName: 'i' })
    expect(nums(normalize(array([1, 2, 3, 4], { dtype: 'float64' })))).toEqual([0.1, 0.2, 0.3, 0.4])
    expect(nums(pmap((_x: NdArray) => lax.axisIndex('i'), { axisName: 'i' })(array([5, 5, 5])))).toEqual([0, 1, 2])
  })

  it('nested pmaps multiply their replicas', () => {
    config.update('jax_num_cpu_devices', 4)
    const inner = pmap((x: NdArray) => sub(x, lax.pmean(x, 'j')), { axisName: 'j' })
    const outer = pmap((x: NdArray) => inner(x), { axisName: 'i' })
    expect(
      nums(
        outer(
          array(
            [
              [1, 3],
              [10, 20],
            ],
            { dtype: 'float64' },
          ),
        ),
      ),
    ).toEqual([
      [-1, 1],
      [-5, 5],
    ])
    config.update('jax_num_cpu_devices', 3)
    const again = pmap((x: NdArray) => pmap((y: NdArray) => mul(y, 1))(x))
    expect(() =>
      again(
        array([
          [1, 3],
          [10, 20],
        ]),
      ),
    ).toThrow(/requires 4 logical devices, but only 3/)
  })

  it('a data-parallel step: pmean of the shards gradients is the full-batch gradient', () => {
    config.update('jax_num_cpu_devices', 2)
    const loss = (w: NdArray, x: NdArray, y: NdArray): NdArray => mean(square(sub(matmul(x, w), y)))
    const w = array([0.5, -1, 2], { dtype: 'float64' })
    const x = array(
      [
        [1, 2, 3],
        [0, 1, -1],
        [2, 2, 0],
        [-1, 0, 1],
      ],
      { dtype: 'float64' },
    )
    const y = array([1, 0, -1, 2], { dtype: 'float64' })
    const step = pmap((w: NdArray, x: NdArray, y: NdArray) => lax.pmean(grad(loss)(w, x, y), 'batch'), {
      axisName: 'batch',
      inAxes: [null, 0, 0],
    })
    const g = step(w, reshape(x, [2, 2, 3]), reshape(y, [2, 2])) as NdArray
    const full = grad(loss)(w, x, y).toArray() as number[]
    const rows = g.toArray() as number[][]
    expect(rows).toHaveLength(2)
    for (const row of rows) row.forEach((v, k) => expect(v).toBeCloseTo(full[k] as number, 12))
  })

  it('static broadcasted arguments reach every replica whole', () => {
    const scale = pmap((x: NdArray, k: number) => mul(x, k), { staticBroadcastedArgnums: 1 })
    expect(nums(scale(array([[1, 2]]), 3))).toEqual([[3, 6]])
    expect(nums(scale(array([[1, 2]]), 4))).toEqual([[4, 8]])
  })

  it('with devices, the mapped size must equal their number', () => {
    config.update('jax_num_cpu_devices', 2)
    const two = devices()
    expect(nums(pmap(f, { devices: two })(array([1, 2])))).toEqual([2, 4])
    expect(() => pmap(f, { devices: [two[0] as Device] })(array([1, 2]))).toThrow(
      /Leading axis size of input to pmapped function must equal the number of local devices passed to pmap. Got axis_size=2, num_local_devices=1/,
    )
  })

  it('runs inside jit and under grad', () => {
    const h = (x: NdArray): NdArray => sum(pmap((v: NdArray) => square(v))(x))
    expect(jit(h)(array([[3]])).item()).toBe(9)
    expect(nums(grad(h)(array([[3]], { dtype: 'float64' })))).toEqual([[6]])
  })

  it('raises for bad input with the op named', () => {
    expect(() => pmap(f, { donateArgnums: 0 } as never)).toThrow(/donateArgnums is not supported/)
    expect(() => pmap(f, { backend: 'tpu' })).toThrow(/Unknown backend: 'tpu'/)
    expect(() => pmap(f, { axisNmae: 'i' } as never)).toThrow(
      /unexpected keyword argument 'axisNmae'; did you mean 'axisName'/,
    )
    expect(() => pmap(f, { devices: [] })).toThrow(/devices must be a non-empty array/)
    expect(() => pmap(3 as never)).toThrow(/pmap: expected a callable/)
    expect(() => pmap((a: NdArray, _b: NdArray) => a, { inAxes: [0] })(array([1]), array([1]))).toThrow(
      /pmap in_axes must be an int, None, or a tuple/,
    )
    expect(() => pmap(f)(array(1))).toThrow(/pmap was requested to map argument 0 along axis 0/)
  })
})
