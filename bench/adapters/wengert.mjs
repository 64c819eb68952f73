// Adapter: wengert, this repository's library, imported by package name. The
// bench package depends on it as "wengert": "file:..", so this resolves to the
// root package's built entry (../dist, via its package.json "exports"): run
// `npm run build` at the root first (the root `npm run bench` script does).
//
// API used (JAX-style, eager, no ownership rules): array(data, { shape }),
// matmul/add/sub/mul/exp/tanh/sin/square/relu/sum/logSoftmax (JS numbers are
// weak scalars that keep the array's float32 dtype), grad(f, { argnums }),
// valueAndGrad(f, { argnums }) -> [value, grads], jvp(f, [x], [v]) ->
// [out, tangentOut]; x.toTypedArray() (a copy) and x.item() to read back.

import { readFileSync } from 'node:fs';
import * as W from 'wengert';

const { array, matmul, add, sub, mul, exp, tanh, sin, square, relu, sum, logSoftmax, grad, valueAndGrad, jvp } = W;

let VERSION = '?';
try { VERSION = JSON.parse(readFileSync(new URL('../node_modules/wengert/package.json', import.meta.url))).version; } catch { /* keep '?' */ }

const f32 = (data, shape) => array(data.slice(), { shape, dtype: 'float32' });

export default async function create() {
  const workloads = {
    matmul({ n, a, b }) {
      const A = f32(a, [n, n]), B = f32(b, [n, n]);
      return { run: () => matmul(A, B).toTypedArray(), dispose() {} };
    },

    mlpStep(d) {
      const { B, D, H, C, lr } = d;
      const X = f32(d.x, [B, D]);
      const onehot = new Float32Array(B * C);
      for (let i = 0; i < B; i++) onehot[i * C + d.labels[i]] = 1;
      const Y = array(onehot, { shape: [B, C], dtype: 'float32' });
      let P = [f32(d.W1, [D, H]), f32(d.b1, [H]), f32(d.W2, [H, C]), f32(d.b2, [C])];
      const loss = (W1, b1, W2, b2) => {
        const h = relu(add(matmul(X, W1), b1));
        const logits = add(matmul(h, W2), b2);
        return mul(sum(mul(logSoftmax(logits), Y)), -1 / B); // mean cross-entropy
      };
      const vg = valueAndGrad(loss, { argnums: [0, 1, 2, 3] });
      return {
        run() {
          const [value, grads] = vg(P[0], P[1], P[2], P[3]);
          P = [sub(P[0], mul(grads[0], lr)), sub(P[1], mul(grads[1], lr)), sub(P[2], mul(grads[2], lr)), sub(P[3], mul(grads[3], lr))];
          return value.item();
        },
        params: () => ({ W1: P[0].toTypedArray(), b1: P[1].toTypedArray(), W2: P[2].toTypedArray(), b2: P[3].toTypedArray() }),
        dispose() {},
        note: 'valueAndGrad(argnums [0..3]) + SGD; loss = -sum(logSoftmax·onehot)/B',
      };
    },

    chain({ steps, x0 }) {
      const X0 = array(x0, { dtype: 'float32' });
      const g = grad((x) => {
        for (let s = 0; s < steps; s++) x = add(mul(x, 0.99), exp(mul(x, -0.5)));
        return x;
      });
      return { run: () => g(X0).item(), dispose() {}, note: 'grad over 0-d float32 arrays' };
    },

    ewise({ n, x }) {
      const X = f32(x, [n]);
      const g = grad((t) => sum(mul(tanh(t), t)));
      return { run: () => g(X).toTypedArray(), dispose() {} };
    },

    d2scalar({ x }) {
      const X = array(x, { dtype: 'float32' });
      const g2 = grad(grad((t) => mul(square(t), sin(t))));
      return { run: () => g2(X).item(), dispose() {}, note: 'grad(grad(f))' };
    },

    d2tanh({ x }) {
      const X = array(x, { dtype: 'float32' });
      const g2 = grad(grad((t) => mul(t, tanh(t))));
      return { run: () => g2(X).item(), dispose() {}, note: 'grad(grad(f))' };
    },

    hvp({ n, A, x, v }) {
      const Am = f32(A, [n, n]), X = f32(x, [n, 1]), V = f32(v, [n, 1]);
      const gf = grad((t) => sum(sin(matmul(Am, t))));
      return {
        run: () => jvp(gf, [X], [V])[1].toTypedArray(),
        dispose() {},
        note: 'jvp(grad f) (forward-over-reverse)',
      };
    },
  };

  return {
    id: 'wengert',
    dtype: 'float32',
    info: { library: 'wengert', version: VERSION, backend: 'TypeScript (dist/)' },
    workloads,
  };
}
