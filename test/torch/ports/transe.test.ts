import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/transe.json'
import { expectClose, summary } from './portHelpers'

// mklimasz/TransE-PyTorch's TransE as its author writes it, on a small random graph (twin:
// test/torch/fixtures/ports/transe.py): Embedding tables with a padding row, relation rows
// L1-normalised once and entity rows L2-normalised at every forward in place on a slice of
// weight.data, L1 distances, MarginRankingLoss(reduction='none') with an int64 target of -1,
// corrupted triples from randint/where, loss.mean().backward(), SGD; then the evaluation over
// every entity with hits@k (topk largest=false) and MRR (argsort, nonzero).
const { nn, optim } = torch
type T = torch.Tensor

class TransE extends nn.Module {
  entities_emb: torch.nn.Embedding
  relations_emb: torch.nn.Embedding
  criterion: torch.nn.MarginRankingLoss

  constructor(
    public entity_count: number,
    public relation_count: number,
    public device: torch.device,
    public norm = 1,
    public dim = 100,
    margin = 1.0,
  ) {
    super()
    this.entities_emb = this._init_enitity_emb()
    this.relations_emb = this._init_relation_emb()
    this.criterion = nn.MarginRankingLoss({ margin, reduction: 'none' })
  }

  _init_enitity_emb(): torch.nn.Embedding {
    const entities_emb = nn.Embedding(this.entity_count + 1, this.dim, { padding_idx: this.entity_count })
    const uniform_range = 6 / Math.sqrt(this.dim)
    entities_emb.weight.data.uniform_(-uniform_range, uniform_range)
    return entities_emb
  }

  _init_relation_emb(): torch.nn.Embedding {
    const relations_emb = nn.Embedding(this.relation_count + 1, this.dim, { padding_idx: this.relation_count })
    const uniform_range = 6 / Math.sqrt(this.dim)
    relations_emb.weight.data.uniform_(-uniform_range, uniform_range)
    // -1 to avoid nan for OOV vector
    relations_emb.weight.data
      .index(':-1', ':')
      .div_(relations_emb.weight.data.index(':-1', ':').norm({ p: 1, dim: 1, keepdim: true }))
    return relations_emb
  }

  forward(positive_triplets: T, negative_triplets: T): [T, T, T] {
    // -1 to avoid nan for OOV vector
    const w = this.entities_emb.weight
    w.data.index(':-1', ':').div_(w.data.index(':-1', ':').norm({ p: 2, dim: 1, keepdim: true }))
    if (positive_triplets.size()[1] !== 3) throw new Error('AssertionError')
    const positive_distances = this._distance(positive_triplets)
    if (negative_triplets.size()[1] !== 3) throw new Error('AssertionError')
    const negative_distances = this._distance(negative_triplets)
    return [this.loss(positive_distances, negative_distances), positive_distances, negative_distances]
  }

  predict(triplets: T): T {
    return this._distance(triplets)
  }

  loss(positive_distances: T, negative_distances: T): T {
    const target = torch.tensor([-1], { dtype: torch.long, device: this.device })
    return this.criterion.call(positive_distances, negative_distances, target)
  }

  _distance(triplets: T): T {
    if (triplets.size()[1] !== 3) throw new Error('AssertionError')
    const heads = triplets.index(':', 0)
    const relations = triplets.index(':', 1)
    const tails = triplets.index(':', 2)
    return this.entities_emb
      .call(heads)
      .add(this.relations_emb.call(relations))
      .sub(this.entities_emb.call(tails))
      .norm({ p: this.norm, dim: 1 })
  }
}

const hit_at_k = (predictions: T, ground_truth_idx: T, device: torch.device, k = 10): number => {
  if (predictions.size(0) !== ground_truth_idx.size(0)) throw new Error('AssertionError')
  const zero_tensor = torch.tensor([0], { device })
  const one_tensor = torch.tensor([1], { device })
  const [, indices] = predictions.topk({ k, largest: false }) as [T, T]
  return torch.where(indices.eq(ground_truth_idx), one_tensor, zero_tensor).sum().item() as number
}

const mrr = (predictions: T, ground_truth_idx: T): number => {
  const indices = predictions.argsort()
  const ranks = (indices.eq(ground_truth_idx).nonzero() as T).index(':', 1).float().add(1.0)
  return ranks.reciprocal().sum().item() as number // Python's 1.0 / t
}

describe('TransE (mklimasz/TransE-PyTorch)', () => {
  it('trains and ranks as PyTorch does', () => {
    torch.manual_seed(1234)
    const device = torch.device('cpu')
    const [entity_count, relation_count, batch_size] = [30, 4, 20]
    const triples = torch.stack(
      [
        torch.randint({ high: entity_count, size: [60] }),
        torch.randint({ high: relation_count, size: [60] }),
        torch.randint({ high: entity_count, size: [60] }),
      ],
      { dim: 1 },
    )
    const model = new TransE(entity_count, relation_count, device, 1, 16, 1.0)
    const optimizer = optim.SGD(model.parameters(), { lr: 0.05 })
    const losses: number[][] = []
    for (let epoch_id = 0; epoch_id < 4; epoch_id++) {
      model.train()
      for (let b = 0; b < 60; b += batch_size) {
        const [local_heads, local_relations, local_tails] = triples.index(`${b}:${b + batch_size}`).unbind(1)
        const positive_triples = torch.stack([local_heads!, local_relations!, local_tails!], { dim: 1 })
        // 1 means replace head, 0 means replace tail.
        const head_or_tail = torch.randint({ high: 2, size: local_heads!.size(), device })
        const random_entities = torch.randint({ high: entity_count, size: local_heads!.size(), device })
        const broken_heads = torch.where(head_or_tail.eq(1), random_entities, local_heads!)
        const broken_tails = torch.where(head_or_tail.eq(0), random_entities, local_tails!)
        const negative_triples = torch.stack([broken_heads, local_relations!, broken_tails], { dim: 1 })
        optimizer.zero_grad()
        const [loss, pd, nd] = model.call(positive_triples, negative_triples)
        loss.mean().backward()
        losses.push([loss.mean(), pd.sum(), nd.sum()].map((t) => t.item() as number))
        optimizer.step()
      }
    }
    expectClose(losses, fixture.losses, 1e-5, 1e-6)
    expectClose(model.entities_emb.weight.grad!.index(':4').tolist(), fixture.grad, 1e-4, 1e-6)
    expectClose(summary(model), fixture.summary, 1e-5, 1e-6)

    model.eval()
    torch.no_grad(() => {
      const [head, relation, tail] = triples.index(`:${batch_size}`).unbind(1) as [T, T, T]
      const current_batch_size = head.size()[0]!
      const all_entities = torch.arange({ end: entity_count, device }).unsqueeze(0).repeat(current_batch_size, 1)
      const heads = head.reshape(-1, 1).repeat(1, all_entities.size()[1]!)
      const relations = relation.reshape(-1, 1).repeat(1, all_entities.size()[1]!)
      const tails = tail.reshape(-1, 1).repeat(1, all_entities.size()[1]!)
      let triplets = torch.stack([heads, relations, all_entities], { dim: 2 }).reshape(-1, 3)
      const tails_predictions = model.predict(triplets).reshape(current_batch_size, -1)
      triplets = torch.stack([all_entities, relations, tails], { dim: 2 }).reshape(-1, 3)
      const heads_predictions = model.predict(triplets).reshape(current_batch_size, -1)
      const predictions = torch.cat([tails_predictions, heads_predictions], { dim: 0 })
      const ground_truth_entity_id = torch.cat([tail.reshape(-1, 1), head.reshape(-1, 1)])
      const hits = [1, 3, 10].map((k) => hit_at_k(predictions, ground_truth_entity_id, device, k))
      expectClose(predictions.index(0).tolist(), fixture.predictions, 1e-5, 1e-6)
      expect(hits).toEqual(fixture.hits)
      expectClose(mrr(predictions, ground_truth_entity_id), fixture.mrr, 1e-6, 0)
    })
  })
})
