/**
 * `torch.<name>(<args>)` probe calls (test/torch/badInputProbe.test.ts) that still throw a raw JavaScript
 * error instead of a typed one: issue 10, left to do. Remove an entry when its function checks its
 * arguments (the probe fails on a stale entry); never add one.
 */
export const KNOWN_RAW_CALLS: ReadonlyArray<string> = []
