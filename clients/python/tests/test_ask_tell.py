"""ask / report / tell and the trial context manager, against the real API."""

from __future__ import annotations

import unittest
import warnings

from support import definition, make_client

import hpo


class AskTellTest(unittest.TestCase):
    def setUp(self) -> None:
        self.client = make_client()

    def test_ask_report_tell(self) -> None:
        study = self.client.create_study(definition("ask-tell"))
        trial = study.ask()
        self.assertEqual(trial.number, 0)
        self.assertEqual(set(trial.params), {"x", "opt"})
        self.assertTrue(-5 <= trial.params["x"] <= 5)
        self.assertFalse(trial.report(0, 4.0))
        self.assertFalse(trial.report(1, {"loss": 3.0, "acc": 0.4}))
        record = trial.tell(metrics={"loss": 2.5, "acc": 0.6})
        self.assertEqual((record.state, record.value, record.number), ("complete", 2.5, 0))
        self.assertEqual(record.metrics, {"loss": 2.5, "acc": 0.6})
        stored = study.trials(include_reports=True)
        self.assertEqual([(r.step, r.value) for r in stored[0].reports], [(0, 4.0), (1, 3.0)])
        self.assertEqual(study.best_value, 2.5)
        self.assertEqual(study.best_params, trial.params)

    def test_report_answers_prune_from_the_studys_pruner(self) -> None:
        study = self.client.create_study(
            definition("prune", pruner={"type": "median", "warmupSteps": 0, "minTrials": 1})
        )
        good = study.ask()
        for step in range(3):
            self.assertFalse(good.report(step, 1.0))
        good.tell(1.0)
        bad = study.ask()
        self.assertFalse(bad.should_prune())
        self.assertTrue(bad.report(0, 50.0))
        self.assertTrue(bad.should_prune())
        with bad:
            raise hpo.TrialPruned()  # the context manager tells pruned and swallows it
        self.assertEqual((bad.record.state, bad.record.value) if bad.record else None, ("pruned", 50.0))

    def test_the_context_manager_tells_failed_with_the_exception_and_reraises_it(self) -> None:
        study = self.client.create_study(definition("failing"))
        trial = study.ask()
        with self.assertRaises(ZeroDivisionError):
            with trial:
                trial.report(0, 1.0)
                _ = 1 / 0
        self.assertIsNotNone(trial.record)
        stored = study.trials()[0]
        self.assertEqual(stored.state, "failed")
        self.assertIn("ZeroDivisionError: division by zero", stored.error or "")

    def test_the_context_manager_leaves_a_told_trial_alone(self) -> None:
        study = self.client.create_study(definition("told"))
        with study.ask() as trial:
            trial.tell(0.1)
        self.assertEqual(study.trials()[0].state, "complete")
        with self.assertRaises(KeyError):
            with study.ask() as second:
                second.tell(0.2)
                raise KeyError("after the tell")
        self.assertEqual([t.state for t in study.trials()], ["complete", "complete"])

    def test_a_block_that_ends_without_tell_is_failed_with_a_warning(self) -> None:
        study = self.client.create_study(definition("no-tell"))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with study.ask():
                pass
        self.assertTrue(any("without tell()" in str(w.message) for w in caught))
        self.assertEqual(study.trials()[0].state, "failed")

    def test_a_stale_lease_raises_lease_lost(self) -> None:
        study = self.client.create_study(definition("stale"))
        trial = study.ask()
        trial.tell(1.0)
        with self.assertRaises(hpo.LeaseLost) as raised:
            trial.report(5, 1.0)
        self.assertEqual((raised.exception.status, raised.exception.code), (409, "lease_conflict"))
        self.assertEqual(raised.exception.details, {"state": "complete", "reason": "not_running"})

    def test_a_nan_metric_is_dropped_and_a_nan_value_refused_before_sending(self) -> None:
        study = self.client.create_study(definition("nan"))
        trial = study.ask()
        record = trial.tell(metrics={"loss": 1.5, "grad_norm": float("nan")})
        self.assertEqual(record.metrics, {"loss": 1.5})
        with study.ask() as second:
            with self.assertRaises(ValueError):
                second.report(0, float("inf"))
            second.tell(state="failed", error="diverged")
        self.assertEqual(study.trials()[1].error, "diverged")

    def test_ask_says_why_it_has_nothing(self) -> None:
        study = self.client.create_study(definition("exhausted", budget={"maxTrials": 1, "parallelism": 1}))
        trial = study.ask()
        with self.assertRaises(hpo.HpoError) as busy:
            study.ask()
        self.assertEqual(busy.exception.code, "parallelism_reached")
        trial.tell(3.0)
        with self.assertRaises(hpo.HpoError) as done:
            study.ask()
        self.assertIn(done.exception.code, ("study_exhausted", "study_not_running"))
        self.assertEqual(study.refresh().state, "completed")

    def test_enqueued_params_are_served_first(self) -> None:
        study = self.client.create_study(definition("manual"))
        study.enqueue({"x": 1.25, "opt": "adam"})
        with study.ask() as trial:
            self.assertEqual(trial.params, {"x": 1.25, "opt": "adam"})
            self.assertEqual(trial.origin, "manual")
            trial.tell(0.0)

    def test_study_lookup_and_control(self) -> None:
        body = definition("control")
        study = self.client.create_study(body)
        again = self.client.create_study(body, load_if_exists=True)
        self.assertEqual(again.id, study.id)
        with self.assertRaises(hpo.HpoError) as taken:
            self.client.create_study(body)
        self.assertEqual(taken.exception.code, "name_taken")
        self.assertEqual(self.client.study(study.id).name, body["name"])
        self.assertEqual(study.pause().state, "paused")
        self.assertEqual(study.resume().state, "running")
        self.assertEqual(study.set_parallelism(2).definition["budget"]["parallelism"], 2)
        self.assertEqual(study.stop().state, "stopped")
        with self.assertRaises(hpo.HpoError) as missing:
            self.client.study("00000000-0000-0000-0000-000000000000")
        self.assertEqual((missing.exception.status, missing.exception.code), (404, "not_found"))


if __name__ == "__main__":
    unittest.main()
