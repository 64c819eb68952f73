"""PyTorch twin of examples/word_language_model/{model,train}.ts: the word-language-model
example's RNNModel (Embedding -> 2-layer LSTM -> Dropout -> Linear, tied weights), written here
for PyTorch 1.13, in float64 with dropout 0, trained one epoch with main.py's loop (truncated BPTT,
detached hidden state, NLLLoss, clip_grad_norm_(0.25), p -= lr * grad) on a fixed token stream.
Writes the initial state_dict and every batch's loss to test/fixtures/torch/word_language_model.json.
Run: /usr/bin/python3 examples/word_language_model/train.py"""
import json
import os
import torch
from torch import nn
import torch.nn.functional as F

NTOKEN, EMSIZE, BPTT, BATCH_SIZE, LR, CLIP = 40, 16, 6, 3, 5, 0.25


class LanguageModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.drop = nn.Dropout(0.0)
        self.encoder = nn.Embedding(NTOKEN, EMSIZE)
        self.rnn = nn.LSTM(EMSIZE, EMSIZE, 2, dropout=0.0)
        self.decoder = nn.Linear(EMSIZE, NTOKEN)
        self.decoder.weight = self.encoder.weight
        nn.init.uniform_(self.encoder.weight, -0.1, 0.1)
        nn.init.zeros_(self.decoder.bias)
        nn.init.uniform_(self.decoder.weight, -0.1, 0.1)

    def forward(self, x, hidden):
        out, hidden = self.rnn(self.drop(self.encoder(x)), hidden)
        return F.log_softmax(self.decoder(self.drop(out)).view(-1, NTOKEN), dim=1), hidden


torch.manual_seed(0)
model = LanguageModel().double()
state = {k: dict(shape=list(v.shape), data=v.reshape(-1).tolist()) for k, v in model.state_dict().items()}
stream = torch.tensor([(i * i + 3 * i) % 37 + i % 3 for i in range(100)])
nbatch = stream.size(0) // BATCH_SIZE
data = stream[:nbatch * BATCH_SIZE].view(BATCH_SIZE, -1).t().contiguous()
hidden = tuple(torch.zeros(2, BATCH_SIZE, EMSIZE, dtype=torch.float64) for _ in range(2))
losses = []
for i in range(0, data.size(0) - 1, BPTT):
    n = min(BPTT, data.size(0) - 1 - i)
    x, y = data[i:i + n], data[i + 1:i + 1 + n].reshape(-1)
    hidden = tuple(h.detach() for h in hidden)
    model.zero_grad()
    out, hidden = model(x, hidden)
    loss = F.nll_loss(out, y)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), CLIP)
    for p in model.parameters():
        p.data.add_(p.grad, alpha=-LR)
    losses.append(loss.item())
path = os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'fixtures', 'torch', 'word_language_model.json')
with open(path, 'w') as f:
    json.dump(dict(state_dict=state, losses=losses), f)
print(losses)
