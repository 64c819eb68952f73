import { it } from 'vitest'
import * as torch from 'wengert/torch'
it('scratch', () => {
  const x = torch.tensor([1, 2, 3], { dtype: torch.float64, requires_grad: true })
  const y = x.pow(2).sin()
  const u = torch.zeros_like(y).requires_grad_(true)
  const [gi] = torch.autograd.grad([y], [x], { grad_outputs: [u], create_graph: true })
  const v = torch.tensor([1, 0, 2], { dtype: torch.float64 })
  const [jv] = torch.autograd.grad([gi!], [u], { grad_outputs: [v] })
  console.log(String(jv), String(x.pow(2).cos().mul(x.mul(2)).mul(v)))
})
