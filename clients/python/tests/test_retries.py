"""Retries against the real API, through a proxy that refuses or loses chosen requests."""

from __future__ import annotations

import time
import unittest
from typing import List

from support import Fault, FaultProxy, api_settings, definition, make_client

import hpo


class RetryTest(unittest.TestCase):
    def setUp(self) -> None:
        url, _ = api_settings()
        self.proxy = FaultProxy(url).__enter__()
        self.addCleanup(self.proxy.__exit__)
        self.client = make_client(self.proxy.url, retry=hpo.RetryPolicy(max_attempts=6, base_delay=0.05, max_delay=0.2))
        self.study = self.client.create_study(definition("retries"))

    def test_429_waits_as_long_as_retry_after_says(self) -> None:
        self.proxy.add(Fault("GET", r"^/v1/studies/[^/?]+$", "status", times=2, status=429, retry_after="1"))
        started = time.monotonic()
        self.study.refresh()
        elapsed = time.monotonic() - started
        attempts = self.proxy.requests("GET", r"^/v1/studies/[^/?]+$")
        self.assertEqual(len(attempts), 3)
        gaps = [later.at - earlier.at for earlier, later in zip(attempts, attempts[1:])]
        self.assertTrue(all(gap >= 0.95 for gap in gaps), gaps)
        self.assertGreaterEqual(elapsed, 1.9)
        self.assertEqual(self.study.state, "running")

    def test_502_503_504_and_lost_connections_are_retried(self) -> None:
        for status in (502, 503, 504):
            self.proxy.add(Fault("POST", r"/ask$", "status", status=status))
        self.proxy.add(Fault("POST", r"/ask$", "drop_request"))
        trial = self.study.ask()
        self.assertEqual(len(self.proxy.requests("POST", r"/ask$")), 5)
        trial.tell(1.0)

    def test_gives_up_after_max_attempts_with_the_servers_code(self) -> None:
        self.proxy.add(Fault("GET", r"^/v1/studies/[^/?]+$", "status", times=100, status=503))
        with self.assertRaises(hpo.HpoError) as raised:
            self.study.refresh()
        self.assertEqual(raised.exception.status, 503)
        self.assertEqual(raised.exception.code, "injected")
        self.assertEqual(len(self.proxy.requests("GET", r"^/v1/studies/[^/?]+$")), 6)

    def test_a_bad_request_is_not_retried(self) -> None:
        with self.assertRaises(hpo.HpoError) as raised:
            self.client.create_study({"name": "bad", "objective": {"metric": "loss"}})
        self.assertEqual(raised.exception.status, 400)
        self.assertEqual(raised.exception.code, "validation_failed")
        self.assertTrue(raised.exception.details["issues"])
        self.assertEqual(len(self.proxy.requests("POST", r"^/v1/studies$")), 2)  # setUp's and this one

    def test_an_unreachable_api_is_a_network_error_after_bounded_retries(self) -> None:
        _, token = api_settings()
        sleeps: List[float] = []
        client = hpo.Client("http://127.0.0.1:9", token, retry=hpo.RetryPolicy(max_attempts=3, base_delay=0.01))
        client.transport._sleep = sleeps.append  # type: ignore[attr-defined]
        with self.assertRaises(hpo.HpoError) as raised:
            client.study("x")
        self.assertEqual(raised.exception.code, "network_error")
        self.assertIsNone(raised.exception.status)
        self.assertEqual(len(sleeps), 2)


class RetrySafeWritesTest(unittest.TestCase):
    """A write whose answer was lost is sent again; the server must not record it twice."""

    def setUp(self) -> None:
        url, _ = api_settings()
        self.proxy = FaultProxy(url).__enter__()
        self.addCleanup(self.proxy.__exit__)
        self.client = make_client(self.proxy.url, retry=hpo.RetryPolicy(max_attempts=4, base_delay=0.05))
        self.study = self.client.create_study(definition("retry-safe"))

    def test_a_tell_whose_answer_was_lost_is_retried_and_counted_once(self) -> None:
        trial = self.study.ask()
        self.proxy.add(Fault("POST", r"/tell$", "drop_response"))
        record = trial.tell(metrics={"loss": 0.25, "acc": 0.5})
        tells = self.proxy.requests("POST", rf"/v1/trials/{trial.id}/tell$")
        self.assertEqual(len(tells), 2)
        # Both attempts carried the same lease token (in the body) and the same Idempotency-Key.
        keys = {seen.headers.get("Idempotency-Key") for seen in tells}
        self.assertEqual(len(keys), 1)
        self.assertIsNotNone(keys.pop())
        self.assertEqual((record.state, record.value), ("complete", 0.25))
        counts = self.study.refresh().data["counts"]
        self.assertEqual((counts["complete"], counts["total"]), (1, 1))

    def test_the_same_tell_sent_twice_gives_one_result(self) -> None:
        trial = self.study.ask()
        first = trial.tell(0.5)
        body = {"leaseToken": trial.lease_token, "state": "complete", "value": 0.5}
        again = self.client.transport.request("POST", f"/v1/trials/{trial.id}/tell", body)
        self.assertEqual(again["value"], 0.5)
        self.assertEqual(again["finishedAt"], first.raw["finishedAt"])
        different = dict(body, value=0.4)
        with self.assertRaises(hpo.LeaseLost) as raised:
            self.client.transport.request("POST", f"/v1/trials/{trial.id}/tell", different)
        self.assertEqual((raised.exception.status, raised.exception.code), (409, "lease_conflict"))
        self.assertEqual(self.study.refresh().data["counts"]["complete"], 1)

    def test_a_report_whose_answer_was_lost_is_stored_once(self) -> None:
        trial = self.study.ask()
        self.proxy.add(Fault("POST", r"/report$", "drop_response"))
        self.assertFalse(trial.report(1, 3.0))
        trial.tell(2.0)
        record = self.client.transport.request("GET", f"/v1/trials/{trial.id}")
        self.assertEqual([report["step"] for report in record["reports"]], [1])

    def test_a_study_creation_whose_answer_was_lost_creates_one_study(self) -> None:
        body = definition("created-once")
        self.proxy.add(Fault("POST", r"^/v1/studies$", "drop_response"))
        study = self.client.create_study(body)
        self.assertEqual(len(self.proxy.requests("POST", r"^/v1/studies$")), 3)  # setUp + 2 attempts
        self.assertEqual([found.id for found in self.client.studies(name=body["name"])], [study.id])


if __name__ == "__main__":
    unittest.main()
