"""A background thread that keeps a trial's lease alive while your code trains."""

from __future__ import annotations

import logging
import threading
from typing import Callable, Optional

from .errors import HpoError, LeaseLost

logger = logging.getLogger("hpo")


class Heartbeat:
    """Calls ``beat()`` every ``interval`` seconds on a daemon thread until stopped.

    ``beat`` sends ``POST /v1/trials/:id/heartbeat`` and returns the server's ``stop`` flag (the study was
    stopped or completed), or None once the trial no longer exists in this process (nobody can tell it:
    the thread ends and the server abandons the trial after its grace). A lost lease ends the thread and
    is remembered; a transient failure (the API restarting, a network blip) is logged and the next beat
    tries again, since one missed beat is far inside the server's grace.
    """

    def __init__(self, beat: Callable[[], Optional[bool]], interval: float, name: str) -> None:
        if interval <= 0:
            raise ValueError("heartbeat interval must be positive")
        self._beat = beat
        self.interval = interval
        self._stopped = threading.Event()
        self.stop_requested = False
        self.lease_lost: Optional[LeaseLost] = None
        self.beats = 0
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> "Heartbeat":
        self._thread.start()
        return self

    def stop(self, wait: float = 5.0) -> None:
        """Stops beating; waits up to ``wait`` seconds for a beat in flight (a late one changes nothing)."""
        self._stopped.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(wait)

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def _run(self) -> None:
        while not self._stopped.wait(self.interval):
            try:
                stop = self._beat()
                if stop is None:
                    return
                if stop:
                    self.stop_requested = True
                self.beats += 1
            except LeaseLost as lost:
                if self._stopped.is_set():
                    return  # the trial was told while this beat was in flight: expected
                self.lease_lost = lost
                logger.warning("hpo: heartbeat stopped, the trial's lease is lost: %s", lost)
                return
            except HpoError as error:
                logger.warning("hpo: heartbeat failed (will try again): %s", error)
            except Exception:  # noqa: BLE001 - a heartbeat must never kill the process
                logger.exception("hpo: unexpected heartbeat error (will try again)")
