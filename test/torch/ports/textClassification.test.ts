import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/text_classification.json'
import { expectClose, summary } from './portHelpers'

// PyTorch's "Text classification with the torchtext library" tutorial ported line by line on a
// small in-file corpus (twin: test/torch/fixtures/ports/text_classification.py; a whitespace
// tokenizer and first-seen vocabulary stand in for torchtext): nn.EmbeddingBag with offsets built
// by cumsum in collate_batch, random_split, DataLoader with collate_fn, clip_grad_norm_, and a
// StepLR stepped only when validation accuracy drops.
const { nn } = torch
const { DataLoader, random_split } = torch.utils.data
type Tensor = torch.Tensor
type Sample = [number, string]

const device = torch.device('cpu')

const train_iter: Sample[] = [
  [1, 'the team won the match in the final minute'],
  [2, 'stocks fell as the market closed lower today'],
  [3, 'the new phone has a faster chip and better camera'],
  [4, 'leaders met to discuss the trade agreement'],
  [1, 'the striker scored twice in the second half'],
  [2, 'the bank raised interest rates again'],
  [3, 'researchers built a faster quantum chip'],
  [4, 'the minister resigned after the vote'],
  [1, 'fans cheered as the team lifted the cup'],
  [2, 'oil prices rose on supply fears'],
  [3, 'the software update fixes the camera bug'],
  [4, 'the summit ended without an agreement'],
  [1, 'the coach praised the defence after the match'],
  [2, 'the market rallied after the rates decision'],
  [3, 'a new chip makes the phone faster'],
  [4, 'voters went to the polls in the capital'],
  [1, 'the final was decided on penalties'],
  [2, 'the company reported record profits'],
  [3, 'engineers released the new software'],
  [4, 'talks on the trade deal resumed today'],
]

const tokenizer = (s: string): string[] => s.split(' ')
const vocab = new Map<string, number>([['<unk>', 0]])
for (const [, text] of train_iter)
  for (const token of tokenizer(text)) if (!vocab.has(token)) vocab.set(token, vocab.size)

const text_pipeline = (x: string): number[] => tokenizer(x).map((token) => vocab.get(token) ?? 0)
const label_pipeline = (x: number): number => x - 1

const collate_batch = (batch: Sample[]): [Tensor, Tensor, Tensor] => {
  const label_list: number[] = []
  const text_list: Tensor[] = []
  const offsets = [0]
  for (const [_label, _text] of batch) {
    label_list.push(label_pipeline(_label))
    const processed_text = torch.tensor(text_pipeline(_text), { dtype: torch.int64 })
    text_list.push(processed_text)
    offsets.push(processed_text.size(0))
  }
  const labels = torch.tensor(label_list, { dtype: torch.int64 })
  const offs = torch.tensor(offsets.slice(0, -1), { dtype: torch.int64 }).cumsum({ dim: 0 })
  const text = torch.cat(text_list)
  return [labels.to(device), text.to(device), offs.to(device)]
}

class TextClassificationModel extends nn.Module {
  embedding: torch.nn.EmbeddingBag
  fc: torch.nn.Linear

  constructor(vocab_size: number, embed_dim: number, num_class: number) {
    super()
    this.embedding = nn.EmbeddingBag(vocab_size, embed_dim, { sparse: false })
    this.fc = nn.Linear(embed_dim, num_class)
    this.init_weights()
  }

  init_weights(): void {
    const initrange = 0.5
    this.embedding.weight.data.uniform_(-initrange, initrange)
    this.fc.weight.data.uniform_(-initrange, initrange)
    ;(this.fc.bias as Tensor).data.zero_()
  }

  forward(text: Tensor, offsets: Tensor): Tensor {
    const embedded = this.embedding.call(text, offsets)
    return this.fc.call(embedded)
  }
}

describe('Text classification tutorial (EmbeddingBag)', () => {
  it('trains and predicts as PyTorch does', () => {
    torch.manual_seed(0)
    const num_class = new Set(train_iter.map(([label]) => label)).size
    const vocab_size = vocab.size
    const emsize = 8
    const model = new TextClassificationModel(vocab_size, emsize, num_class).to(device)
    const losses: number[] = []

    const EPOCHS = 4 // epoch
    const LR = 5 // learning rate
    const BATCH_SIZE = 4 // batch size for training
    const criterion = torch.nn.CrossEntropyLoss()
    const optimizer = torch.optim.SGD(model.parameters(), { lr: LR })
    const scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 1.0, { gamma: 0.1 })

    const train = (dataloader: Iterable<[Tensor, Tensor, Tensor]>): number => {
      model.train()
      let [total_acc, total_count] = [0, 0]
      for (const [label, text, offsets] of dataloader) {
        optimizer.zero_grad()
        const predicted_label = model.call(text, offsets)
        const loss = criterion.call(predicted_label, label)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 0.1)
        optimizer.step()
        total_acc += predicted_label.argmax(1).eq(label).sum().item()
        total_count += label.size(0)
        losses.push(loss.item())
      }
      return total_acc / total_count
    }

    const evaluate = (dataloader: Iterable<[Tensor, Tensor, Tensor]>): number => {
      model.eval()
      let [total_acc, total_count] = [0, 0]
      torch.no_grad(() => {
        for (const [label, text, offsets] of dataloader) {
          const predicted_label = model.call(text, offsets)
          criterion.call(predicted_label, label)
          total_acc += predicted_label.argmax(1).eq(label).sum().item()
          total_count += label.size(0)
        }
      })
      return total_acc / total_count
    }

    let total_accu: number | null = null
    const train_dataset = train_iter
    const num_train = Math.trunc(train_dataset.length * 0.8)
    const [split_train_, split_valid_] = random_split(train_dataset, [num_train, train_dataset.length - num_train])
    const train_dataloader = DataLoader(split_train_!, {
      batch_size: BATCH_SIZE,
      shuffle: true,
      collate_fn: collate_batch,
    })
    const valid_dataloader = DataLoader(split_valid_!, {
      batch_size: BATCH_SIZE,
      shuffle: true,
      collate_fn: collate_batch,
    })
    expect([...split_train_!.indices]).toEqual(fixture.split)

    const log: number[][] = []
    for (let epoch = 1; epoch < EPOCHS + 1; epoch++) {
      const accu_train = train(train_dataloader)
      const accu_val = evaluate(valid_dataloader)
      if (total_accu !== null && total_accu > accu_val) scheduler.step()
      else total_accu = accu_val
      log.push([accu_train, accu_val, scheduler.get_last_lr()[0] as number])
    }

    const ex_text_str = 'the new chip makes the camera faster'
    const output = torch.no_grad(() => {
      const text = torch.tensor(text_pipeline(ex_text_str), { dtype: torch.int64 })
      return model.call(text, torch.tensor([0], { dtype: torch.int64 }))
    })
    expectClose(losses, fixture.losses, 1e-5, 1e-6)
    expectClose(log, fixture.log, 1e-6, 1e-9)
    expectClose(output.tolist(), fixture.predict, 1e-5, 1e-6)
    expectClose(summary(model), fixture.summary, 1e-5, 1e-5)
  })
})
