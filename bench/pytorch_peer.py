#!/usr/bin/python3
"""Bare PyTorch eager peer for the DJL engine benchmark: same MobileNetV1 (CIFAR layout), same optimizer, synthetic data.

Prints one JSON line: {"framework": "pytorch", "mode": ..., "images_per_sec": ..., "ms_per_step": ..., "rss_mb": ...}.
Run by dev.trainstream.bench.BenchMain; usable alone:
  /usr/bin/python3 bench/pytorch_peer.py --mode train --batch 128 --steps 10 --warmup 3 --threads 2
  python3 bench/pytorch_peer.py --mode train --batch 512 --steps 20 --warmup 5 --device cuda:0

With --device cuda:0 the model lives on the GPU and each step copies its batch from host memory to it (as the DJL
side does); the timer reads the clock after torch.cuda.synchronize(), so queued kernels are inside the measurement.
"""
import argparse
import json
import resource
import time

import torch
import torch.nn as nn

CHANNELS = [64, 128, 128, 256, 256, 512, 512, 512, 512, 512, 512, 1024, 1024]
STRIDES = [1, 2, 1, 2, 1, 2, 1, 1, 1, 1, 1, 2, 1]


def conv_bn(cin, cout, kernel, stride, groups, act):
    return [nn.Conv2d(cin, cout, kernel, stride, kernel // 2, groups=groups, bias=False),
            nn.BatchNorm2d(cout), act()]


def mobilenet_v1(alpha=1.0, stem_stride=1, classes=10, relu6=False):
    act = (lambda: nn.ReLU6(inplace=True)) if relu6 else (lambda: nn.ReLU(inplace=True))
    cin = int(32 * alpha)
    layers = conv_bn(3, cin, 3, stem_stride, 1, act)
    for c, s in zip(CHANNELS, STRIDES):
        cout = int(c * alpha)
        layers += conv_bn(cin, cin, 3, s, cin, act)
        layers += conv_bn(cin, cout, 1, 1, 1, act)
        cin = cout
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(cin, classes)]
    model = nn.Sequential(*layers)
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out")
        elif isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, 0, 0.01)
            nn.init.zeros_(m.bias)
    return model


def rss_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return -1.0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=["train", "eval"], default="train")
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--resolution", type=int, default=32)
    parser.add_argument("--relu6", action="store_true")
    parser.add_argument("--device", default="cpu", help="torch device: cpu (default) or cuda:0")
    parser.add_argument("--channels-last", action="store_true")
    parser.add_argument("--profile", metavar="TRACE_JSON",
                        help="record the timed steps with the autograd profiler into a Chrome trace file")
    parser.add_argument("--data", help="eval over real images: FILE.pixels (N x 3 x 32 x 32 uint8, CHW) + FILE.labels "
                                       "(N uint8); one full pass, normalised per batch with the CIFAR mean/std")
    args = parser.parse_args()
    if args.data:
        return eval_dataset(args)

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    device = torch.device(args.device)
    if device.type == "cuda" and not torch.cuda.is_available():
        raise SystemExit("--device %s: torch %s sees no CUDA device" % (args.device, torch.__version__))
    model = mobilenet_v1(relu6=args.relu6)
    fmt = torch.channels_last if args.channels_last else torch.contiguous_format
    model = model.to(device=device, memory_format=fmt)

    def sync():
        if device.type == "cuda":
            torch.cuda.synchronize(device)
    batches = [(torch.randn(args.batch, 3, args.resolution, args.resolution).contiguous(memory_format=fmt),
                torch.randint(0, 10, (args.batch,))) for _ in range(4)]
    loss_fn = nn.CrossEntropyLoss()
    if args.mode == "train":
        model.train()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True, weight_decay=5e-4)

        def step(x, y):
            x, y = x.to(device), y.to(device)
            optimizer.zero_grad(set_to_none=False)
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()
            return loss.item()
    else:
        model.eval()

        def step(x, y):
            x, y = x.to(device), y.to(device)
            with torch.no_grad():
                return model(x).argmax(1).eq(y).sum().item()

    for i in range(args.warmup):
        step(*batches[i % len(batches)])
    profiler = torch.autograd.profiler.profile() if args.profile else None
    if profiler:
        profiler.__enter__()
    sync()
    usage_start = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    cpu_start = time.process_time()
    for i in range(args.steps):
        step(*batches[i % len(batches)])
    sync()
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    if profiler:
        profiler.__exit__(None, None, None)
        profiler.export_chrome_trace(args.profile)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({
        "framework": "pytorch", "version": torch.__version__, "mode": args.mode, "batch": args.batch,
        "device": str(device), "device_name": torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu",
        "threads": torch.get_num_threads(), "steps": args.steps,
        "images_per_sec": args.batch * args.steps / elapsed, "ms_per_step": 1000 * elapsed / args.steps,
        "cpu_ms_per_step": 1000 * cpu / args.steps,
        "sys_ms_per_step": 1000 * (usage.ru_stime - usage_start.ru_stime) / args.steps,
        "minor_faults_per_step": (usage.ru_minflt - usage_start.ru_minflt) / args.steps,
        "rss_mb": rss_mb()}))


def eval_dataset(args):
    """One pass over real images, like the evaluator: uint8 -> normalised float per batch, no_grad, eval mode."""
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = mobilenet_v1(relu6=args.relu6)
    model.eval()
    with open(args.data + ".pixels", "rb") as f:
        pixels = torch.frombuffer(bytearray(f.read()), dtype=torch.uint8)
    with open(args.data + ".labels", "rb") as f:
        labels = torch.frombuffer(bytearray(f.read()), dtype=torch.uint8).long()
    n = labels.numel()
    pixels = pixels.view(n, 3, 32, 32)
    mean = torch.tensor([0.4914, 0.4822, 0.4465]).view(1, 3, 1, 1)
    std = torch.tensor([0.2470, 0.2435, 0.2616]).view(1, 3, 1, 1)

    def one_pass():
        correct = 0
        with torch.no_grad():
            for i in range(0, n, args.batch):
                x = (pixels[i:i + args.batch].float() / 255.0 - mean) / std
                correct += model(x).argmax(1).eq(labels[i:i + args.batch]).sum().item()
        return correct

    one_pass() if args.warmup > 0 else None
    start = time.perf_counter()
    cpu_start = time.process_time()
    correct = one_pass()
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    print(json.dumps({
        "framework": "pytorch", "version": torch.__version__, "mode": "eval-data", "batch": args.batch,
        "threads": torch.get_num_threads(), "steps": (n + args.batch - 1) // args.batch, "images": n,
        "accuracy": correct / n, "images_per_sec": n / elapsed, "ms_per_step": 1000 * elapsed * args.batch / n,
        "cpu_ms_per_step": 1000 * cpu * args.batch / n, "rss_mb": rss_mb()}))


if __name__ == "__main__":
    main()
