import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/knowledge_distillation.json'
import { expectClose, summary } from './portHelpers'

// PyTorch's "Knowledge Distillation Tutorial" ported line by line on small random CIFAR-shaped
// data (twin: test/torch/fixtures/ports/knowledge_distillation.py, which lists the size changes):
// teacher DeepNN and student LightNN trained with cross-entropy, distillation with a temperature
// (the written-out KL divergence, checked against F.kl_div batchmean), the cosine variant
// (CosineEmbeddingLoss on hidden features, load_state_dict of the teacher) with a forward hook on
// the teacher's features, and the regressor variant (MSELoss on feature maps).
const { nn } = torch
const optim = torch.optim
const { DataLoader, TensorDataset } = torch.utils.data
type T = torch.Tensor
type Loader = Iterable<unknown> & { length: number }
const device = 'cpu'
const out: Record<string, unknown> = {}
const first_grads: Record<string, Record<string, number[]>> = {}

class DeepNN extends nn.Module {
  features = nn.Sequential(
    nn.Conv2d(3, 16, { kernel_size: 3, padding: 1 }),
    nn.ReLU(),
    nn.Conv2d(16, 16, { kernel_size: 3, padding: 1 }),
    nn.ReLU(),
    nn.MaxPool2d({ kernel_size: 2, stride: 2 }),
    nn.Conv2d(16, 16, { kernel_size: 3, padding: 1 }),
    nn.ReLU(),
    nn.Conv2d(16, 32, { kernel_size: 3, padding: 1 }),
    nn.ReLU(),
    nn.MaxPool2d({ kernel_size: 2, stride: 2 }),
  )
  classifier: torch.nn.Sequential
  constructor(num_classes = 10) {
    super()
    this.classifier = nn.Sequential(nn.Linear(2048, 512), nn.ReLU(), nn.Dropout(0.1), nn.Linear(512, num_classes))
  }
  forward(x: T): T | [T, T] {
    x = this.features.call(x)
    x = torch.flatten(x, 1)
    x = this.classifier.call(x)
    return x
  }
}

class LightNN extends nn.Module {
  features = nn.Sequential(
    nn.Conv2d(3, 16, { kernel_size: 3, padding: 1 }),
    nn.ReLU(),
    nn.MaxPool2d({ kernel_size: 2, stride: 2 }),
    nn.Conv2d(16, 16, { kernel_size: 3, padding: 1 }),
    nn.ReLU(),
    nn.MaxPool2d({ kernel_size: 2, stride: 2 }),
  )
  classifier: torch.nn.Sequential
  constructor(num_classes = 10) {
    super()
    this.classifier = nn.Sequential(nn.Linear(1024, 256), nn.ReLU(), nn.Dropout(0.1), nn.Linear(256, num_classes))
  }
  forward(x: T): T | [T, T] {
    x = this.features.call(x)
    x = torch.flatten(x, 1)
    x = this.classifier.call(x)
    return x
  }
}

const grads_of = (model: torch.nn.Module): Record<string, number[]> => {
  const g: Record<string, number[]> = {}
  for (const [n, p] of model.named_parameters()) {
    if (p.grad === null) continue
    const head = p.grad.detach().reshape(-1).index(':6').tolist() as number[]
    g[n] = [...head, p.grad.double().abs().sum().item() as number]
  }
  return g
}

const train = (model: DeepNN | LightNN, train_loader: Loader, epochs: number, learning_rate: number, tag: string) => {
  const criterion = nn.CrossEntropyLoss()
  const optimizer = optim.Adam(model.parameters(), { lr: learning_rate })
  model.train()
  const losses: number[] = []
  for (let epoch = 0; epoch < epochs; epoch++) {
    let running_loss = 0.0
    for (const batch of train_loader) {
      let [inputs, labels] = batch as [T, T]
      ;[inputs, labels] = [inputs.to(device), labels.to(device)]
      optimizer.zero_grad()
      const outputs = model.call(inputs) as T
      const loss = criterion.call(outputs, labels)
      loss.backward()
      if (!(tag in first_grads)) first_grads[tag] = grads_of(model)
      optimizer.step()
      running_loss += loss.item() as number
    }
    losses.push(running_loss / train_loader.length)
  }
  out['loss_' + tag] = losses
}

const test = (model: DeepNN | LightNN, test_loader: Loader): number => {
  model.to(device)
  model.eval()
  let correct = 0
  let total = 0
  torch.no_grad(() => {
    for (const batch of test_loader) {
      let [inputs, labels] = batch as [T, T]
      ;[inputs, labels] = [inputs.to(device), labels.to(device)]
      let outputs = model.call(inputs)
      if (Array.isArray(outputs)) outputs = outputs[0]
      const [, predicted] = torch.max((outputs as T).data, 1)
      total += labels.size(0)
      correct += predicted.eq(labels).sum().item() as number
    }
  })
  const accuracy = (100 * correct) / total
  return accuracy
}

const train_knowledge_distillation = (
  teacher: DeepNN,
  student: LightNN,
  train_loader: Loader,
  epochs: number,
  learning_rate: number,
  T: number,
  soft_target_loss_weight: number,
  ce_loss_weight: number,
) => {
  const ce_loss = nn.CrossEntropyLoss()
  const optimizer = optim.Adam(student.parameters(), { lr: learning_rate })
  teacher.eval() // Teacher set to evaluation mode
  student.train() // Student to train mode
  const losses: number[] = []
  const kl: number[][] = []
  for (let epoch = 0; epoch < epochs; epoch++) {
    let running_loss = 0.0
    for (const batch of train_loader) {
      let [inputs, labels] = batch as [T, T]
      ;[inputs, labels] = [inputs.to(device), labels.to(device)]
      optimizer.zero_grad()
      // Forward pass with the teacher model - do not save gradients here as we do not change the teacher's weights
      const teacher_logits = torch.no_grad(() => teacher.call(inputs) as T)
      // Forward pass with the student model
      const student_logits = student.call(inputs) as T
      // Soften the student logits by applying softmax first and log() second
      const soft_targets = nn.functional.softmax(teacher_logits.div(T), { dim: -1 })
      const soft_prob = nn.functional.log_softmax(student_logits.div(T), { dim: -1 })
      // Calculate the soft targets loss. Scaled by T**2 as suggested by the authors of the paper
      const soft_targets_loss = torch
        .sum(soft_targets.mul(soft_targets.log().sub(soft_prob)))
        .div(soft_prob.size()[0] as number)
        .mul(T ** 2)
      // added: the same loss through kl_div
      const viaKl = nn.functional.kl_div(soft_prob, soft_targets, { reduction: 'batchmean' }).mul(T ** 2)
      kl.push([soft_targets_loss.item() as number, viaKl.item() as number])
      // Calculate the true label loss
      const label_loss = ce_loss.call(student_logits, labels)
      // Weighted sum of the two losses
      const loss = soft_targets_loss.mul(soft_target_loss_weight).add(label_loss.mul(ce_loss_weight))
      loss.backward()
      if (!('kd' in first_grads)) first_grads.kd = grads_of(student)
      optimizer.step()
      running_loss += loss.item() as number
    }
    losses.push(running_loss / train_loader.length)
  }
  out.loss_kd = losses
  out.kl = kl
}

class ModifiedDeepNNCosine extends DeepNN {
  override forward(x: T): [T, T] {
    x = this.features.call(x)
    const flattened_conv_output = torch.flatten(x, 1)
    x = this.classifier.call(flattened_conv_output)
    const flattened_conv_output_after_pooling = nn.functional.avg_pool1d(flattened_conv_output, 2)
    return [x, flattened_conv_output_after_pooling]
  }
}

class ModifiedLightNNCosine extends LightNN {
  override forward(x: T): [T, T] {
    x = this.features.call(x)
    const flattened_conv_output = torch.flatten(x, 1)
    x = this.classifier.call(flattened_conv_output)
    return [x, flattened_conv_output]
  }
}

/** The cosine and the regressor variants share this loop: `hidden(student, teacher, inputs)`. */
const train_hidden = (
  tag: string,
  teacher: DeepNN,
  student: LightNN,
  train_loader: Loader,
  epochs: number,
  learning_rate: number,
  hidden_weight: number,
  ce_loss_weight: number,
  hidden_loss: (s: T, t: T, inputs: T) => T,
) => {
  const ce_loss = nn.CrossEntropyLoss()
  const optimizer = optim.Adam(student.parameters(), { lr: learning_rate })
  teacher.to(device)
  student.to(device)
  teacher.eval() // Teacher set to evaluation mode
  student.train() // Student to train mode
  const losses: number[] = []
  for (let epoch = 0; epoch < epochs; epoch++) {
    let running_loss = 0.0
    for (const batch of train_loader) {
      let [inputs, labels] = batch as [T, T]
      ;[inputs, labels] = [inputs.to(device), labels.to(device)]
      optimizer.zero_grad()
      // Forward pass with the teacher model and keep only the hidden representation
      const [, teacher_hidden] = torch.no_grad(() => teacher.call(inputs) as [T, T])
      // Forward pass with the student model
      const [student_logits, student_hidden] = student.call(inputs) as [T, T]
      const hidden_rep_loss = hidden_loss(student_hidden, teacher_hidden, inputs)
      // Calculate the true label loss
      const label_loss = ce_loss.call(student_logits, labels)
      // Weighted sum of the two losses
      const loss = hidden_rep_loss.mul(hidden_weight).add(label_loss.mul(ce_loss_weight))
      loss.backward()
      if (!(tag in first_grads)) first_grads[tag] = grads_of(student)
      optimizer.step()
      running_loss += loss.item() as number
    }
    losses.push(running_loss / train_loader.length)
  }
  out['loss_' + tag] = losses
}

const cosine_loss = nn.CosineEmbeddingLoss()
// Calculate the cosine loss. Target is a vector of ones: minimising the loss raises the cosine similarity.
const cosineHidden = (s: T, t: T, inputs: T): T =>
  cosine_loss.call(s, t, { target: torch.ones(inputs.size(0)).to(device) })
const mse_loss = nn.MSELoss()
const mseHidden = (s: T, t: T): T => mse_loss.call(s, t)

class ModifiedDeepNNRegressor extends DeepNN {
  override forward(x: T): [T, T] {
    x = this.features.call(x)
    const conv_feature_map = x
    x = torch.flatten(x, 1)
    x = this.classifier.call(x)
    return [x, conv_feature_map]
  }
}

class ModifiedLightNNRegressor extends LightNN {
  // Include an extra regressor (in our case linear)
  regressor = nn.Sequential(nn.Conv2d(16, 32, { kernel_size: 3, padding: 1 }))
  override forward(x: T): [T, T] {
    x = this.features.call(x)
    const regressor_output = this.regressor.call(x)
    x = torch.flatten(x, 1)
    x = this.classifier.call(x)
    return [x, regressor_output]
  }
}

const norm0 = (m: DeepNN | LightNN): number => torch.norm((m.features[0] as torch.nn.Conv2d).weight).item() as number
const numel = (m: torch.nn.Module): number => [...m.parameters()].reduce((s, p) => s + p.numel(), 0)

describe('the PyTorch knowledge distillation tutorial', () => {
  it('trains teacher, student and the three distillation variants as PyTorch does', () => {
    torch.manual_seed(0)
    const [train_x, train_y] = [torch.rand(24, 3, 32, 32), torch.randint(0, 10, [24])]
    const [test_x, test_y] = [torch.rand(16, 3, 32, 32), torch.randint(0, 10, [16])]
    const train_loader = DataLoader(TensorDataset(train_x, train_y), { batch_size: 8, shuffle: true })
    const test_loader = DataLoader(TensorDataset(test_x, test_y), { batch_size: 8, shuffle: false })

    torch.manual_seed(42)
    const nn_deep = new DeepNN(10).to(device)
    train(nn_deep, train_loader, 1, 0.001, 'deep')
    const test_accuracy_deep = test(nn_deep, test_loader)

    // Instantiate the lightweight network:
    torch.manual_seed(42)
    const nn_light = new LightNN(10).to(device)
    torch.manual_seed(42)
    const new_nn_light = new LightNN(10).to(device)
    out.norms = [norm0(nn_light), norm0(new_nn_light)]
    out.n_params = [numel(nn_deep), numel(nn_light)]
    train(nn_light, train_loader, 1, 0.001, 'light')
    const test_accuracy_light_ce = test(nn_light, test_loader)

    // Apply train_knowledge_distillation with a temperature of 2: weights 0.75 for CE and 0.25 for distillation.
    train_knowledge_distillation(nn_deep, new_nn_light, train_loader, 1, 0.001, 2, 0.25, 0.75)
    const test_accuracy_light_ce_and_kd = test(new_nn_light, test_loader)

    // We do not have to train the modified deep network from scratch, we just load its weights from the trained instance
    const modified_nn_deep = new ModifiedDeepNNCosine(10).to(device)
    modified_nn_deep.load_state_dict(nn_deep.state_dict())
    // Once again ensure the norm of the first layer is the same for both networks
    out.cos_norms = [norm0(nn_deep), norm0(modified_nn_deep)]
    // A modified lightweight network with the same seed as the other lightweight instances, trained from scratch
    torch.manual_seed(42)
    const modified_nn_light = new ModifiedLightNNCosine(10).to(device)
    // added: a forward hook recording the teacher's feature maps
    const captured: number[][] = []
    const handle = modified_nn_deep.features.register_forward_hook((_m, _inp, output) => {
      captured.push([...(output as T).shape])
    })
    train_hidden('cos', modified_nn_deep, modified_nn_light, train_loader, 1, 0.001, 0.25, 0.75, cosineHidden)
    handle.remove()
    out.captured = captured
    const test_accuracy_light_ce_and_cosine_loss = test(modified_nn_light, test_loader)

    // Initialize a ModifiedLightNNRegressor
    torch.manual_seed(42)
    const modified_nn_light_reg = new ModifiedLightNNRegressor(10).to(device)
    // We just load the teacher's weights from the trained instance
    const modified_nn_deep_reg = new ModifiedDeepNNRegressor(10).to(device)
    modified_nn_deep_reg.load_state_dict(nn_deep.state_dict())
    // Train and test once again
    train_hidden('mse', modified_nn_deep_reg, modified_nn_light_reg, train_loader, 1, 0.001, 0.25, 0.75, mseHidden)
    const test_accuracy_light_ce_and_mse_loss = test(modified_nn_light_reg, test_loader)

    out.accuracies = [
      test_accuracy_deep,
      test_accuracy_light_ce,
      test_accuracy_light_ce_and_kd,
      test_accuracy_light_ce_and_cosine_loss,
      test_accuracy_light_ce_and_mse_loss,
    ]
    out.grads = first_grads
    out.trained = {
      deep: summary(nn_deep),
      light: summary(nn_light),
      kd: summary(new_nn_light),
      cos: summary(modified_nn_light),
      mse: summary(modified_nn_light_reg),
    }
    const fx = fixture as Record<string, unknown>
    expect(out.n_params).toEqual(fx.n_params)
    expect(out.captured).toEqual(fx.captured)
    expect(out.accuracies).toEqual(fx.accuracies)
    for (const k of ['norms', 'cos_norms', 'loss_deep', 'loss_light', 'loss_kd', 'loss_cos', 'loss_mse'])
      expectClose(out[k], fx[k], 1e-5, 1e-6, k)
    expectClose(out.kl, fx.kl, 1e-4, 1e-7, 'kl')
    expectClose(out.grads, fx.grads, 1e-3, 1e-6, 'grads')
    expectClose(out.trained, fx.trained, 1e-4, 1e-5, 'trained')
  })
})
