"""The PyTorch twin of main.ts: pytorch/examples mnist/main.py's Net, NLL loss, Adadelta and
StepLR on the same synthetic images and hashed weights. Run with /usr/bin/python3 (PyTorch 1.13);
writes test/fixtures/torch/mnist_cnn.json (the loss of every step with dropout off, and the
final learning rate), which test/examples/mnist.test.ts compares with wengert's run."""
import json
import os
import sys
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.optim.lr_scheduler import StepLR
from torch.utils.data import DataLoader, TensorDataset


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, 1)
        self.conv2 = nn.Conv2d(32, 64, 3, 1)
        self.dropout1 = nn.Dropout(0.25)
        self.dropout2 = nn.Dropout(0.5)
        self.fc1 = nn.Linear(9216, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = self.conv1(x)
        x = F.relu(x)
        x = self.conv2(x)
        x = F.relu(x)
        x = F.max_pool2d(x, 2)
        x = self.dropout1(x)
        x = torch.flatten(x, 1)
        x = self.fc1(x)
        x = F.relu(x)
        x = self.dropout2(x)
        x = self.fc2(x)
        return F.log_softmax(x, dim=1)


def hash_uniform(stream, n):
    """main.ts's hashUniform for indices 0..n-1 (32-bit integer arithmetic)."""
    i = np.arange(n, dtype=np.uint64)
    h = (i * np.uint64(2654435761) + np.uint64(stream * 40503 + 12345)) % np.uint64(2**32)
    h = h ^ (h >> np.uint64(16))
    h = (h * np.uint64(0x45D9F3B)) % np.uint64(2**32)
    h = h ^ (h >> np.uint64(16))
    return h.astype(np.float64) / 2**32


def fix_weights(model):
    params = dict(model.named_parameters())
    with torch.no_grad():
        for stream, (name, p) in enumerate(params.items()):
            w = params[name[:-4] + 'weight'] if name.endswith('bias') else p
            bound = 1 / np.sqrt(np.prod(w.shape[1:]))
            values = (2 * hash_uniform(stream + 1, p.numel()) - 1) * bound
            p.copy_(torch.tensor(values, dtype=torch.float64).reshape(p.shape))


def synthetic_mnist(n):
    x = torch.tensor(hash_uniform(100, n * 784), dtype=torch.float64).float().reshape(n, 1, 28, 28)
    return (x - 0.1307) / 0.3081, torch.arange(n) % 10


def main(n=8, batch_size=4, epochs=2, lr=1.0, gamma=0.7):
    x, y = synthetic_mnist(n)
    loader = DataLoader(TensorDataset(x, y), batch_size=batch_size, shuffle=False)
    model = Net()
    fix_weights(model)
    optimizer = torch.optim.Adadelta(model.parameters(), lr=lr)
    scheduler = StepLR(optimizer, step_size=1, gamma=gamma)
    losses = []
    for epoch in range(1, epochs + 1):
        model.train()
        model.dropout1.eval()  # dropout off: the random streams differ
        model.dropout2.eval()
        for data, target in loader:
            optimizer.zero_grad()
            loss = F.nll_loss(model(data), target)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        scheduler.step()
    return dict(losses=losses, lr=scheduler.get_last_lr()[0])


if __name__ == '__main__':
    out = os.path.join(os.path.dirname(__file__), '../../test/fixtures/torch/mnist_cnn.json')
    result = main()
    with open(out, 'w') as f:
        json.dump(result, f)
    print(result, file=sys.stderr)
