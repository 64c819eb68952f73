import { describe, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/fgsm.json'
import { expectClose } from './portHelpers'

// PyTorch's "Adversarial Example Generation" (FGSM) tutorial ported line by line with a randomly
// initialised LeNet and random images labelled by the model's own clean predictions on even
// samples (twin: test/torch/fixtures/ports/fgsm.py): data.requires_grad = true, nll_loss,
// model.zero_grad(), data.grad.data.sign(), clamp, max(1, keepdim)[1].item(), adversarial examples
// kept through squeeze().detach().cpu().numpy().
const { nn } = torch
const F = torch.nn.functional
const { DataLoader, TensorDataset } = torch.utils.data
type Tensor = torch.Tensor

const epsilons = [0, 0.05, 0.1, 0.2, 0.3]
const device = torch.device('cpu')

// LeNet Model definition
class Net extends nn.Module {
  conv1 = nn.Conv2d(1, 10, { kernel_size: 5 })
  conv2 = nn.Conv2d(10, 20, { kernel_size: 5 })
  conv2_drop = nn.Dropout2d()
  fc1 = nn.Linear(320, 50)
  fc2 = nn.Linear(50, 10)

  forward(x: Tensor): Tensor {
    x = F.relu(F.max_pool2d(this.conv1.call(x), 2))
    x = F.relu(F.max_pool2d(this.conv2_drop.call(this.conv2.call(x)), 2))
    x = x.view(-1, 320)
    x = F.relu(this.fc1.call(x))
    x = F.dropout(x, { training: this.training })
    x = this.fc2.call(x)
    return F.log_softmax(x, { dim: 1 })
  }
}

// FGSM attack code
const fgsm_attack = (image: Tensor, epsilon: number, data_grad: Tensor): Tensor => {
  // Collect the element-wise sign of the data gradient
  const sign_data_grad = data_grad.sign()
  // Create the perturbed image by adjusting each pixel of the input image
  let perturbed_image = image.add(sign_data_grad.mul(epsilon))
  // Adding clipping to maintain [0,1] range
  perturbed_image = torch.clamp(perturbed_image, 0, 1)
  return perturbed_image
}

type Example = [number, number, ReturnType<Tensor['numpy']>]

const test = (
  model: Net,
  test_loader: Iterable<unknown> & { length: number },
  epsilon: number,
): [number, Example[]] => {
  // Accuracy counter
  let correct = 0
  const adv_examples: Example[] = []
  // Loop over all examples in test set
  for (const batch of test_loader) {
    let [data, target] = batch as [Tensor, Tensor]
    ;[data, target] = [data.to(device), target.to(device)]
    // Set requires_grad attribute of tensor. Important for Attack
    data.requires_grad = true
    // Forward pass the data through the model
    let output = model.call(data)
    const init_pred = output.max(1, { keepdim: true })[1] // get the index of the max log-probability
    // If the initial prediction is wrong, don't bother attacking, just move on
    if (init_pred.item() !== target.item()) continue
    const loss = F.nll_loss(output, target)
    model.zero_grad()
    loss.backward()
    // Collect datagrad
    const data_grad = (data.grad as Tensor).data
    // Call FGSM Attack
    const perturbed_data = fgsm_attack(data, epsilon, data_grad)
    // Re-classify the perturbed image
    output = model.call(perturbed_data)
    // Check for success
    const final_pred = output.max(1, { keepdim: true })[1]
    if (final_pred.item() === target.item()) {
      correct += 1
      // Special case for saving 0 epsilon examples
      if (epsilon === 0 && adv_examples.length < 5) {
        const adv_ex = perturbed_data.squeeze().detach().cpu().numpy()
        adv_examples.push([init_pred.item(), final_pred.item(), adv_ex])
      }
    } else if (adv_examples.length < 5) {
      // Save some adv examples for visualization later
      const adv_ex = perturbed_data.squeeze().detach().cpu().numpy()
      adv_examples.push([init_pred.item(), final_pred.item(), adv_ex])
    }
  }
  // Calculate final accuracy for this epsilon
  const final_acc = correct / test_loader.length
  return [final_acc, adv_examples]
}

describe('FGSM adversarial example tutorial', () => {
  it('attacks as PyTorch does', () => {
    torch.manual_seed(3)
    // Initialize the network
    const model = new Net().to(device)
    // Set the model in evaluation mode. In this case this is for the Dropout layers
    model.eval()
    const images = torch.rand(12, 1, 28, 28)
    const clean = torch.no_grad(() => model.call(images).argmax(1))
    const labels = torch.where(torch.arange(12).remainder(2).eq(0), clean, clean.add(1).remainder(10))
    const test_loader = DataLoader(TensorDataset(images, labels), { batch_size: 1, shuffle: true })

    const accuracies: number[] = []
    const examples: number[][][] = []
    // Run test for each epsilon
    for (const eps of epsilons) {
      const [acc, ex] = test(model, test_loader, eps)
      accuracies.push(acc)
      examples.push(
        ex.map(([a, b, c]) => {
          const values = Array.from(c.toTypedArray() as ArrayLike<number>)
          return [a, b, values.reduce((s, v) => s + v, 0), c.shape[0] as number, c.shape[1] as number]
        }),
      )
    }
    expectClose(labels.tolist(), fixture.labels, 0, 0)
    expectClose(accuracies, fixture.accuracies, 0, 0)
    expectClose(examples, fixture.examples, 1e-6, 1e-4)
    expectClose(model.fc1.weight.grad?.double().sum().item(), fixture.fc1_grad, 1e-4, 1e-5)
  })
})
