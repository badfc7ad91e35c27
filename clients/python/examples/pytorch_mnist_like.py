"""Tune a PyTorch MLP with hpo's ask/tell client (CUDA when available).

    export HPO_API_URL=http://127.0.0.1:3000 HPO_TOKEN=hpo_...   # from `npm start`
    pip install torch ./clients/python
    python3 clients/python/examples/pytorch_mnist_like.py [--trials 12] [--epochs 5]

The data is MNIST-like and generated here (28x28 "digits": ten noisy class prototypes), so the example
needs no download. The study searches the learning rate (log scale), hidden units, batch size, optimizer
and weight initializer (zeros, random, Xavier, He); every epoch's validation loss is reported so the
median pruner stops hopeless runs. Without torch installed it says so and exits 0.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import os
import sys
import time
from typing import Any, Dict, Tuple

try:
    import hpo
except ImportError:  # running from a checkout without `pip install ./clients/python`
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src"))
    import hpo

if importlib.util.find_spec("torch") is None:
    print("PyTorch is not installed (pip install torch); skipping the PyTorch example.")
    sys.exit(0)

import torch  # noqa: E402 - only once we know it is there
from torch import nn  # noqa: E402


def make_data(device: Any, n_train: int = 2000, n_val: int = 500) -> Tuple[Any, Any, Any, Any]:
    """Ten class prototypes in 28x28 plus pixel noise: separable, but not trivially at a bad learning rate."""
    generator = torch.Generator().manual_seed(0)
    prototypes = (torch.rand(10, 784, generator=generator) > 0.7).float()

    def sample(n: int) -> Tuple[Any, Any]:
        labels = torch.randint(0, 10, (n,), generator=generator)
        images = prototypes[labels] + 0.8 * torch.randn(n, 784, generator=generator)
        return images.to(device), labels.to(device)

    x_train, y_train = sample(n_train)
    x_val, y_val = sample(n_val)
    return x_train, y_train, x_val, y_val


def build_model(params: Dict[str, Any]) -> Any:
    hidden = int(params["hidden_units"])
    model = nn.Sequential(nn.Linear(784, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(), nn.Linear(hidden, 10))
    for layer in model:
        if isinstance(layer, nn.Linear):
            initializer = params["initializer"]
            if initializer == "zeros":
                nn.init.zeros_(layer.weight)  # every unit identical: the network cannot break symmetry
            elif initializer == "random":
                nn.init.normal_(layer.weight, std=0.01)
            elif initializer == "xavier":
                nn.init.xavier_uniform_(layer.weight)
            else:
                nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
            nn.init.zeros_(layer.bias)
    return model


def make_optimizer(params: Dict[str, Any], model: Any) -> Any:
    lr = float(params["learning_rate"])
    if params["optimizer"] == "adam":
        return torch.optim.Adam(model.parameters(), lr=lr)
    momentum = 0.9 if params["optimizer"] == "momentum" else 0.0
    return torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trials", type=int, default=12)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--name", default=f"pytorch-mlp-{int(time.time())}")
    args = parser.parse_args()

    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    torch.manual_seed(0)
    x_train, y_train, x_val, y_val = make_data(device)
    loss_fn = nn.CrossEntropyLoss()

    def objective(trial: hpo.Trial) -> Dict[str, float]:
        model = build_model(trial.params).to(device)
        optimizer = make_optimizer(trial.params, model)
        batch = int(trial.params["batch_size"])
        metrics: Dict[str, float] = {}
        for epoch in range(1, args.epochs + 1):
            model.train()
            order = torch.randperm(x_train.shape[0], device=device)
            for start in range(0, x_train.shape[0], batch):
                index = order[start : start + batch]
                optimizer.zero_grad()
                loss_fn(model(x_train[index]), y_train[index]).backward()
                optimizer.step()
            model.eval()
            with torch.no_grad():
                logits = model(x_val)
                val_loss = float(loss_fn(logits, y_val))
                accuracy = float((logits.argmax(dim=1) == y_val).float().mean())
            if not math.isfinite(val_loss):
                raise FloatingPointError(f"validation loss diverged at epoch {epoch}")
            metrics = {"val_loss": val_loss, "val_accuracy": accuracy}
            if trial.report(epoch, metrics):
                raise hpo.TrialPruned()
        return metrics

    client = hpo.Client()
    study = client.create_study(
        {
            "name": args.name,
            "objective": {"metric": "val_loss", "direction": "minimize"},
            "space": [
                {"name": "learning_rate", "type": "float", "low": 1e-4, "high": 1.0, "log": True},
                {"name": "hidden_units", "type": "int", "low": 16, "high": 256, "log": True},
                {"name": "batch_size", "type": "categorical", "choices": [32, 64, 128]},
                {"name": "optimizer", "type": "categorical", "choices": ["sgd", "momentum", "adam"]},
                {"name": "initializer", "type": "categorical", "choices": ["zeros", "random", "xavier", "he"]},
            ],
            "sampler": {"type": "tpe", "nStartupTrials": 5},
            "pruner": {"type": "median", "warmupSteps": 1, "minTrials": 3},
            "budget": {"maxTrials": args.trials, "parallelism": 1},
            "seed": 0,
        },
        load_if_exists=True,
    )
    print(f"study {study.id} on {device}; {args.trials} trials of {args.epochs} epochs")
    study.optimize(objective, catch=(FloatingPointError,), callbacks=[_print_trial])
    best = study.best_trial
    if best is not None and best.metrics is not None:
        print(f"best: trial {best.number} val_loss={best.value:.4f} accuracy={best.metrics.get('val_accuracy', 0):.3f}")
        print(f"      {best.params}")
    return 0 if study.refresh().state == "completed" else 1


def _print_trial(study: hpo.Study, trial: hpo.TrialRecord) -> None:
    value = "-" if trial.value is None else f"{trial.value:.4f}"
    print(f"  trial {trial.number:3d} {trial.state:8s} val_loss={value} {trial.params}")


if __name__ == "__main__":
    sys.exit(main())
