/** Global setup of `npm run test:browser`: builds dist/ if the sources changed (a no-op when up to date). */
import { buildPackage } from './harness'

export default function setup(): void {
  buildPackage()
}
