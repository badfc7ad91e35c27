"""Tune a quadratic with no dependencies: the smallest complete ask/tell loop.

    npm start                                   # in the repository: prints HPO_API_URL and HPO_TOKEN
    export HPO_API_URL=http://127.0.0.1:3000 HPO_TOKEN=hpo_...
    python3 clients/python/examples/quadratic.py [--trials 30]

It creates an external study (the service proposes points, this script evaluates them), runs it to
completion with ``study.optimize``, reports per "epoch" so the median pruner can stop hopeless trials,
and prints the best point. The optimum is x = 2, y = -1 with the optimizer "adam": loss 0.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

try:
    import hpo
except ImportError:  # running from a checkout without `pip install ./clients/python`
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src"))
    import hpo


def objective(trial: hpo.Trial) -> float:
    x = float(trial.params["x"])
    y = float(trial.params["y"])
    penalty = 0.0 if trial.params["optimizer"] == "adam" else 0.5
    target = (x - 2.0) ** 2 + (y + 1.0) ** 2 + penalty
    loss = target + 10.0
    for epoch in range(1, 6):
        # Each "epoch" closes half the gap to the trial's final loss, like a training curve.
        loss = target + (loss - target) / 2.0
        if trial.report(epoch, {"loss": loss}):
            raise hpo.TrialPruned()
    return loss


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trials", type=int, default=30, help="the study's maxTrials")
    parser.add_argument("--name", default=f"quadratic-{int(time.time())}", help="the study's name")
    args = parser.parse_args()

    client = hpo.Client()
    study = client.create_study(
        {
            "name": args.name,
            "objective": {"metric": "loss", "direction": "minimize"},
            "space": [
                {"name": "x", "type": "float", "low": -5, "high": 5},
                {"name": "y", "type": "float", "low": -5, "high": 5},
                {"name": "optimizer", "type": "categorical", "choices": ["sgd", "adam"]},
            ],
            "sampler": {"type": "tpe", "nStartupTrials": 8},
            "pruner": {"type": "median", "warmupSteps": 2, "minTrials": 4},
            "budget": {"maxTrials": args.trials, "parallelism": 1},
            "seed": 1,
        },
        load_if_exists=True,
    )
    print(f"study {study.id} ({study.name}): {client.api_url}/v1/studies/{study.id}")
    ran = study.optimize(objective, callbacks=[_print_trial])
    study.refresh()
    best = study.best_trial
    print(f"ran {len(ran)} trials here; study state: {study.state}")
    if best is not None:
        print(f"best: trial {best.number} loss={best.value:.4f} params={best.params}")
    return 0 if study.state == "completed" else 1


def _print_trial(study: hpo.Study, trial: hpo.TrialRecord) -> None:
    value = "-" if trial.value is None else f"{trial.value:.4f}"
    print(f"  trial {trial.number:3d} {trial.state:8s} loss={value}")


if __name__ == "__main__":
    sys.exit(main())
