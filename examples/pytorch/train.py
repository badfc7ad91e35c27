#!/usr/bin/env python3
"""An MLP in PyTorch tuned by hpo through the command trainer.

Same hyperparameters and initializers as the built-in tfjs trainer (packages/trainer):
  layers, hidden_units, activation (relu|tanh|sigmoid|elu), initializer (zeros|random|xavier|he) with
  init_form (normal|uniform) and init_stddev, optimizer (sgd|momentum|adam|rmsprop) with momentum,
  adam_beta1, adam_beta2, adam_epsilon, learning_rate, lr_decay (lr · exp(-lr_decay · epoch)), batch_size,
  epochs, dropout, weight_decay.
Initializer variances (the core's weightInitializers): zeros 0; random σ²; xavier 2/(fan_in+fan_out)
(Glorot & Bengio 2010); he 2/fan_in (He et al. 2015); uniform forms draw U(-√(3·Var), √(3·Var)).

Params come from (lowest to highest precedence) the defaults, the JSON file named by HPO_PARAMS_FILE and
`--name value` arguments (e.g. `--learning_rate {learning_rate}` in the study's command). Uses CUDA when
available (the worker pins the trial's GPU with CUDA_VISIBLE_DEVICES). Prints one
`HPO_REPORT {"step": epoch, ...}` line per epoch and a final `HPO_RESULT {...}`.

Datasets: `spirals` (generated, 3 classes, no downloads) or `digits` (scikit-learn's 8×8 digits, if
scikit-learn is installed).
"""
import argparse
import json
import math
import os
import sys
import time

import torch
from torch import nn

DEFAULTS = {
    "layers": 2,
    "hidden_units": 64,
    "activation": "relu",
    "initializer": "he",
    "init_form": "normal",
    "init_stddev": 0.05,
    "optimizer": "adam",
    "learning_rate": 0.001,
    "lr_decay": 0.0,
    "momentum": 0.9,
    "adam_beta1": 0.9,
    "adam_beta2": 0.999,
    "adam_epsilon": 1e-7,
    "batch_size": 32,
    "epochs": 10,
    "dropout": 0.0,
    "weight_decay": 0.0,
}
ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "elu": nn.ELU}


def read_params():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name, default in DEFAULTS.items():
        parser.add_argument(f"--{name}", type=type(default) if not isinstance(default, float) else float)
    parser.add_argument("--dataset", default="spirals", choices=["spirals", "digits"])
    parser.add_argument("--seed", type=int, default=int(os.environ.get("HPO_SEED", "0")))
    args = parser.parse_args()
    params = dict(DEFAULTS)
    params_file = os.environ.get("HPO_PARAMS_FILE")
    if params_file:
        with open(params_file, encoding="utf-8") as handle:
            params.update({k: v for k, v in json.load(handle).items() if k in DEFAULTS})
    params.update({k: v for k, v in vars(args).items() if k in DEFAULTS and v is not None})
    for name in ("layers", "hidden_units", "batch_size", "epochs"):
        params[name] = int(params[name])
    return params, args.dataset, args.seed


def make_spirals(points_per_class=300, classes=3, seed=7):
    generator = torch.Generator().manual_seed(seed)
    xs, ys = [], []
    for k in range(classes):
        radius = torch.linspace(0, 1, points_per_class)
        theta = 2 * math.pi * k / classes + 4 * radius + 0.2 * torch.randn(points_per_class, generator=generator)
        xs.append(torch.stack([radius * torch.sin(theta), radius * torch.cos(theta)], dim=1))
        ys.append(torch.full((points_per_class,), k, dtype=torch.long))
    return torch.cat(xs), torch.cat(ys), classes


def make_digits():
    from sklearn.datasets import load_digits  # optional dependency

    data = load_digits()
    return torch.tensor(data.data / 16.0, dtype=torch.float32), torch.tensor(data.target, dtype=torch.long), 10


def split(x, y, validation=0.2, seed=20240611):
    order = torch.randperm(len(x), generator=torch.Generator().manual_seed(seed))
    n_val = round(len(x) * validation)
    val, train = order[:n_val], order[n_val:]
    mean, std = x[train].mean(0), x[train].std(0).clamp_min(1e-6)
    return (x[train] - mean) / std, y[train], (x[val] - mean) / std, y[val]


def initialize(layer: nn.Linear, params):
    """Draws the weights from the core's shared definition; biases start at zero."""
    fan_out, fan_in = layer.weight.shape
    name = params["initializer"]
    variance = {
        "zeros": 0.0,
        "random": params["init_stddev"] ** 2,
        "xavier": 2.0 / (fan_in + fan_out),
        "he": 2.0 / fan_in,
    }[name]
    with torch.no_grad():
        if variance == 0.0:
            layer.weight.zero_()
        elif params["init_form"] == "uniform":
            limit = math.sqrt(3 * variance)
            layer.weight.uniform_(-limit, limit)
        else:
            layer.weight.normal_(0.0, math.sqrt(variance))
        layer.bias.zero_()


def build_model(n_features, n_classes, params):
    modules, width = [], n_features
    for _ in range(params["layers"]):
        linear = nn.Linear(width, params["hidden_units"])
        initialize(linear, params)
        modules += [linear, ACTIVATIONS[params["activation"]]()]
        if params["dropout"] > 0:
            modules.append(nn.Dropout(params["dropout"]))
        width = params["hidden_units"]
    output = nn.Linear(width, n_classes)
    initialize(output, params)
    return nn.Sequential(*modules, output)


def build_optimizer(model, params):
    common = {"lr": params["learning_rate"], "weight_decay": params["weight_decay"]}
    name = params["optimizer"]
    if name == "sgd":
        return torch.optim.SGD(model.parameters(), **common)
    if name == "momentum":
        return torch.optim.SGD(model.parameters(), momentum=params["momentum"], **common)
    if name == "adam":
        betas = (params["adam_beta1"], params["adam_beta2"])
        return torch.optim.Adam(model.parameters(), betas=betas, eps=params["adam_epsilon"], **common)
    if name == "rmsprop":
        return torch.optim.RMSprop(model.parameters(), alpha=0.9, eps=1e-7, **common)
    raise SystemExit(f"unknown optimizer {name!r}")


def main():
    params, dataset, seed = read_params()
    torch.manual_seed(seed)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    device_label = f"cuda:{torch.cuda.get_device_name(0)}" if device.type == "cuda" else "cpu"
    x, y, n_classes = make_digits() if dataset == "digits" else make_spirals()
    x_train, y_train, x_val, y_val = (t.to(device) for t in split(x, y))
    model = build_model(x.shape[1], n_classes, params).to(device)
    optimizer = build_optimizer(model, params)
    scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=math.exp(-params["lr_decay"]))
    loss_fn = nn.CrossEntropyLoss()
    print(f"pytorch example: {dataset} on {device_label}, torch {torch.__version__}, params {json.dumps(params)}")
    metrics = {}
    for epoch in range(1, params["epochs"] + 1):
        started = time.perf_counter()
        model.train()
        order = torch.randperm(len(x_train), device=device)
        total = 0.0
        for start in range(0, len(order), params["batch_size"]):
            batch = order[start : start + params["batch_size"]]
            optimizer.zero_grad()
            loss = loss_fn(model(x_train[batch]), y_train[batch])
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
        scheduler.step()
        train_loss = total / len(x_train)
        if not math.isfinite(train_loss):
            print(f"training loss is {train_loss} at epoch {epoch}", file=sys.stderr)
            sys.exit(2)
        model.eval()
        with torch.no_grad():
            logits = model(x_val)
            val_loss = loss_fn(logits, y_val).item()
            val_accuracy = (logits.argmax(1) == y_val).float().mean().item()
        metrics = {"loss": train_loss, "val_loss": val_loss, "val_accuracy": val_accuracy}
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        report = {"step": epoch, **metrics, "duration_ms": duration_ms, "device": device_label}
        print("HPO_REPORT " + json.dumps(report), flush=True)
    print("HPO_RESULT " + json.dumps({**metrics, "device": device_label}), flush=True)


if __name__ == "__main__":
    main()
