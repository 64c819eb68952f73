"""The PyTorch twin of train.ts: same data, weights, loader, optimiser, scheduler, checkpoint and
resume. Run with /usr/bin/python3 (PyTorch 1.13); writes test/fixtures/torch/training_example.json,
the loss of every batch, which test/examples/training.test.ts compares with wengert's run."""
import json
import math
import os
import tempfile
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

N, EPOCHS, RESUME_AFTER = 24, 4, 2


def data():
    x = torch.tensor([[math.sin(i * 0.7 + j * 1.3) for j in range(4)] for i in range(N)])
    w = torch.tensor([0.5, -1.0, 0.25, 2.0])
    y = (x @ w + torch.tensor([0.1 * math.cos(i) for i in range(N)])).unsqueeze(1)
    return x, y


def make_model(shift=0.0):
    model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1))
    with torch.no_grad():
        model[0].weight.copy_(torch.tensor([[0.1 * math.cos(r * 4 + c + shift) for c in range(4)] for r in range(8)]))
        model[0].bias.copy_(torch.tensor([0.05 * math.sin(r + shift) for r in range(8)]))
        model[2].weight.copy_(torch.tensor([[0.2 * math.sin(c + 1 + shift) for c in range(8)]]))
        model[2].bias.zero_()
    return model


def make_training(model):
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    return opt, sched


def epoch(model, loader, opt, sched, losses):
    loss_fn = nn.MSELoss()
    for x, y in loader:
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        losses.append(loss.item())
    sched.step()


def main():
    x, y = data()
    loader = DataLoader(TensorDataset(x, y), batch_size=5, shuffle=False)
    model = make_model()
    opt, sched = make_training(model)
    losses = []
    for _ in range(RESUME_AFTER):
        epoch(model, loader, opt, sched, losses)
    path = os.path.join(tempfile.mkdtemp(), 'checkpoint.pt')
    torch.save({'model': model.state_dict(), 'optimizer': opt.state_dict(), 'scheduler': sched.state_dict(),
                'epoch': RESUME_AFTER}, path)
    # resume into fresh objects
    ckpt = torch.load(path)
    model = make_model(shift=1.0)
    model.load_state_dict(ckpt['model'])
    opt, sched = make_training(model)
    opt.load_state_dict(ckpt['optimizer'])
    sched.load_state_dict(ckpt['scheduler'])
    for _ in range(ckpt['epoch'], EPOCHS):
        epoch(model, loader, opt, sched, losses)
    out = os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'fixtures', 'torch', 'training_example.json')
    with open(out, 'w') as f:
        json.dump({'torch': torch.__version__, 'losses': losses, 'last_lr': sched.get_last_lr()}, f)
        f.write('\n')


if __name__ == '__main__':
    main()
