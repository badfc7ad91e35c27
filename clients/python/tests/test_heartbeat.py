"""The background heartbeat keeps a long trial's lease past the scheduler's grace."""

from __future__ import annotations

import gc
import os
import time
import unittest

from support import definition, make_client

import hpo


def grace_seconds() -> float:
    raw = os.environ.get("HPO_TEST_HEARTBEAT_GRACE_MS")
    if not raw:
        raise unittest.SkipTest("set HPO_TEST_HEARTBEAT_GRACE_MS to the scheduler's HPO_HEARTBEAT_GRACE_MS")
    return float(raw) / 1000.0


class HeartbeatTest(unittest.TestCase):
    def test_a_heartbeating_trial_outlives_the_grace_and_a_silent_one_is_abandoned(self) -> None:
        grace = grace_seconds()
        beating_client = make_client(heartbeat_interval=min(1.0, grace / 4))
        silent_client = make_client(heartbeat_interval=None)
        study = beating_client.create_study(definition("heartbeat"))
        beating = study.ask()
        silent = silent_client.study(study.id).ask()
        started = time.monotonic()

        # The scheduler abandons the silent trial once it has been quiet for the grace...
        deadline = started + grace + 60.0
        while silent_client.transport.request("GET", f"/v1/trials/{silent.id}")["state"] != "abandoned":
            self.assertLess(time.monotonic(), deadline, "the silent trial was never abandoned")
            time.sleep(0.25)
        with self.assertRaises(hpo.LeaseLost):
            silent.tell(1.0)
        # ...while the other, silent in the foreground too, keeps its lease through its heartbeats.
        while time.monotonic() - started < grace * 1.5:
            time.sleep(0.25)
        self.assertIsNone(beating.lease_lost)
        record = beating.tell(0.5)
        self.assertEqual(record.state, "complete")
        self.assertEqual(record.attempt, 0)

    def test_the_heartbeat_thread_ends_with_the_tell(self) -> None:
        client = make_client(heartbeat_interval=0.2)
        study = client.create_study(definition("heartbeat-ends"))
        trial = study.ask()
        time.sleep(0.7)
        beat = trial._heartbeat  # noqa: SLF001 - the thread is what this test is about
        assert beat is not None
        self.assertGreaterEqual(beat.beats, 1)
        trial.tell(1.0)
        self.assertFalse(beat.alive)

    def test_a_trial_dropped_without_a_tell_stops_beating(self) -> None:
        client = make_client(heartbeat_interval=0.2)
        study = client.create_study(definition("heartbeat-dropped"))
        trial = study.ask()
        beat = trial._heartbeat  # noqa: SLF001
        assert beat is not None
        del trial
        gc.collect()
        deadline = time.monotonic() + 5.0
        while beat.alive and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertFalse(beat.alive, "a forgotten trial must not keep its lease (and a parallelism slot) forever")


if __name__ == "__main__":
    unittest.main()
