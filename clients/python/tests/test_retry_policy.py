"""Backoff and Retry-After parsing (pure functions, no server)."""

from __future__ import annotations

import random
import unittest
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import support  # noqa: F401 - puts the sources on sys.path

from hpo.retry import RetryPolicy, parse_retry_after


class RetryPolicyTest(unittest.TestCase):
    def test_full_jitter_grows_exponentially_and_stays_under_the_cap(self) -> None:
        policy = RetryPolicy(base_delay=0.5, max_delay=4.0)
        rng = random.Random(1)
        for retry, cap in [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (5, 4.0), (9, 4.0)]:
            delays = [policy.delay(retry, None, rng) for _ in range(200)]
            self.assertTrue(all(0.0 <= delay <= cap for delay in delays), (retry, max(delays)))
            # Jitter: the delays spread over the range instead of all clients waiting the same time.
            self.assertGreater(max(delays) - min(delays), cap * 0.5)

    def test_retry_after_wins_over_backoff_and_is_capped(self) -> None:
        policy = RetryPolicy(base_delay=0.5, max_retry_after=30.0)
        self.assertEqual(policy.delay(1, 7.0), 7.0)
        self.assertEqual(policy.delay(1, 3600.0), 30.0)
        self.assertEqual(policy.delay(1, -5.0), 0.0)

    def test_rejects_nonsense(self) -> None:
        with self.assertRaises(ValueError):
            RetryPolicy(max_attempts=0)
        with self.assertRaises(ValueError):
            RetryPolicy(base_delay=-1)


class ParseRetryAfterTest(unittest.TestCase):
    def test_seconds_and_http_dates(self) -> None:
        now = datetime(2030, 1, 1, tzinfo=timezone.utc)
        self.assertEqual(parse_retry_after("12", now), 12.0)
        self.assertEqual(parse_retry_after(" 0 ", now), 0.0)
        later = format_datetime(now + timedelta(seconds=90), usegmt=True)
        self.assertAlmostEqual(parse_retry_after(later, now) or 0.0, 90.0)
        earlier = format_datetime(now - timedelta(seconds=90), usegmt=True)
        self.assertEqual(parse_retry_after(earlier, now), 0.0)

    def test_missing_or_garbage_is_none(self) -> None:
        for value in (None, "", "soon", "Mon, 99 Foo 2030"):
            self.assertIsNone(parse_retry_after(value))


if __name__ == "__main__":
    unittest.main()
