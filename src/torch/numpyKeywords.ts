/**
 * PyTorch's argument parser accepts NumPy's keyword names beside its own: `axis` for `dim`,
 * `keepdims` for `keepdim`, `x`, `a` or `x1` for `input` and `x2` for `other`
 * (`P.sum(1, keepdims=True)`, `torch.mean(x, axis=0)`). The facade renames them to PyTorch's
 * names before the keyword check, for methods and functions whose signature has the PyTorch name;
 * giving both names still fails the check, as in PyTorch.
 *
 * @category torch
 * @since 0.16.0
 */

// ---------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------

/** NumPy's keyword → PyTorch's, as python_arg_parser's compatibility table maps them. */
const NUMPY_ALIASES: ReadonlyMap<string, string> = new Map([
  ['axis', 'dim'],
  ['keepdims', 'keepdim'],
  ['x', 'input'],
  ['a', 'input'],
  ['x1', 'input'],
  ['x2', 'other'],
])

// ---------------------------------------------------------------------------------------------
// utils
// ---------------------------------------------------------------------------------------------

/**
 * `kw` with each NumPy alias renamed to the PyTorch name that `accepts` knows, when `accepts` does
 * not know the alias itself and the PyTorch name is not given too; `kw` itself when nothing is
 * renamed (the common call allocates nothing).
 * @internal
 */
export const renameNumpyKeywords = (
  kw: Readonly<Record<string, unknown>>,
  accepts: (name: string) => boolean,
): Readonly<Record<string, unknown>> => {
  let out: Record<string, unknown> | undefined
  for (const k of Object.keys(kw)) {
    const canonical = NUMPY_ALIASES.get(k)
    if (canonical === undefined || accepts(k) || !accepts(canonical) || Object.hasOwn(kw, canonical)) continue
    out ??= { ...kw }
    out[canonical] = out[k]
    delete out[k]
  }
  return out ?? kw
}
