/**
 * Core probe calls (test/ops/badInputProbe.test.ts) that still throw a raw JavaScript error instead of
 * a typed one: issue 10. The list is empty — every exported function checks its arguments (shared
 * checks in src/internal/args.ts) — and must stay so: never add an entry.
 */
export const KNOWN_RAW_CALLS: ReadonlyArray<string> = []
