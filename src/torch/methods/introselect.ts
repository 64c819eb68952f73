/**
 * The element PyTorch's CPU `median(dim)` / `nanmedian(dim)` pick: their kernel partitions a
 * vector of positions 0…n−1 with the C++ library's `nth_element` in the order (value, position),
 * NaN last for `nanmedian`, so only NaNs are equivalent; which of them ends at the middle of an
 * all-NaN row depends on that partition. This models GNU libstdc++'s introselect, the library of PyTorch's Linux wheels:
 * while more than 3 positions remain, the median of (second, middle, last) is moved to the front
 * as pivot, the rest partitioned around it (Hoare's scheme, swapping from both ends), and the side
 * holding the wanted position kept; the last ≤ 3 are insertion-sorted. Its depth limit
 * (2·⌊log₂ n⌋ rounds, then a heap selection) is not reached by the rows modelled here: past it
 * the remaining range is sorted stably, which gives a tie another of its positions.
 *
 * @category torch
 * @since 0.3.0
 */

/** An order on positions: true when the element at `a` goes before the one at `b`. */
export type Before = (a: number, b: number) => boolean

const swap = (p: number[], i: number, j: number): void => {
  const t = p[i] as number
  p[i] = p[j] as number
  p[j] = t
}

/** Moves the median of the positions at a, b, c (by `before`) to `to`, as the pivot. */
const medianToFront = (p: number[], to: number, a: number, b: number, c: number, before: Before): void => {
  const lt = (i: number, j: number): boolean => before(p[i] as number, p[j] as number)
  if (lt(a, b)) swap(p, to, lt(b, c) ? b : lt(a, c) ? c : a)
  else swap(p, to, lt(a, c) ? a : lt(b, c) ? c : b)
}

/** Partitions p[lo, hi) around the pivot at p[pivot]; returns the cut. */
const partition = (p: number[], lo: number, hi: number, pivot: number, before: Before): number => {
  const v = p[pivot] as number
  for (;;) {
    while (before(p[lo] as number, v)) lo++
    hi--
    while (before(v, p[hi] as number)) hi--
    if (lo >= hi) return lo
    swap(p, lo, hi)
    lo++
  }
}

/** Insertion sort of p[lo, hi): an element goes before the first one it is strictly before. */
const insertionSort = (p: number[], lo: number, hi: number, before: Before): void => {
  for (let i = lo + 1; i < hi; i++) {
    const v = p[i] as number
    if (before(v, p[lo] as number)) {
      for (let j = i; j > lo; j--) p[j] = p[j - 1] as number
      p[lo] = v
      continue
    }
    let j = i
    while (before(v, p[j - 1] as number)) {
      p[j] = p[j - 1] as number
      j--
    }
    p[j] = v
  }
}

/** The position that ends at index `nth` of 0…n−1 after GNU's `nth_element` by `before`. */
export const nthPosition = (n: number, nth: number, before: Before): number => {
  const p = Array.from({ length: n }, (_, i) => i)
  let lo = 0
  let hi = n
  let depth = 2 * Math.floor(Math.log2(Math.max(1, n)))
  while (hi - lo > 3) {
    if (depth === 0) {
      const rest = p.slice(lo, hi).sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0))
      return rest[nth - lo] as number
    }
    depth--
    medianToFront(p, lo, lo + 1, lo + ((hi - lo) >> 1), hi - 1, before)
    const cut = partition(p, lo + 1, hi, lo, before)
    if (cut <= nth) lo = cut
    else hi = cut
  }
  insertionSort(p, lo, hi, before)
  return p[nth] as number
}
