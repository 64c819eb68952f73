/**
 * The bad-input cases of the functional (JAX-style) API, one row each: the call, the error class
 * JAX's exception maps to here and a fragment of JAX's message (issue 10). JAX's TypeError about
 * shapes is a ShapeError, about dtypes a DTypeError, about pytree structure a TreeMismatchError;
 * its ValueError (and NumPy's AxisError) a ValueError or its subclass ShapeError. Option names are
 * the project's camelCase ones (`allowInt`, `hasAux`, `staticArgnums`).
 */
import * as W from '../../src'
import type { NdArray } from '../../src'

/** One probe: `call` must throw `cls` with a message containing every fragment of `msg`. */
export interface JaxBadInputCase {
  readonly name: string
  readonly call: () => unknown
  readonly cls: new (...a: never[]) => Error
  readonly msg: ReadonlyArray<string | RegExp>
}

type Loose = Record<string, (...a: unknown[]) => unknown>
/** The namespaces as a JS caller sees them: any value may be passed. */
const J = W as unknown as Loose
const lax = W.lax as unknown as Loose
const rnd = W.random as unknown as Loose
const scipyLinalg = (W.scipy as unknown as Record<string, Loose>)['linalg'] as Loose
const tree = W.tree as unknown as Loose

const f32 = (v: W.NestedArray | number): NdArray => W.array(v, { dtype: 'float32' })
const i32 = (v: W.NestedArray | number): NdArray => W.array(v, { dtype: 'int32' })
const v3 = (): NdArray => f32([1, 2, 3])
const v2 = (): NdArray => f32([1, 2])
const m23 = (): NdArray =>
  f32([
    [1, 2, 3],
    [4, 5, 6],
  ])
const m22 = (): NdArray =>
  f32([
    [2, 1],
    [1, 3],
  ])
const key = (): NdArray => W.random.key(0) as unknown as NdArray
const sumsq = (x: NdArray): NdArray => W.sum(W.mul(x, x))
const { ShapeError, DTypeError, ValueError, TreeMismatchError, ConcretizationTypeError, NotDifferentiableError } = W

const c = (
  name: string,
  call: () => unknown,
  cls: JaxBadInputCase['cls'],
  ...msg: ReadonlyArray<string | RegExp>
): JaxBadInputCase => ({ name, call, cls, msg })

// ── grad, valueAndGrad, jacrev, jacfwd, hessian ────────────────────────────────────────────
const gradCases: JaxBadInputCase[] = [
  c(
    'grad of a vector output',
    () => W.grad((x: NdArray) => W.mul(x, 2))(v3()),
    ShapeError,
    'Gradient only defined for scalar-output functions. Output had shape: (3,)',
  ),
  c(
    'grad of a matrix output',
    () => W.grad((x: NdArray) => W.mul(x, 2))(m23()),
    ShapeError,
    'Output had shape: (2, 3)',
  ),
  c(
    'grad of an int32 input',
    () => W.grad((x: NdArray) => W.sum(x))(i32([1, 2])),
    DTypeError,
    'grad requires real- or complex-valued inputs (input dtype that is a sub-dtype of np.inexact), but got int32',
  ),
  c(
    'grad of a bool input',
    () => W.grad((x: NdArray) => W.sum(W.astype(x, 'float32')))(W.array([true])),
    DTypeError,
    'but got bool',
  ),
  c(
    'grad of an int output',
    () => W.grad((x: NdArray) => W.astype(W.sum(x), 'int32'))(v3()),
    DTypeError,
    'grad requires real-valued outputs (output dtype that is a sub-dtype of np.floating), but got int32',
  ),
  c(
    'grad argnums out of range',
    () => W.grad((x: NdArray, _y: NdArray) => W.sum(x), { argnums: 2 })(v3(), v3()),
    ValueError,
    'argnums=2',
    'requires at least 3 positional arguments',
  ),
  c(
    'grad argnums tuple out of range',
    () => W.grad((x: NdArray) => W.sum(x), { argnums: [0, 1] })(v3()),
    ValueError,
    'requires at least 2 positional arguments to be passed by the caller, but got only 1',
  ),
  c('grad argnums not an int', () => W.grad(sumsq, { argnums: 0.5 as never })(v3()), ValueError, 'argnums must be'),
  c('grad argnums a string', () => W.grad(sumsq, { argnums: 'x' as never })(v3()), ValueError, 'argnums must be'),
  c(
    'grad hasAux returning a bare array',
    () => W.grad(sumsq, { hasAux: true })(v3()),
    ValueError,
    'function with aux output to return a two-element',
  ),
  c(
    'grad hasAux returning a triple',
    () => W.grad((x: NdArray) => [sumsq(x), x, x] as never, { hasAux: true })(v3()),
    ValueError,
    'two-element',
  ),
  c('grad of a string argument', () => W.grad(sumsq)('abc' as never), ValueError, 'not a valid JAX type'),
  c(
    'grad of an undefined output',
    () => W.grad(((_x: NdArray) => undefined) as never)(v3()),
    ValueError,
    'Gradient only defined for scalar-output',
  ),
  c(
    'valueAndGrad of a vector output',
    () => W.valueAndGrad((x: NdArray) => W.mul(x, 2))(v3()),
    ShapeError,
    'Gradient only defined for scalar-output functions. Output had shape: (3,)',
  ),
  c('valueAndGrad of an int input', () => W.valueAndGrad(sumsq)(i32([1])), DTypeError, 'but got int32'),
  c(
    'jacrev of an int input',
    () => W.jacrev((x: NdArray) => W.mul(x, 2))(i32([1, 2])),
    DTypeError,
    'jacrev requires real- or complex-valued inputs',
    'but got int32',
  ),
  c(
    'jacfwd of an int input',
    () => W.jacfwd((x: NdArray) => W.mul(x, 2))(i32([1, 2])),
    DTypeError,
    'jacfwd requires real-valued inputs',
    'but got int32',
  ),
  c(
    'jacrev argnums out of range',
    () => W.jacrev((x: NdArray) => x, { argnums: 3 })(v3()),
    ValueError,
    'requires at least 4 positional arguments',
  ),
  c(
    'grad of a non-callable',
    () => (W.grad as unknown as (f: unknown) => unknown)(3),
    ValueError,
    'expected a callable value',
  ),
]

// ── vjp, jvp, linearize ─────────────────────────────────────────────────────────────────
const vjpCases: JaxBadInputCase[] = [
  c(
    'vjp pullback cotangent of the wrong shape',
    () => W.vjp((x: NdArray) => W.sin(x), v3())[1](v2()),
    ShapeError,
    'Shape of cotangent input to vjp pullback function (2,) must be the same as the shape of corresponding primal input (3,)',
  ),
  c(
    'vjp pullback cotangent of the wrong dtype',
    () => W.vjp((x: NdArray) => W.sin(x), v3())[1](W.array([1, 1, 1], { dtype: 'float64' })),
    DTypeError,
    'Type of cotangent input to vjp pullback function (float64) is not the expected tangent type (float32)',
  ),
  c(
    'vjp pullback with a tree mismatch',
    () => (W.vjp((x: NdArray) => [W.sin(x), x] as never, v3())[1] as (c: unknown) => unknown)(v3()),
    TreeMismatchError,
    'unexpected tree structure of argument to vjp function',
  ),
  c(
    'jvp primal/tangent shape mismatch',
    () => W.jvp(W.sin, [v3()], [v2()]),
    ShapeError,
    'jvp called with different primal and tangent shapes',
    'Got primal shape (3,) and tangent shape as (2,)',
  ),
  c(
    'jvp primal/tangent dtype mismatch',
    () => W.jvp(W.sin, [v3()], [W.array([1, 1, 1], { dtype: 'float64' })]),
    DTypeError,
    'primal and tangent arguments to jvp do not match; dtypes must be equal',
    'Got primal dtype float32 and so expected tangent dtype float32, but got tangent dtype float64 instead',
  ),
  c(
    'jvp primal/tangent count mismatch',
    () => (W.jvp as unknown as (...a: unknown[]) => unknown)((x: NdArray) => x, [v3()], [v3(), v3()]),
    TreeMismatchError,
    'primal and tangent arguments to jvp must have the same tree structure',
  ),
  c(
    'jvp of a non-array primal list',
    () => (W.jvp as unknown as (...a: unknown[]) => unknown)(W.sin, v3(), v3()),
    ValueError,
    'primal and tangent arguments to jvp must be arrays',
  ),
  c('linearize of an int input', () => W.linearize((x: NdArray) => W.mul(x, 2), i32([1])), DTypeError, 'int32'),
]

// ── vmap ────────────────────────────────────────────────────────────────────────────────
const vmapCases: JaxBadInputCase[] = [
  c(
    'vmap inconsistent sizes',
    () => W.vmap(W.add)(v2(), v3()),
    ValueError,
    'vmap got inconsistent sizes for array axes to be mapped',
    'one axis had size 2',
    'one axis had size 3',
  ),
  c(
    'vmap axis beyond rank',
    () => W.vmap(sumsq, { inAxes: 2 })(m23()),
    ValueError,
    'vmap was requested to map argument 0 along axis 2, which implies that its rank should be at least 3, but is only 2 (its shape is (2, 3))',
  ),
  c(
    'vmap a scalar',
    () => W.vmap(sumsq)(f32(1)),
    ValueError,
    'along axis 0, which implies that its rank should be at least 1, but is only 0',
  ),
  c(
    'vmap with every inAxes null',
    () => W.vmap(sumsq, { inAxes: null })(v3()),
    ValueError,
    'vmap must have at least one non-None value in in_axes',
  ),
  c(
    'vmap inAxes length mismatch',
    () => W.vmap(sumsq, { inAxes: [0, 0] })(v3()),
    ValueError,
    'vmap in_axes must be an int, None, or a tuple of entries corresponding to the positional arguments passed to the function, but got len(in_axes)=2, len(args)=1',
  ),
  c(
    'vmap with no arguments and no axisSize',
    () => W.vmap(() => v3())(),
    ValueError,
    'vmap wrapped function must be passed at least one argument containing an array',
  ),
  c(
    'vmap outAxes null for a mapped output',
    () => W.vmap((x: NdArray) => W.mul(x, 2), { outAxes: null })(v3()),
    ValueError,
    'vmap has mapped output but out_axes is None',
  ),
  c(
    'vmap outAxes beyond the output rank',
    () => W.vmap((x: NdArray) => W.mul(x, 2), { outAxes: 2 })(m23()),
    ValueError,
    'vmap was requested to map output leaf 0 along axis 2, which implies that its rank should be at least 3',
  ),
  c('vmap negative inAxes beyond rank', () => W.vmap(sumsq, { inAxes: -3 })(m23()), ValueError, 'along axis -3'),
  c(
    'vmap axisSize disagreeing with the arguments',
    () => W.vmap(sumsq, { axisSize: 5 })(m23()),
    ValueError,
    'inconsistent sizes',
  ),
  c('vmap axisSize negative', () => W.vmap(sumsq, { axisSize: -1 })(m23()), ValueError, 'axisSize'),
  c('vmap inAxes float', () => W.vmap(sumsq, { inAxes: 0.5 })(m23()), ValueError, 'integers or null'),
]

// ── jit ─────────────────────────────────────────────────────────────────────────────────
const jitCases: JaxBadInputCase[] = [
  c(
    'jit staticArgnums with an array argument',
    () => W.jit((x: NdArray, y: NdArray) => W.add(x, y), { staticArgnums: 1 })(v3(), v3()),
    ValueError,
    'Non-hashable static arguments are not supported',
  ),
  c(
    'jit staticArgnums not an int',
    () => W.jit(sumsq, { staticArgnums: 'a' as never })(v3()),
    ValueError,
    'argnums must be an integer',
  ),
  c(
    'jit: if on a traced value',
    () => W.jit((x: NdArray) => (Number(W.sum(x).item()) > 0 ? x : W.neg(x)))(v3()),
    ConcretizationTypeError,
    'Abstract tracer value encountered where concrete value is expected',
  ),
  c(
    'jit: toArray of a traced value',
    () => W.jit((x: NdArray) => f32(x.toArray() as number[]))(v3()),
    ConcretizationTypeError,
    'Abstract tracer value',
  ),
  c(
    'jit: Number() of a traced scalar',
    () => W.jit((x: NdArray) => f32(Number(W.sum(x))))(v3()),
    ConcretizationTypeError,
    'Abstract tracer value',
  ),
  c(
    'jit: arange with a traced bound',
    () => W.jit((x: NdArray) => W.arange(W.sum(x) as never))(v3()),
    ConcretizationTypeError,
    'Abstract tracer value',
  ),
  c(
    'jit: zeros of a traced shape',
    () => W.jit((x: NdArray) => W.zeros([W.sum(x) as never]))(v3()),
    ConcretizationTypeError,
    'Abstract tracer value',
  ),
]

// ── custom_vjp, custom_jvp ──────────────────────────────────────────────────────────────
const cube = (x: NdArray): NdArray => W.mul(W.mul(x, x), x)
const customCases: JaxBadInputCase[] = [
  c(
    'customVjp bwd returning the wrong count',
    () => {
      const f = W.customVjp(
        (x: NdArray) => cube(x),
        (x: NdArray) => [cube(x), x] as const,
        (_r: unknown, g: NdArray) => [g, g],
      )
      return W.grad((x: NdArray) => W.sum(f(x)))(v3())
    },
    TreeMismatchError,
    'Custom VJP bwd rule must produce an output with the same container (pytree) structure as the args tuple of the primal function',
  ),
  c(
    'customVjp bwd returning a bare array',
    () => {
      const f = W.customVjp(
        (x: NdArray) => cube(x),
        (x: NdArray) => [cube(x), x] as const,
        ((_r: unknown, g: NdArray) => g) as never,
      )
      return W.grad((x: NdArray) => W.sum(f(x)))(v3())
    },
    TreeMismatchError,
    'Custom VJP bwd rule must produce',
  ),
  c(
    'customVjp bwd returning the wrong shape',
    () => {
      const f = W.customVjp(
        (x: NdArray) => cube(x),
        (x: NdArray) => [cube(x), x] as const,
        () => [f32([1, 2])],
      )
      return W.grad((x: NdArray) => W.sum(f(x)))(v3())
    },
    ShapeError,
    'Custom VJP bwd rule must produce an output with the same shape/dtypes as the args tuple of the primal function',
    'float32[2]',
    'float32[3]',
  ),
  c(
    'customVjp fwd returning a bare array',
    () => {
      const f = W.customVjp(
        (x: NdArray) => cube(x),
        ((x: NdArray) => cube(x)) as never,
        (_r: unknown, g: NdArray) => [g],
      )
      return W.grad((x: NdArray) => W.sum(f(x)))(v3())
    },
    ValueError,
    'Custom VJP fwd rule',
    'must produce a pair',
  ),
  c(
    'customVjp fwd output differing from f',
    () => {
      const f = W.customVjp(
        (x: NdArray) => cube(x),
        (x: NdArray) => [W.sum(x), x] as const,
        (_r: unknown, g: NdArray) => [g],
      )
      return W.grad((x: NdArray) => W.sum(f(x)))(v3())
    },
    ShapeError,
    'Custom VJP bwd rule must produce an output with the same shape/dtypes',
  ),
  c(
    'customJvp rule returning a non-pair',
    () => {
      const f = W.customJvp((x: NdArray) => cube(x), (([x]: NdArray[]) => cube(x as NdArray)) as never)
      return W.jvp(f, [v3()], [v3()])
    },
    ValueError,
    'Custom JVP rule must produce a pair (list or tuple of length two) representing primal and tangent outputs',
  ),
  c(
    'customJvp tangent of the wrong shape',
    () => {
      const f = W.customJvp(
        (x: NdArray) => cube(x),
        ([x]) => [cube(x as NdArray), f32([1, 2])],
      )
      return W.jvp(f, [v3()], [v3()])
    },
    ShapeError,
    'Custom JVP rule must produce primal and tangent outputs with corresponding shapes and dtypes',
  ),
  c(
    'customJvp primal of the wrong shape',
    () => {
      const f = W.customJvp(
        (x: NdArray) => cube(x),
        ([x]) => [W.sum(x as NdArray), W.sum(x as NdArray)],
      )
      return W.jvp(f, [v3()], [v3()])
    },
    ShapeError,
    'Custom JVP rule must produce',
  ),
  c(
    'customJvp without a rule',
    () => {
      const f = W.customJvp(function g(x: NdArray) {
        return cube(x)
      })
      return W.jvp(f, [v3()], [v3()])
    },
    ValueError,
    'No JVP defined for custom_jvp function g using defjvp',
  ),
]

// ── scan, whileLoop, foriLoop, cond, switch, map, associativeScan ─────────────────────────
const controlCases: JaxBadInputCase[] = [
  c(
    'scan carry changes shape',
    () => W.lax.scan((cr: NdArray, x: NdArray) => [W.add(cr, W.stack([x, x])), x], f32(0), v3()),
    ShapeError,
    'scan body function carry input and carry output must have equal types',
  ),
  c(
    'scan carry changes dtype',
    () => W.lax.scan((cr: NdArray, x: NdArray) => [W.astype(W.add(cr, x), 'float64'), x], f32(0), v3()),
    DTypeError,
    'scan body function carry input and carry output must have equal types',
  ),
  c(
    'scan carry changes structure',
    () => W.lax.scan((cr: NdArray, x: NdArray) => [[cr, x] as never, x], f32(0), v3()),
    TreeMismatchError,
    'scan body function carry input and carry output must have the same pytree structure',
  ),
  c(
    'scan body returning a non-pair',
    () => W.lax.scan(((cr: NdArray) => cr) as never, f32(0), v3()),
    ValueError,
    'scan: the body function must return a pair [carry, y]',
  ),
  c(
    'scan xs of different lengths',
    () => W.lax.scan((cr: NdArray, x: NdArray[]) => [cr, x[0] as NdArray], f32(0), [v3(), v2()]),
    ShapeError,
    'scan got values with different leading axis sizes: 3, 2',
  ),
  c(
    'scan with no xs and no length',
    () => W.lax.scan((cr: NdArray) => [cr, cr], f32(0), null),
    ValueError,
    'scan got no values to scan over and `length` not provided',
  ),
  c(
    'scan length disagreeing with xs',
    () => W.lax.scan((cr: NdArray, x: NdArray) => [cr, x], f32(0), v3(), { length: 5 }),
    ValueError,
    'scan got `length` argument of 5 which disagrees with leading axis sizes [3]',
  ),
  c('scan of a scalar xs', () => W.lax.scan((cr: NdArray, x: NdArray) => [cr, x], f32(0), f32(1)), ShapeError, 'scan'),
  c(
    'whileLoop carry changes shape',
    () =>
      W.lax.whileLoop(
        (cr: NdArray) => W.less(W.sum(cr), 10),
        (cr: NdArray) => W.concatenate([cr, cr]),
        v2(),
      ),
    ShapeError,
    'while_loop body function carry input and carry output must have equal types',
  ),
  c(
    'whileLoop condition not a scalar',
    () =>
      W.lax.whileLoop(
        (cr: NdArray) => W.less(cr, 10),
        (cr: NdArray) => W.add(cr, 1),
        v2(),
      ),
    ShapeError,
    'cond_fun must return a boolean scalar',
    'bool[2]',
  ),
  c(
    'whileLoop condition a float',
    () =>
      W.lax.whileLoop(
        (cr: NdArray) => W.sum(cr),
        (cr: NdArray) => W.add(cr, 1),
        v2(),
      ),
    DTypeError,
    'cond_fun must return a boolean scalar',
    'float32[]',
  ),
  c(
    'foriLoop body changes dtype',
    () => W.lax.foriLoop(0, 3, (_i: NdArray, cr: NdArray) => W.astype(cr, 'int32'), v2()),
    DTypeError,
    'carry input and carry output must have equal types',
  ),
  c(
    'cond predicate not a scalar',
    () =>
      W.lax.cond(
        W.array([true, false]),
        () => v2(),
        () => v2(),
      ),
    ShapeError,
    'Pred must be a scalar, got',
    'of shape (2,)',
  ),
  c(
    'cond branches of different shapes',
    () =>
      W.lax.cond(
        W.array(true),
        () => v2(),
        () => v3(),
      ),
    ShapeError,
    'true_fun and false_fun output must have identical types',
  ),
  c(
    'cond branches of different dtypes',
    () =>
      W.lax.cond(
        W.array(true),
        () => v2(),
        () => i32([1, 2]),
      ),
    DTypeError,
    'true_fun and false_fun output must have identical types',
  ),
  c(
    'cond branches of different structures',
    () =>
      W.lax.cond(
        W.array(true),
        () => [v2()] as never,
        () => v2(),
      ),
    TreeMismatchError,
    'true_fun and false_fun output must have same type structure',
  ),
  c(
    'cond predicate a float array',
    () =>
      W.lax.cond(
        f32([1, 2]),
        () => v2(),
        () => v2(),
      ),
    ShapeError,
    'Pred must be a scalar',
  ),
  c('switch with no branches', () => W.lax.switch(i32(0), []), ValueError, 'Empty branch sequence'),
  c(
    'switch index a float',
    () => W.lax.switch(f32(0.5), [() => v2(), () => v2()]),
    DTypeError,
    'Index type must be an integer, got',
    'float32',
  ),
  c(
    'switch branches of different shapes',
    () => W.lax.switch(i32(0), [() => v2(), () => v3()]),
    ShapeError,
    'branch 0 and 1 outputs must have identical types',
  ),
  c(
    'switch index not a scalar',
    () => W.lax.switch(i32([0, 1]), [() => v2(), () => v2()]),
    ShapeError,
    'Branch index must be scalar, got',
    'of shape (2,)',
  ),
  c(
    'map over mismatched leading sizes',
    () => W.lax.map((x: NdArray[]) => x[0] as NdArray, [v2(), v3()]),
    ShapeError,
    'different leading axis sizes',
  ),
  c(
    'associativeScan of mismatched leading sizes',
    () =>
      W.lax.associativeScan(
        (a: NdArray[], b: NdArray[]) => [
          W.add(a[0] as NdArray, b[0] as NdArray),
          W.add(a[1] as NdArray, b[1] as NdArray),
        ],
        [v2(), v3()],
      ),
    ShapeError,
    'Array inputs to associative_scan must have the same first dimension',
  ),
]

// ── shapes: reshape, broadcasting, axes, concatenate, stack, squeeze, transpose, … ──────────
const shapeCases: JaxBadInputCase[] = [
  c(
    'reshape to a different size',
    () => W.reshape(W.arange(6), [4]),
    ShapeError,
    'cannot reshape array of shape (6,) (size 6) into shape (4,) (size 4)',
  ),
  c(
    'reshape with two -1',
    () => W.reshape(W.arange(6), [-1, -1]),
    ValueError,
    'can only specify one unknown dimension',
  ),
  c(
    'reshape -1 not dividing',
    () => W.reshape(W.arange(6), [4, -1]),
    ShapeError,
    'cannot reshape array of shape (6,) (size 6) into shape (4, -1)',
  ),
  c('reshape with a negative size', () => W.reshape(W.arange(6), [-2, -3]), ValueError, ''),
  c('reshape with a fractional size', () => W.reshape(W.arange(6), [1.5, 4]), ValueError, ''),
  c(
    'lax.reshape to a different size',
    () => W.lax.reshape(W.arange(6), [4]),
    ShapeError,
    'reshape total size must be unchanged, got new_sizes (4,) (of total size 4) for shape (6,) (of total size 6)',
  ),
  c(
    'add of incompatible shapes',
    () => W.add(v2(), v3()),
    ShapeError,
    'Incompatible shapes for broadcasting: shapes=[(2,), (3,)]',
  ),
  c(
    'mul of incompatible matrices',
    () => W.mul(m23(), W.ones([3, 2])),
    ShapeError,
    'Incompatible shapes for broadcasting: shapes=[(2, 3), (3, 2)]',
  ),
  c(
    'where of incompatible shapes',
    () => W.where(W.array([true, false]), v3(), v3()),
    ShapeError,
    'Incompatible shapes for broadcasting',
  ),
  c(
    'broadcastTo an incompatible shape',
    () => W.broadcastTo(v3(), [2, 4]),
    ShapeError,
    'Incompatible shapes for broadcasting: (3,) and requested shape (2, 4)',
  ),
  c(
    'broadcastTo fewer dimensions',
    () => W.broadcastTo(m23(), [3]),
    ShapeError,
    'Cannot broadcast to shape with fewer dimensions: arr_shape=(2, 3) shape=(3,)',
  ),
  c(
    'lax.add of different shapes',
    () => W.lax.add(v2(), v3()),
    ShapeError,
    'add got incompatible shapes for broadcasting: (2,), (3,)',
  ),
  c(
    'lax.add of different dtypes',
    () => W.lax.add(v2(), i32([1, 2])),
    DTypeError,
    'lax.add requires arguments to have the same dtypes, got float32, int32',
  ),
  c(
    'sum over axis 2 of a matrix',
    () => W.sum(m23(), { axis: 2 }),
    ShapeError,
    'axis 2 is out of bounds for array of dimension 2',
  ),
  c(
    'sum over axis -3 of a matrix',
    () => W.sum(m23(), { axis: -3 }),
    ShapeError,
    'axis -3 is out of bounds for array of dimension 2',
  ),
  c('sum over a repeated axis', () => W.sum(m23(), { axis: [0, 0] }), ValueError, "duplicate value in 'axis'"),
  c('sum over a fractional axis', () => W.sum(m23(), { axis: 0.5 }), ValueError, ''),
  c(
    'mean over axis 2',
    () => W.mean(m23(), { axis: 2 }),
    ShapeError,
    'axis 2 is out of bounds for array of dimension 2',
  ),
  c('max over axis 5', () => W.max(m23(), { axis: 5 }), ShapeError, 'axis 5 is out of bounds for array of dimension 2'),
  c(
    'argmax over axis 2',
    () => W.argmax(m23(), { axis: 2 }),
    ShapeError,
    'axis 2 is out of bounds for array of dimension 2',
  ),
  c(
    'max of an empty array',
    () => W.max(f32([])),
    ValueError,
    'zero-size array to reduction operation max which has no identity',
  ),
  c('argmax of an empty array', () => W.argmax(f32([])), ValueError, 'attempt to get argmax of an empty sequence'),
  c(
    'cumsum over axis 2',
    () => W.cumsum(m23(), { axis: 2 }),
    ShapeError,
    'axis 2 is out of bounds for array of dimension 2',
  ),
  c(
    'softmax over axis 2',
    () => W.nn.softmax(m23(), { axis: 2 }),
    ShapeError,
    'axis 2 is out of bounds for array of dimension 2',
  ),
  c(
    'expandDims at axis 3 of a matrix',
    () => W.expandDims(m23(), 4),
    ShapeError,
    'axis 4 is out of bounds for array of dimension 3',
  ),
  c('expandDims repeated axis', () => W.expandDims(m23(), [0, 0]), ValueError, 'repeated axis'),
  c(
    'squeeze a size-3 axis',
    () => W.squeeze(m23(), { axis: 0 }),
    ShapeError,
    'cannot select an axis to squeeze out which has size not equal to one, got shape=(2, 3) and dimensions=(0,)',
  ),
  c(
    'squeeze axis 2',
    () => W.squeeze(m23(), { axis: 2 }),
    ShapeError,
    'axis 2 is out of bounds for array of dimension 2',
  ),
  c('transpose with a repeated axis', () => W.transpose(m23(), [0, 0]), ValueError, 'repeated axis in transpose'),
  c('transpose with too few axes', () => W.transpose(m23(), [0]), ValueError, "axes don't match array"),
  c(
    'lax.transpose bad permutation',
    () => W.lax.transpose(m23(), [0, 0]),
    ShapeError,
    "transpose permutation isn't a permutation of operand dimensions, got permutation (0, 0) for operand shape (2, 3)",
  ),
  c('swapaxes axis 2', () => W.swapaxes(m23(), 0, 2), ShapeError, 'axis 2 is out of bounds for array of dimension 2'),
  c(
    'moveaxis length mismatch',
    () => W.moveaxis(m23(), [0], [0, 1]),
    ValueError,
    'Inconsistent number of elements: 1 vs 2',
  ),
  c('moveaxis repeated', () => W.moveaxis(m23(), [0, 0], [0, 1]), ValueError, 'repeated axis'),
  c(
    'concatenate of mismatched ranks',
    () => W.concatenate([m23(), v3()]),
    ShapeError,
    'Cannot concatenate arrays with different numbers of dimensions: got (2, 3), (3,)',
  ),
  c(
    'concatenate of mismatched shapes',
    () => W.concatenate([m23(), W.ones([2, 4])]),
    ShapeError,
    'Cannot concatenate arrays with shapes that differ in dimensions other than the one being concatenated',
    'concatenating along dimension 0 for shapes (2, 3), (2, 4)',
  ),
  c('concatenate of nothing', () => W.concatenate([]), ValueError, 'Need at least one array to concatenate'),
  c(
    'concatenate of scalars',
    () => W.concatenate([f32(1), f32(2)]),
    ShapeError,
    'Zero-dimensional arrays cannot be concatenated',
  ),
  c(
    'concatenate axis 2',
    () => W.concatenate([m23(), m23()], { axis: 2 }),
    ShapeError,
    'axis 2 is out of bounds for array of dimension 2',
  ),
  c(
    'lax.concatenate mismatched ranks',
    () => W.lax.concatenate([m23(), v3()], 0),
    ShapeError,
    'Cannot concatenate arrays with different numbers of dimensions: got (2, 3), (3,)',
  ),
  c(
    'lax.concatenate dimension out of range',
    () => W.lax.concatenate([m23(), m23()], 2),
    ShapeError,
    'concatenate dimension out of bounds: dimension 2 for shapes (2, 3), (2, 3)',
  ),
  c('stack of different shapes', () => W.stack([v2(), v3()]), ShapeError, 'All input arrays must have the same shape'),
  c('stack of nothing', () => W.stack([]), ValueError, 'Need at least one array to stack'),
  c(
    'stack axis 3 of vectors',
    () => W.stack([v2(), v2()], { axis: 3 }),
    ShapeError,
    'axis 3 is out of bounds for array of dimension 2',
  ),
  c(
    'split into unequal parts',
    () => W.split(W.arange(5), 2),
    ValueError,
    'array split does not result in an equal division',
  ),
  c(
    'split axis 1 of a vector',
    () => W.split(W.arange(4), 2, { axis: 1 }),
    ShapeError,
    'axis 1 is out of bounds for array of dimension 1',
  ),
  c('tile with negative reps', () => W.tile(v2(), [-1]), ValueError, ''),
  c('repeat negative', () => W.repeat(v2(), -1), ValueError, ''),
  c('flip axis 2', () => W.flip(m23(), { axis: 2 }), ShapeError, 'axis 2 is out of bounds for array of dimension 2'),
  c('roll axis 2', () => W.roll(m23(), 1, { axis: 2 }), ShapeError, 'axis 2 is out of bounds for array of dimension 2'),
  c(
    'pad with an unknown mode',
    () => W.pad(v3(), 1, { mode: 'foo' } as never),
    ValueError,
    "Unimplemented padding mode 'foo' for np.pad",
  ),
  c('pad with a negative width', () => W.pad(v3(), -1), ValueError, "index can't contain negative values"),
  c(
    'lax.pad with a wrong config length',
    () => W.lax.pad(m23(), 0, [[1, 1, 0]]),
    ShapeError,
    'length of padding_config must equal the number of axes of operand, got padding_config ((1, 1, 0),) for operand shape (2, 3)',
  ),
  c('zeros with a negative dimension', () => W.zeros([-1]), ValueError, ''),
  c('zeros with a fractional dimension', () => W.zeros([2.5]), ValueError, ''),
  c(
    'full with a value not broadcasting',
    () => W.full([2], f32([1, 2, 3]) as never),
    ShapeError,
    'Incompatible shapes for broadcasting',
  ),
  c('eye with a negative size', () => W.eye(-1), ValueError, ''),
  c('arange with a zero step', () => W.arange(0, 5, 0), ValueError, ''),
  c(
    'linspace with a negative count',
    () => W.linspace(0, 1, -1),
    ValueError,
    'Number of samples, -1, must be non-negative',
  ),
  c('array of a ragged list', () => W.array([[1, 2], [3]] as never), ValueError, ''),
  c(
    'takeAlongAxis of mismatched ranks',
    () => W.takeAlongAxis(m23(), i32([0]), 1),
    ShapeError,
    'indices and arr must have the same number of dimensions; 1 vs. 2',
  ),
  c(
    'take with an unknown mode',
    () => W.take(v3(), i32([0]), { mode: 'foo' } as never),
    ValueError,
    "Invalid mode 'foo'",
  ),
  c(
    'take with mode raise',
    () => W.take(v3(), i32([0]), { mode: 'raise' } as never),
    ValueError,
    "'raise' mode to jnp.take is not supported",
  ),
  c('take with a float index', () => W.take(v3(), f32([0.5])), DTypeError, ''),
  c(
    'take axis 1 of a vector',
    () => W.take(v3(), i32([0]), { axis: 1 }),
    ShapeError,
    'axis 1 is out of bounds for array of dimension 1',
  ),
]

// ── indexing and .at[] updates ──────────────────────────────────────────────────────────
const atCases: JaxBadInputCase[] = [
  c(
    'at(1.5).set',
    () => W.at(v3(), 1.5).set(0),
    DTypeError,
    'Indexer must have integer or boolean type, got indexer with type float',
  ),
  c(
    'at(float array).get',
    () => W.at(v3(), f32([0, 1])).get(),
    DTypeError,
    'Indexer must have integer or boolean type',
  ),
  c(
    'at with too many indices',
    () => W.at(v3(), 0, 0).set(1),
    ShapeError,
    'Too many indices: 1-dimensional array indexed with 2 regular indices',
  ),
  c(
    'at with an unknown mode',
    () => W.at(v3(), 0).set(1, { mode: 'foo' as never }),
    ValueError,
    'Unknown gather mode "foo"',
  ),
  c(
    'at(...).set of a non-broadcasting value',
    () => W.at(m23(), 0).set(v2()),
    ShapeError,
    'Incompatible shapes for broadcasting: (2,) and requested shape (3,)',
  ),
  c(
    'at(...).add of a non-broadcasting value',
    () => W.at(m23(), 0).add(f32([1, 2, 3, 4])),
    ShapeError,
    'Incompatible shapes for broadcasting',
  ),
  c(
    'at with a boolean mask of the wrong shape',
    () => W.at(v3(), W.array([true, false])).get(),
    ShapeError,
    'boolean index',
  ),
  c(
    'at with two ellipses',
    () => W.at(m23(), '...', '...').get(),
    ValueError,
    'an index can only have a single ellipsis',
  ),
  c('at with a string index', () => W.at(v3(), 'a' as never).get(), ValueError, ''),
  c('method x.at with too many indices', () => v3().at(0, 1, 2).get(), ShapeError, 'Too many indices'),
  c(
    'at(...).set under grad still checks',
    () => W.grad((x: NdArray) => W.sum(W.at(x, 1.5).set(0)))(v3()),
    DTypeError,
    'Indexer must have integer',
  ),
]

// ── dot, matmul, dot_general, einsum, linalg ────────────────────────────────────────────
const linalgCases: JaxBadInputCase[] = [
  c(
    'dot of mismatched vectors',
    () => W.dot(v2(), v3()),
    ShapeError,
    'dot_general requires contracting dimensions to have the same shape, got (2,) and (3,)',
  ),
  c(
    'dot of mismatched matrices',
    () => W.dot(m23(), m23()),
    ShapeError,
    'dot_general requires contracting dimensions to have the same shape, got (3,) and (2,)',
  ),
  c(
    'matmul of mismatched matrices',
    () => W.matmul(m23(), m23()),
    ShapeError,
    'dot_general requires contracting dimensions to have the same shape, got (3,) and (2,)',
  ),
  c(
    'matmul of a scalar',
    () => W.matmul(f32(2), m23()),
    ShapeError,
    'matmul input operand 0 must have ndim at least 1, but it has ndim 0',
  ),
  c(
    'matmul of mismatched batches',
    () => W.matmul(W.ones([2, 2, 3]), W.ones([4, 3, 2])),
    ShapeError,
    'Incompatible shapes for broadcasting',
  ),
  c(
    'lax.dotGeneral mismatched contracting',
    () =>
      W.lax.dotGeneral(m23(), m23(), [
        [[1], [1]],
        [[], []],
      ]) &&
      W.lax.dotGeneral(m23(), m23(), [
        [[1], [0]],
        [[], []],
      ]),
    ShapeError,
    'dot_general requires contracting dimensions to have the same shape, got (3,) and (2,)',
  ),
  c(
    'lax.dotGeneral contracting out of range',
    () =>
      W.lax.dotGeneral(m23(), m23(), [
        [[2], [0]],
        [[], []],
      ]),
    ShapeError,
    // JAX's _dot_general_shape_rule (lax.py), its first check
    'dot_general requires lhs dimension numbers to be nonnegative and less than the number of axes of the lhs value, got lhs_batch of () and lhs_contracting of (2,) for lhs of rank 2',
  ),
  c(
    'lax.dotGeneral batch mismatch',
    () =>
      W.lax.dotGeneral(W.ones([2, 3]), W.ones([4, 3]), [
        [[1], [1]],
        [[0], [0]],
      ]),
    ShapeError,
    'dot_general requires lhs batch dimensions and rhs batch dimensions to have the same shape, got (2,) and (4,)',
  ),
  c(
    'lax.dotGeneral repeated dimension',
    () =>
      W.lax.dotGeneral(m23(), m23(), [
        [
          [1, 1],
          [1, 1],
        ],
        [[], []],
      ]),
    ShapeError,
    // JAX's _dot_general_shape_rule (lax.py): repeated contracting dimensions
    'dot_general requires lhs contracting dimensions to be distinct, got lhs_contracting (1, 1).',
  ),
  c(
    'lax.dotGeneral batch count mismatch',
    () =>
      W.lax.dotGeneral(m23(), m23(), [
        [[1], [1]],
        [[0], []],
      ]),
    ShapeError,
    'dot_general requires equal numbers of lhs_batch and rhs_batch dimensions, got lhs_batch (0,) and rhs_batch ()',
  ),
  c('einsum with a wrong operand count', () => W.einsum('ij,jk->ik', m23()), ValueError, ''),
  c('einsum with mismatched sizes', () => W.einsum('ij,jk->ik', m23(), m23()), ShapeError, ''),
  c('einsum subscripts of the wrong rank', () => W.einsum('ijk->i', m23()), ValueError, ''),
  c('inner of mismatched vectors', () => W.inner(v2(), v3()), ShapeError, ''),
  c('vdot of different sizes', () => W.vdot(v2(), v3()), ShapeError, ''),
  c('cross of length-4 vectors', () => W.linalg.cross(f32([1, 2, 3, 4]), f32([1, 2, 3, 4])), ValueError, ''),
  c('linalg.cholesky of a non-square matrix', () => W.linalg.cholesky(m23()), ShapeError, 'must be'),
  c('linalg.cholesky of a vector', () => W.linalg.cholesky(v3()), ShapeError, ''),
  c(
    'linalg.inv of a non-square matrix',
    () => W.linalg.inv(m23()),
    ShapeError,
    'Argument to inv must have shape [..., n, n], got (2, 3)',
  ),
  c(
    'linalg.det of a non-square matrix',
    () => W.linalg.det(m23()),
    ShapeError,
    'must have shape [..., n, n], got (2, 3)',
  ),
  c('linalg.slogdet of a vector', () => W.linalg.slogdet(v3()), ShapeError, '(3,)'),
  c('linalg.eigh of a non-square matrix', () => W.linalg.eigh(m23()), ShapeError, '(2, 3)'),
  c('linalg.solve of mismatched shapes', () => W.linalg.solve(m22(), v3()), ShapeError, ''),
  c('linalg.solve of a non-square matrix', () => W.linalg.solve(m23(), v2()), ShapeError, ''),
  c(
    'linalg.norm with an unknown ord',
    () => W.linalg.norm(v3(), 'foo' as never),
    ValueError,
    "Invalid order 'foo' for vector norm",
  ),
  c(
    'linalg.norm with three axes',
    () => W.linalg.norm(W.ones([2, 2, 2]), { axis: [0, 1, 2] }),
    ValueError,
    'Improper number of axes for norm: axis=(0, 1, 2). Pass one axis to compute a vector-norm, or two axes to compute a matrix-norm',
  ),
  c(
    'linalg.norm matrix with a vector ord',
    () => W.linalg.norm(m23(), { ord: 3 }),
    ValueError,
    'Invalid order 3 for matrix norm',
  ),
  c('linalg.qr of a vector', () => W.linalg.qr(v3()), ShapeError, ''),
  c('linalg.svd of a vector', () => W.linalg.svd(v3()), ShapeError, ''),
  c('linalg.matrixPower of a non-square matrix', () => W.linalg.matrixPower(m23(), 2), ShapeError, ''),
  c('linalg.matrixPower fractional exponent', () => W.linalg.matrixPower(m22(), 0.5), ValueError, ''),
  c('linalg.pinv of a vector', () => W.linalg.pinv(v3()), ShapeError, ''),
  c('scipy.linalg.solveTriangular shape mismatch', () => scipyLinalg['solveTriangular']?.(m22(), v3()), ShapeError, ''),
  c('trace of a vector', () => W.trace(v3()), ValueError, ''),
  c('diagonal of a vector', () => W.diagonal(v3()), ValueError, ''),
  c('triu of a scalar', () => W.triu(f32(1)), ValueError, ''),
]

// ── random ──────────────────────────────────────────────────────────────────────────────
const randomCases: JaxBadInputCase[] = [
  c('random.normal of a key with 3 words', () => W.random.normal(i32([1, 2, 3]) as never, [2]), ShapeError, ''),
  c('random.normal of a float key', () => W.random.normal(f32([1, 2]) as never, [2]), DTypeError, ''),
  c(
    'random.normal with a fractional shape',
    () => W.random.normal(key(), [2.5] as never),
    ValueError,
    'Shapes must be 1D sequences of concrete values of integer type, got (2.5,)',
  ),
  c('random.normal with a negative shape', () => W.random.normal(key(), [-1]), ValueError, ''),
  c(
    'random.normal with an int dtype',
    () => W.random.normal(key(), [2], { dtype: 'int32' } as never),
    DTypeError,
    'dtype argument to `normal` must be a float dtype, got int32',
  ),
  c(
    'random.uniform with an int dtype',
    () => W.random.uniform(key(), [2], { dtype: 'int32' } as never),
    DTypeError,
    'dtype argument to `uniform` must be a float dtype, got int32',
  ),
  c(
    'random.uniform with a non-broadcasting minval',
    () => W.random.uniform(key(), [2], { minval: v3() } as never),
    ShapeError,
    '',
  ),
  c(
    'random.randint with a float dtype',
    () => rnd['randint']?.(key(), [2], 0, 5, { dtype: 'float32' }),
    DTypeError,
    'dtype argument to `randint` must be an int dtype, got float32',
  ),
  c('random.split of a batch of keys', () => W.random.split(W.random.split(key(), 2) as never), ShapeError, ''),
  c('random.split into -1 keys', () => W.random.split(key(), -1), ValueError, ''),
  c(
    'random.choice larger than the population without replacement',
    () => rnd['choice']?.(key(), 3, [5], { replace: false }),
    ValueError,
    'Cannot take a larger sample than population when replace=False',
  ),
  c(
    'random.choice of an empty population',
    () => rnd['choice']?.(key(), 0, [2]),
    ValueError,
    'a must be greater than 0 unless no samples are taken',
  ),
  c(
    'random.choice with p of the wrong shape',
    () => rnd['choice']?.(key(), 3, [2], { p: v2() }),
    ShapeError,
    'p must be None or match the shape of a',
  ),
  c(
    'random.permutation of a float scalar',
    () => W.random.permutation(key(), f32(2.5)),
    ValueError,
    'x must be an integer or at least 1-dimensional',
  ),
  c(
    'random.categorical with a non-broadcasting shape',
    () => rnd['categorical']?.(key(), m23(), { shape: [3] }),
    ShapeError,
    '',
  ),
  c('random.bernoulli with a non-broadcasting p', () => rnd['bernoulli']?.(key(), v3(), [2]), ShapeError, ''),
  c(
    'random.multivariateNormal with a scalar mean',
    () => rnd['multivariateNormal']?.(key(), f32(0), m22()),
    ShapeError,
    'multivariate_normal requires mean.ndim >= 1, got mean.ndim == 0',
  ),
  c(
    'random.multivariateNormal with a vector cov',
    () => rnd['multivariateNormal']?.(key(), v2(), v2()),
    ShapeError,
    'multivariate_normal requires cov.ndim >= 2, got cov.ndim == 1',
  ),
  c(
    'random.multivariateNormal mean/cov mismatch',
    () => rnd['multivariateNormal']?.(key(), v3(), m22()),
    ShapeError,
    'multivariate_normal requires mean.shape[-1] == cov.shape[-2] == cov.shape[-1]',
  ),
  c('random.foldIn of a float key', () => W.random.foldIn(f32([1, 2]) as never, 1), DTypeError, ''),
  c('random.key of a float seed', () => W.random.key(1.5), ValueError, ''),
  c('random.dirichlet of a scalar alpha', () => rnd['dirichlet']?.(key(), f32(1)), ShapeError, ''),
]

// ── lax structural ops ──────────────────────────────────────────────────────────────────
const laxCases: JaxBadInputCase[] = [
  c(
    'lax.slice wrong index count',
    () => W.lax.slice(m23(), [0], [1]),
    ShapeError,
    'slice start_indices must have length equal to the number of dimensions of the operand, got indices (0,) for operand shape (2, 3)',
  ),
  c(
    'lax.slice limit beyond the shape',
    () => W.lax.slice(m23(), [0, 0], [3, 3]),
    ShapeError,
    'slice limit_indices must be less than or equal to operand shape, got limit_indices (3, 3) for operand shape (2, 3)',
  ),
  c(
    'lax.slice start after limit',
    () => W.lax.slice(m23(), [1, 0], [0, 3]),
    ShapeError,
    'slice limit_indices must be greater than or equal to start_indices, got start_indices (1, 0) and limit_indices (0, 3)',
  ),
  c(
    'lax.slice negative start',
    () => W.lax.slice(m23(), [-1, 0], [1, 3]),
    ShapeError,
    'slice start_indices must be greater than or equal to zero, got start_indices (-1, 0)',
  ),
  c(
    'lax.dynamicSlice wrong index count',
    () => W.lax.dynamicSlice(m23(), [0], [1, 1]),
    ShapeError,
    'dynamic_slice start_indices must have length equal to the number of dimensions of the operand',
  ),
  c(
    'lax.dynamicSlice sizes larger than the operand',
    () => W.lax.dynamicSlice(m23(), [0, 0], [3, 3]),
    ShapeError,
    'slice slice_sizes must be less than or equal to operand shape, got slice_sizes (3, 3) for operand shape (2, 3)',
  ),
  c(
    'lax.dynamicUpdateSlice update larger than the operand',
    () => W.lax.dynamicUpdateSlice(v2(), v3(), [0]),
    ShapeError,
    'dynamic_update_slice update shape must be smaller than operand shape, got update shape (3,) for operand shape (2,)',
  ),
  c(
    'lax.dynamicUpdateSlice rank mismatch',
    () => W.lax.dynamicUpdateSlice(m23(), v3(), [0, 0]),
    ShapeError,
    'dynamic_update_slice update must have the same rank as operand, got update shape (3,) for operand shape (2, 3)',
  ),
  c(
    'lax.squeeze a size-3 dimension',
    () => W.lax.squeeze(m23(), [1]),
    ShapeError,
    'cannot select an axis to squeeze out which has size not equal to one, got shape=(2, 3) and dimensions=(1,)',
  ),
  c(
    'lax.rev dimension out of range',
    () => W.lax.rev(m23(), [2]),
    ShapeError,
    // JAX's _rev_shape_rule (lax.py): 'rev dimensions must all be less than operand ndim, got dimensions {} for operand ndim {}.'
    'rev dimensions must all be less than operand ndim, got dimensions (2,) for operand ndim 2.',
  ),
  c(
    'lax.broadcastInDim wrong dims count',
    () => lax['broadcastInDim']?.(v3(), [2, 3], [0, 1]),
    ShapeError,
    'broadcast_in_dim broadcast_dimensions must have length equal to operand ndim',
  ),
  c(
    'lax.reduceWindow of a wrong window rank',
    () => lax['reduceWindow']?.(m23(), 0, 'sum', [2], [1], 'VALID'),
    ShapeError,
    '',
  ),
  c('lax.convGeneralDilated of a vector', () => lax['convGeneralDilated']?.(v3(), v3(), [1], 'VALID'), ShapeError, ''),
  c('lax.sortKeyVal of mismatched shapes', () => W.lax.sortKeyVal(v2(), v3()), ShapeError, ''),
  c('lax.cumsum axis out of range', () => lax['cumsum']?.(m23(), { axis: 2 }), ShapeError, 'axis 2 is out of bounds'),
  c('lax.topK with k larger than the axis', () => lax['topK']?.(v3(), 5), ValueError, ''),
  c('lax.collapse bad range', () => W.lax.collapse(m23(), 1, 5), ShapeError, ''),
  c(
    'lax.selectN of mismatched cases',
    () => W.lax.selectN(W.array(true), v2(), v3()),
    ShapeError,
    'select cases must have the same shapes',
  ),
  c('lax.selectN with a float selector', () => W.lax.selectN(f32(0.5), v2(), v2()), DTypeError, ''),
]

// ── pytrees ─────────────────────────────────────────────────────────────────────────────
const treeCases: JaxBadInputCase[] = [
  c(
    'tree.map over mismatched structures',
    () => tree['map']?.((a: NdArray, b: NdArray) => W.add(a, b), [v2(), v2()], [v2()]),
    TreeMismatchError,
    '',
  ),
  c(
    'tree.map over mismatched dict keys',
    () => tree['map']?.((a: NdArray, b: NdArray) => W.add(a, b), { a: v2() }, { b: v2() }),
    TreeMismatchError,
    '',
  ),
  c(
    'tree.unflatten with too few leaves',
    () => {
      const [, def] = W.tree.flatten([v2(), v2()])
      return W.tree.unflatten(def, [v2()])
    },
    TreeMismatchError,
    '',
  ),
  c(
    'grad with an argnums-selected tree of ints',
    () => W.grad((t: { a: NdArray }) => W.sum(W.astype(t.a, 'float32')))({ a: i32([1]) }),
    DTypeError,
    'but got int32',
  ),
  c(
    'vmap inAxes not a prefix of the arguments',
    () => W.vmap((t: { a: NdArray }) => W.sum(t.a), { inAxes: [{ b: 0 }] as never })({ a: m23() }),
    ValueError,
    'vmap in_axes specification must be a tree prefix of the corresponding value',
  ),
]

// ── numpy-like elementwise and dtype checks ─────────────────────────────────────────────
const elementwiseCases: JaxBadInputCase[] = [
  c(
    'astype to an unknown dtype',
    () => W.astype(v2(), 'float128' as never),
    DTypeError,
    'Dtype float128 is not a valid JAX array type',
  ),
  c(
    'array with an unknown dtype',
    () => W.array([1], { dtype: 'foo' as never }),
    DTypeError,
    "data type 'foo' not understood",
  ),
  c('add of a string', () => W.add(v2(), 'a' as never), ValueError, ''),
  c(
    'clip with a non-broadcasting bound',
    () => W.clip(v3(), v2(), 5),
    ShapeError,
    'Incompatible shapes for broadcasting',
  ),
  c('sum of a nested string', () => W.sum(['a'] as never), ValueError, ''),
  c('item of a vector', () => W.item(v3()), ValueError, 'can only convert an array of size 1'),
  c('searchsorted of a matrix', () => J['searchsorted']?.(m23(), v2()), ShapeError, 'a should be 1-dimensional'),
  c('interp of mismatched xp/fp', () => J['interp']?.(v2(), v3(), v2()), ShapeError, ''),
  c('bincount of floats', () => J['bincount']?.(v2()), DTypeError, ''),
  c('histogram with a negative bin count', () => J['histogram']?.(v3(), { bins: -1 }), ValueError, ''),
  c('convolve of a matrix', () => W.convolve(m23(), v2()), ShapeError, ''),
  c('polyval of a matrix coefficient', () => J['polyval']?.(m23(), v2()), ShapeError, ''),
  c(
    'diff with a negative order',
    () => J['diff']?.(v3(), { n: -1 }),
    ValueError,
    'order must be non-negative but got -1',
  ),
  c(
    'nn.logSoftmax axis out of range',
    () => (W.nn as unknown as Loose)['logSoftmax']?.(v3(), { axis: 1 }),
    ShapeError,
    'axis 1 is out of bounds',
  ),
  c('quantile with q above 1', () => J['quantile']?.(v3(), 1.5), ValueError, ''),
  c('percentile with an unknown method', () => J['percentile']?.(v3(), 50, { method: 'foo' }), ValueError, ''),
]

/** Every case, grouped as above. */
export const jaxBadInputCases: ReadonlyArray<JaxBadInputCase> = [
  ...gradCases,
  ...vjpCases,
  ...vmapCases,
  ...jitCases,
  ...customCases,
  ...controlCases,
  ...shapeCases,
  ...atCases,
  ...linalgCases,
  ...randomCases,
  ...laxCases,
  ...treeCases,
  ...elementwiseCases,
]
export { NotDifferentiableError }
