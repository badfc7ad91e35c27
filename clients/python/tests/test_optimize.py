"""study.optimize, the Optuna-like loop, run to the end of a study's budget."""

from __future__ import annotations

import unittest
from typing import Dict, List, Optional

from support import definition, make_client

import hpo


class OptimizeTest(unittest.TestCase):
    def setUp(self) -> None:
        self.client = make_client()

    def test_runs_the_study_to_completion_and_finds_the_best_trial(self) -> None:
        study = self.client.create_study(
            definition(
                "optimize",
                sampler={"type": "tpe", "nStartupTrials": 4},
                pruner={"type": "median", "warmupSteps": 1, "minTrials": 2},
                budget={"maxTrials": 12, "parallelism": 1},
            )
        )
        seen: List[int] = []

        def objective(trial: hpo.Trial) -> float:
            loss = (trial.params["x"] - 1.0) ** 2 + (0.0 if trial.params["opt"] == "adam" else 1.0)
            for step in range(3):
                if trial.report(step, loss + 2.0 - step):
                    raise hpo.TrialPruned()
            return loss

        ran = study.optimize(objective, callbacks=[lambda s, record: seen.append(record.number)])
        self.assertEqual(len(ran), 12)
        self.assertEqual(seen, list(range(12)))
        self.assertEqual(study.refresh().state, "completed")
        complete = [record for record in ran if record.state == "complete"]
        best = study.best_trial
        assert best is not None
        self.assertEqual(best.value, min(record.value for record in complete if record.value is not None))
        self.assertEqual([t.number for t in study.trials(sort="value", states=["complete"], limit=1)], [best.number])

    def test_n_trials_catch_and_propagation(self) -> None:
        study = self.client.create_study(definition("optimize-errors"))

        def flaky(trial: hpo.Trial) -> float:
            if trial.number == 1:
                raise ArithmeticError("diverged")
            return 1.0

        ran = study.optimize(flaky, n_trials=3, catch=ArithmeticError)
        self.assertEqual([record.state for record in ran], ["complete", "failed", "complete"])
        with self.assertRaises(RuntimeError):
            study.optimize(lambda trial: (_ for _ in ()).throw(RuntimeError("bug")), n_trials=5)
        states = [record.state for record in study.trials()]
        self.assertEqual(states, ["complete", "failed", "complete", "failed"])

    def test_an_objective_may_tell_itself_or_return_metrics(self) -> None:
        study = self.client.create_study(definition("optimize-tell"))

        def objective(trial: hpo.Trial) -> Optional[Dict[str, float]]:
            if trial.number == 0:
                trial.tell(state="failed", error="chose to fail")
                return None
            return {"loss": 0.75, "acc": 0.9}

        ran = study.optimize(objective, n_trials=2)
        self.assertEqual([(r.state, r.value) for r in ran], [("failed", None), ("complete", 0.75)])


if __name__ == "__main__":
    unittest.main()
