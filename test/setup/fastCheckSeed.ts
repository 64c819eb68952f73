/**
 * Property tests draw a new seed each run, so `npm test` keeps searching new inputs. CI pins one
 * (`FC_SEED` in .ci/run) so that a landing decision never depends on the draw; a failure found
 * locally prints its seed and path for `fc.assert` to replay. A deeper search:
 * `LAWS_RUNS_SCALE=10 npx vitest run test/laws.test.ts`.
 */
import * as fc from 'fast-check'

const pinned = process.env['FC_SEED']
if (pinned !== undefined && pinned !== '') {
  const seed = Number(pinned)
  if (!Number.isInteger(seed)) throw new Error(`FC_SEED must be an integer, got ${JSON.stringify(pinned)}`)
  fc.configureGlobal({ ...fc.readConfigureGlobal(), seed })
}
