#!/usr/bin/python3
"""PyTorch peer for the accuracy run: the recipe of `bench accuracy` (dev.trainstream.bench.AccuracyRun) in plain
PyTorch eager, on the same CIFAR-10 JPEG archive, so the DJL engine's accuracy has a peer measured on this machine.

Same model as bench/pytorch_peer.py (MobileNetV1, CIFAR layout, ReLU, Kaiming fan-out init), same recipe: SGD with
Nesterov momentum 0.9, linear warm-up then cosine to zero per step, weight decay under the same policy, label
smoothing, batch 128 dropping the last partial batch, random crop after 4-pixel zero padding + horizontal flip, CIFAR
mean/std normalisation, test set scored after every epoch in eval mode. Not bitwise the DJL run: JPEG decoding (PIL's
libjpeg vs Java ImageIO), initial weights and the shuffling/augmentation draws come from different generators.

Prints one line per epoch like the DJL run and writes DIR/curve.csv with the same columns:
  GLIBC_TUNABLES=... /usr/bin/python3 bench/pytorch_accuracy.py --data ../shared/datasets/cifar10-jpeg.tar.gz \
      --epochs 15 --threads 2 --out /tmp/acc-torch [--lr 0.1] [--warmup-epochs 0.3] [--weight-decay 5e-4] \
      [--decay-policy conv_and_linear_weights|paper|all] [--label-smoothing 0.1] [--limit N] [--max-steps N]
`bench accuracy --peer bench/pytorch_accuracy.py` runs it after the DJL run with the recipe that run resolved.
"""
import argparse
import io
import math
import os
import tarfile
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

from pytorch_peer import mobilenet_v1, rss_mb

CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
MEAN = torch.tensor([0.4914, 0.4822, 0.4465]).view(1, 3, 1, 1)
STD = torch.tensor([0.2470, 0.2435, 0.2616]).view(1, 3, 1, 1)


def load(archive, limit):
    """Decodes train/<class>/*.jpg and test/<class>/*.jpg into (N, 3, 32, 32) uint8 tensors and label tensors."""
    splits = {"train": {c: [] for c in CLASSES}, "test": {c: [] for c in CLASSES}}
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar:
            parts = member.name.split("/")
            if not member.isfile() or len(parts) != 3 or not parts[2].endswith(".jpg"):
                continue
            if parts[0] not in splits or parts[1] not in CLASSES:
                raise ValueError(f"{archive}: unexpected entry {member.name}")
            image = Image.open(io.BytesIO(tar.extractfile(member).read())).convert("RGB")
            if image.size != (32, 32):
                raise ValueError(f"{archive}: {member.name} is {image.size}, expected 32x32")
            splits[parts[0]][parts[1]].append((parts[2], np.asarray(image)))
    out = {}
    for name, by_class in splits.items():
        images, labels = [], []
        for label, cls in enumerate(CLASSES):
            for _, pixels in sorted(by_class[cls], key=lambda entry: entry[0]):
                images.append(pixels)
                labels.append(label)
        x = torch.from_numpy(np.stack(images)).permute(0, 3, 1, 2).contiguous()
        y = torch.tensor(labels, dtype=torch.long)
        if limit:
            keep = torch.randperm(len(y), generator=torch.Generator().manual_seed(1))[:limit]
            x, y = x[keep], y[keep]
        out[name] = (x, y)
    return out["train"], out["test"]


def augment(raw, generator):
    """RandomCrop(32, padding=4) on the zero-padded uint8 image, then a horizontal flip with p = 0.5."""
    n = raw.shape[0]
    padded = F.pad(raw, (4, 4, 4, 4))
    offsets = torch.randint(0, 9, (n, 2), generator=generator)
    flips = torch.rand(n, generator=generator) < 0.5
    crops = torch.stack([padded[i, :, dy:dy + 32, dx:dx + 32] for i, (dy, dx) in enumerate(offsets.tolist())])
    crops[flips] = crops[flips].flip(3)
    return crops


def normalise(raw):
    return (raw.float() / 255.0 - MEAN) / STD


def parameter_groups(model, policy, weight_decay):
    """Weight decay on conv/linear weights (the default), minus depthwise filters (paper), or on everything (all)."""
    decay, no_decay = [], []
    for module in model.modules():
        for name, parameter in module.named_parameters(recurse=False):
            is_weight = name == "weight" and isinstance(module, (nn.Conv2d, nn.Linear))
            depthwise = isinstance(module, nn.Conv2d) and module.groups > 1
            if policy == "all" or (is_weight and not (policy == "paper" and depthwise)):
                decay.append(parameter)
            else:
                no_decay.append(parameter)
    return [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}]


def learning_rate(step, base, warmup, total):
    """The engine's LearningRateSchedule (COSINE, min 0): linear warm-up over `warmup` steps, then cosine to zero."""
    if step < warmup:
        return base * (step + 1) / warmup
    progress = min(1.0, (step - warmup) / max(1, total - warmup))
    return base * 0.5 * (1 + math.cos(math.pi * progress))


def evaluate(model, test, batch=256):
    x_all, y_all = test
    model.eval()
    correct, loss = 0, 0.0
    with torch.no_grad():
        for i in range(0, len(y_all), batch):
            logits = model(normalise(x_all[i:i + batch]))
            y = y_all[i:i + batch]
            loss += F.cross_entropy(logits, y, reduction="sum").item()
            correct += logits.argmax(1).eq(y).sum().item()
    model.train()
    return loss / len(y_all), correct / len(y_all)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--lr", type=float, help="peak learning rate (default 0.1 x batch/128, as the engine)")
    parser.add_argument("--warmup-epochs", type=float, help="default: 2%% of the run, as the engine")
    parser.add_argument("--weight-decay", type=float, default=5e-4)
    parser.add_argument("--decay-policy", choices=["conv_and_linear_weights", "paper", "all"],
                        default="conv_and_linear_weights")
    parser.add_argument("--label-smoothing", type=float, default=0.1)
    parser.add_argument("--limit", type=int, help="use only this many train and test images (smoke runs)")
    parser.add_argument("--max-steps", type=int, help="at most this many steps per epoch (smoke runs)")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    os.makedirs(args.out, exist_ok=True)
    start = time.perf_counter()
    train, test = load(args.data, args.limit)
    print(f"pytorch {torch.__version__} threads={torch.get_num_threads()} decoded {len(train[1])} train / "
          f"{len(test[1])} test images in {time.perf_counter() - start:.1f} s", flush=True)

    steps_per_epoch = len(train[1]) // args.batch
    if args.max_steps:
        steps_per_epoch = min(steps_per_epoch, args.max_steps)
    total = args.epochs * steps_per_epoch
    base = args.lr if args.lr is not None else 0.1 * args.batch / 128
    warmup = round(args.warmup_epochs * steps_per_epoch) if args.warmup_epochs is not None else max(1, round(total * 0.02))
    print(f"recipe: sgd nesterov lr={base} warmup_steps={warmup} total_steps={total} wd={args.weight_decay} "
          f"policy={args.decay_policy} label_smoothing={args.label_smoothing} batch={args.batch}", flush=True)
    model = mobilenet_v1()
    model.train()
    optimizer = torch.optim.SGD(parameter_groups(model, args.decay_policy, args.weight_decay), lr=base,
                                momentum=0.9, nesterov=True)
    loss_fn = nn.CrossEntropyLoss(label_smoothing=args.label_smoothing)
    generator = torch.Generator().manual_seed(args.seed)
    step = 0
    with open(os.path.join(args.out, "curve.csv"), "w") as csv:
        csv.write("epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds,rss_mb\n")
        for epoch in range(1, args.epochs + 1):
            epoch_start = time.perf_counter()
            order = torch.randperm(len(train[1]), generator=generator)
            loss_sum, accuracy_sum = 0.0, 0.0
            for i in range(steps_per_epoch):
                index = order[i * args.batch:(i + 1) * args.batch]
                x = normalise(augment(train[0][index], generator))
                y = train[1][index]
                for group in optimizer.param_groups:
                    group["lr"] = learning_rate(step, base, warmup, total)
                # The order the reference script got wrong: zero, forward, backward, step.
                optimizer.zero_grad(set_to_none=True)
                logits = model(x)
                loss = loss_fn(logits, y)
                loss.backward()
                optimizer.step()
                step += 1
                loss_sum += loss.item()
                accuracy_sum += logits.argmax(1).eq(y).float().mean().item()
            test_loss, test_accuracy = evaluate(model, test)
            seconds = time.perf_counter() - epoch_start
            print(f"epoch {epoch:2d}  train loss {loss_sum / steps_per_epoch:.4f} acc {accuracy_sum / steps_per_epoch:.4f}"
                  f"  test loss {test_loss:.4f} acc {test_accuracy:.4f}  {seconds:.0f} s  rss {rss_mb():.0f} MB",
                  flush=True)
            csv.write(f"{epoch},{loss_sum / steps_per_epoch:.5f},{accuracy_sum / steps_per_epoch:.5f},"
                      f"{test_loss:.5f},{test_accuracy:.5f},{seconds:.1f},{rss_mb():.0f}\n")
            csv.flush()
    print(f"final test accuracy {test_accuracy:.4f} after {args.epochs} epochs "
          f"({(time.perf_counter() - start) / 60:.1f} min)", flush=True)


if __name__ == "__main__":
    main()
