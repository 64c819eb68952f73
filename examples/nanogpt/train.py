"""PyTorch twin of examples/nanogpt/model.ts + train.ts: the same GPT (nanoGPT's architecture,
written here for PyTorch 1.13, whose F has no scaled_dot_product_attention: the causal attention
is computed with an explicit mask, the same mathematics), initialised as nanoGPT does, in float64,
trained for a few AdamW steps on the same fixed tokens. Writes the initial state_dict and the loss of
every step to test/fixtures/torch/nanogpt.json.
Run: /usr/bin/python3 examples/nanogpt/train.py"""
import json
import math
import os
import torch
from torch import nn
import torch.nn.functional as F

CONFIG = dict(block_size=16, vocab_size=64, n_layer=2, n_head=2, n_embd=32, dropout=0.0, bias=True)
STEPS, BATCH = 6, 4


class Norm(nn.Module):
    def __init__(self, n, bias):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(n))
        self.bias = nn.Parameter(torch.zeros(n)) if bias else None

    def forward(self, x):
        return F.layer_norm(x, self.weight.shape, self.weight, self.bias, 1e-5)


class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c_attn = nn.Linear(c['n_embd'], 3 * c['n_embd'], bias=c['bias'])
        self.c_proj = nn.Linear(c['n_embd'], c['n_embd'], bias=c['bias'])
        self.attn_dropout = nn.Dropout(c['dropout'])
        self.resid_dropout = nn.Dropout(c['dropout'])
        self.n_head, self.n_embd = c['n_head'], c['n_embd']

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = (t.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
                   for t in self.c_attn(x).split(self.n_embd, dim=2))
        scores = q @ k.transpose(-2, -1) / math.sqrt(C // self.n_head)
        future = torch.ones(T, T, dtype=torch.bool).tril().logical_not()
        att = self.attn_dropout(torch.softmax(scores.masked_fill(future, float('-inf')), dim=-1))
        y = (att @ v).transpose(1, 2).contiguous().view(B, T, C)
        return self.resid_dropout(self.c_proj(y))


class FeedForward(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c_fc = nn.Linear(c['n_embd'], 4 * c['n_embd'], bias=c['bias'])
        self.gelu = nn.GELU()
        self.c_proj = nn.Linear(4 * c['n_embd'], c['n_embd'], bias=c['bias'])
        self.dropout = nn.Dropout(c['dropout'])

    def forward(self, x):
        return self.dropout(self.c_proj(self.gelu(self.c_fc(x))))


class Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.ln_1, self.attn = Norm(c['n_embd'], c['bias']), Attention(c)
        self.ln_2, self.mlp = Norm(c['n_embd'], c['bias']), FeedForward(c)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class Model(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        self.transformer = nn.ModuleDict(dict(
            wte=nn.Embedding(c['vocab_size'], c['n_embd']), wpe=nn.Embedding(c['block_size'], c['n_embd']),
            drop=nn.Dropout(c['dropout']), h=nn.ModuleList([Layer(c) for _ in range(c['n_layer'])]),
            ln_f=Norm(c['n_embd'], c['bias'])))
        self.lm_head = nn.Linear(c['n_embd'], c['vocab_size'], bias=False)
        self.transformer.wte.weight = self.lm_head.weight
        for m in self.modules():
            if isinstance(m, (nn.Linear, nn.Embedding)):
                nn.init.normal_(m.weight, 0.0, 0.02)
            if isinstance(m, nn.Linear) and m.bias is not None:
                nn.init.zeros_(m.bias)
        for name, p in self.named_parameters():
            if name.endswith('c_proj.weight'):
                nn.init.normal_(p, 0.0, 0.02 / math.sqrt(2 * c['n_layer']))

    def forward(self, idx, targets):
        t = idx.shape[1]
        x = self.transformer.drop(self.transformer.wte(idx) + self.transformer.wpe(torch.arange(t)))
        for block in self.transformer.h:
            x = block(x)
        logits = self.lm_head(self.transformer.ln_f(x))
        return F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1), ignore_index=-1)


def batch(step):
    tok = lambda b, i: (7 * b + 3 * i + i * i + 5 * (step % 2)) % CONFIG['vocab_size']
    grid = lambda s: [[tok(b, i + s) for i in range(CONFIG['block_size'])] for b in range(BATCH)]
    return torch.tensor(grid(0)), torch.tensor(grid(1))


torch.manual_seed(0)
model = Model(CONFIG).double()
state = {k: dict(shape=list(v.shape), data=v.reshape(-1).tolist()) for k, v in model.state_dict().items()}
params = [p for p in model.parameters() if p.requires_grad]
opt = torch.optim.AdamW([dict(params=[p for p in params if p.dim() >= 2], weight_decay=0.1),
                         dict(params=[p for p in params if p.dim() < 2], weight_decay=0.0)], lr=1e-2, betas=(0.9, 0.95))
losses = []
for step in range(STEPS):
    X, Y = batch(step)
    loss = model(X, Y)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    losses.append(loss.item())
path = os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'fixtures', 'torch', 'nanogpt.json')
with open(path, 'w') as f:
    json.dump(dict(state_dict=state, losses=losses), f)
print(losses)
