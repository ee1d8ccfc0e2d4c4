"""PyTorch reference for `npm run bench:train`: seconds per epoch of the seed-cnn baseline on this machine.

The same layers as src/model/architectures/seed-cnn.ts (64x64x3 input, batch 32, Adam), trained on random
tensors already in memory, channels-last (the NHWC layout TF.js uses; measured a little faster than PyTorch's
default here): no decoding or augmentation, so this is the fastest PyTorch goes, and the ratio printed beside
it is never flattered. Prints one JSON line: {"torch": ..., "threads": ..., "epochs": [s, ...]}.
Usage: python3 scripts/pytorch/seed_cnn_epoch.py [--images 1465] [--epochs 2] [--threads 2]
"""
import argparse
import json
import time

import torch
from torch import nn


def conv_block(cin: int, cout: int) -> list:
    # Conv-ReLU-BN order and biased convolutions, as in the original design.
    return [nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(), nn.BatchNorm2d(cout)]


def seed_cnn(classes: int = 15) -> nn.Module:
    return nn.Sequential(
        *conv_block(3, 32), nn.MaxPool2d(2), nn.Dropout(0.25),
        *conv_block(32, 64), *conv_block(64, 64), nn.MaxPool2d(2), nn.Dropout(0.25),
        *conv_block(64, 128), *conv_block(128, 128), *conv_block(128, 128), nn.MaxPool2d(2), nn.Dropout(0.25),
        nn.Flatten(), nn.Linear(128 * 8 * 8, 512), nn.ReLU(), nn.BatchNorm1d(512), nn.Dropout(0.5),
        nn.Linear(512, classes),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--images", type=int, default=1465)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", type=int, default=32)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    x = torch.rand(args.images, 3, 64, 64).to(memory_format=torch.channels_last)
    y = torch.randint(0, 15, (args.images,))
    model = seed_cnn().to(memory_format=torch.channels_last)
    optimiser = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    epochs = []
    for _ in range(args.epochs):
        started = time.perf_counter()
        order = torch.randperm(args.images)
        for start in range(0, args.images, args.batch):
            idx = order[start : start + args.batch]
            if len(idx) < 2:  # BatchNorm1d cannot train on a batch of one
                continue
            optimiser.zero_grad()
            loss_fn(model(x[idx]), y[idx]).backward()
            optimiser.step()
        epochs.append(time.perf_counter() - started)
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "epochs": epochs}))


if __name__ == "__main__":
    main()
