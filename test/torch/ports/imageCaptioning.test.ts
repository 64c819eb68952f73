import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/ports/image_captioning.json'
import { expectClose, summary } from './portHelpers'

// yunjey/pytorch-tutorial's image captioning ported line by line (twin:
// test/torch/fixtures/ports/image_captioning.py): DecoderRNN (Embedding + LSTM over
// pack_padded_sequence, Linear on the packed data), EncoderCNN's trainable head (Linear +
// BatchNorm1d on random stand-ins for ResNet features), train.py's step and greedy sample().
const { nn } = torch
const { pack_padded_sequence } = nn.utils.rnn
type T = torch.Tensor
type Packed = torch.nn.utils.rnn.PackedSequence
// `lstm(packed)`: Module.call is typed from forward's last overload (the tensor one), so the
// PackedSequence overload is reached through _call_impl (same hooks and forward at run time).
const lstmPacked = (lstm: torch.nn.LSTM, x: Packed): [Packed, [T, T]] => lstm._call_impl([x]) as [Packed, [T, T]]

class EncoderHead extends nn.Module {
  linear: torch.nn.Linear
  bn: torch.nn.BatchNorm1d
  constructor(in_features: number, embed_size: number) {
    super()
    this.linear = nn.Linear(in_features, embed_size)
    this.bn = nn.BatchNorm1d(embed_size, { momentum: 0.01 })
  }
  forward(features: T): T {
    features = features.reshape(features.size(0), -1)
    features = this.bn.call(this.linear.call(features))
    return features
  }
}

class DecoderRNN extends nn.Module {
  embed: torch.nn.Embedding
  lstm: torch.nn.LSTM
  linear: torch.nn.Linear
  max_seg_length: number
  /** Set the hyper-parameters and build the layers. */
  constructor(embed_size: number, hidden_size: number, vocab_size: number, num_layers: number, max_seq_length = 20) {
    super()
    this.embed = nn.Embedding(vocab_size, embed_size)
    this.lstm = nn.LSTM(embed_size, hidden_size, num_layers, { batch_first: true })
    this.linear = nn.Linear(hidden_size, vocab_size)
    this.max_seg_length = max_seq_length
  }
  /** Decode image feature vectors and generates captions. */
  forward(features: T, captions: T, lengths: number[]): T {
    let embeddings = this.embed.call(captions)
    embeddings = torch.cat([features.unsqueeze(1), embeddings], 1)
    const packed = pack_padded_sequence(embeddings, lengths, { batch_first: true })
    const [hiddens] = lstmPacked(this.lstm, packed)
    const outputs = this.linear.call(hiddens.data) // Python: hiddens[0]
    return outputs
  }
  /** Generate captions for given image features using greedy search. */
  sample(features: T, states: [T, T] | null = null): T {
    const sampled_ids: T[] = []
    let inputs = features.unsqueeze(1)
    for (let i = 0; i < this.max_seg_length; i++) {
      const [hiddens, s] = this.lstm.call(inputs, states) // hiddens: (batch_size, 1, hidden_size)
      states = s
      const outputs = this.linear.call(hiddens.squeeze(1)) // outputs:  (batch_size, vocab_size)
      const [, predicted] = outputs.max(1) // predicted: (batch_size)
      sampled_ids.push(predicted)
      inputs = this.embed.call(predicted) // inputs: (batch_size, embed_size)
      inputs = inputs.unsqueeze(1) // inputs: (batch_size, 1, embed_size)
    }
    return torch.stack(sampled_ids, 1) // sampled_ids: (batch_size, max_seq_length)
  }
}

describe("yunjey's image captioning decoder", () => {
  it('trains and samples as PyTorch does', () => {
    torch.manual_seed(0)
    const [embed_size, hidden_size, vocab_size, num_layers] = [8, 12, 15, 2]
    const encoder = new EncoderHead(32, embed_size)
    const decoder = new DecoderRNN(embed_size, hidden_size, vocab_size, num_layers, 6)
    const criterion = nn.CrossEntropyLoss()
    const params = [...decoder.parameters(), ...encoder.linear.parameters(), ...encoder.bn.parameters()]
    const optimizer = torch.optim.Adam(params, { lr: 0.01 })
    const images = torch.randn(4, 32)
    const lengths = [7, 5, 5, 2]
    const captions = torch.randint(1, vocab_size, [4, 7])
    lengths.forEach((n, i) => captions.setitem([i, `${n}:`], 0))
    const losses: number[] = []
    const fx = fixture as Record<string, unknown>
    for (let step = 0; step < 3; step++) {
      // Forward, backward and optimize
      const features = encoder.call(images)
      const outputs = decoder.call(features, captions, lengths)
      const targets = pack_padded_sequence(captions, lengths, { batch_first: true }).data
      const loss = criterion.call(outputs, targets)
      decoder.zero_grad()
      encoder.zero_grad()
      loss.backward()
      if (step === 0) {
        expect(targets.tolist()).toEqual(fx.targets)
        expectClose(outputs.detach().reshape(-1).index(':20').tolist(), fx.outputs0, 1e-5, 1e-6, 'outputs0')
        const grads: Record<string, number[]> = {}
        for (const [n, p] of [...decoder.named_parameters(), ...encoder.named_parameters()]) {
          const g = p.grad as T
          grads[n] = [...(g.reshape(-1).index(':8').tolist() as number[]), g.double().abs().sum().item() as number]
        }
        expectClose(grads, fx.grads0, 1e-4, 1e-6, 'grads0')
      }
      optimizer.step()
      losses.push(loss.item() as number)
    }
    expectClose(losses, fx.losses, 1e-5, 1e-6, 'losses')
    encoder.eval()
    decoder.eval()
    const sampled = torch.no_grad(() => decoder.sample(encoder.call(images)))
    expect(sampled.tolist()).toEqual(fx.sampled)
    expectClose(summary(decoder), fx.decoder, 1e-4, 1e-5, 'decoder')
    // encoder.linear.bias feeds BatchNorm in train mode, so its exact gradient is 0: both sides get
    // rounding noise (|g| ~ 1e-9, compared in grads0 with atol 1e-6), which Adam normalises into
    // steps of ±lr. Its trained value is noise on both sides; the other parameters are compared.
    const enc = summary(encoder)
    const want = { ...(fx.encoder as Record<string, number[]>) }
    expectClose(enc['linear.bias']![0], want['linear.bias']![0], 0, 0.05, 'encoder.linear.bias sum')
    delete enc['linear.bias']
    delete want['linear.bias']
    expectClose(enc, want, 1e-4, 1e-5, 'encoder')
    // running_mean carries the noisy linear.bias (momentum 0.01): compared to 1e-4; running_var tightly
    const running = fx.running as number[]
    expectClose((encoder.bn.running_mean as T).tolist(), running.slice(0, embed_size), 0, 1e-4, 'running_mean')
    expectClose((encoder.bn.running_var as T).tolist(), running.slice(embed_size), 1e-5, 1e-6, 'running_var')
  })
})
