import { diffPrograms } from './run'
import { generate } from './generate'
const seeds = process.argv.slice(2).map(Number)
const rs = diffPrograms(seeds.map((s) => generate(s)))
rs.forEach((r, k) => {
  const errs = r.torch.filter((e) => e.k === 'err').map((e) => JSON.stringify(e).slice(0, 160))
  console.log(seeds[k], r.diff?.key ?? 'agree', errs.join(' | '))
})
