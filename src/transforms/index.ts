/**
 * JAX-style transforms.
 *
 * @category transforms
 * @since 0.1.0
 */
export { grad, valueAndGrad, type GradOptions } from './grad'
export { vjp } from './vjp'
export { jvp } from './jvp'
export { linearize } from './linearize'
export { jacfwd, jacrev, hessian, type JacOptions, type Jacobian } from './jacobian'
// JAX's jax.jacobian is jacrev
export { jacrev as jacobian } from './jacobian'
export { customVjp, customJvp, type CustomJvpFunction } from './custom'
export type { CustomDerivativeOptions } from './customNondiff'
export { makeTape } from './makeTape'
export type { Grads, Argnums, Selected } from './common'
export { jit, setLogCompiles, type JitOptions, type Jitted, type Lowered } from './jit'
export { vmap, type VmapOptions, type AxisSpec } from './vmap'
export { pmap, type PmapOptions } from './pmap'
export {
  Device,
  devices,
  localDevices,
  deviceCount,
  localDeviceCount,
  processIndex,
  processCount,
  defaultBackend,
  devicePut,
  deviceGet,
  blockUntilReady,
  config,
} from './devices'
