"""Service faults a scenario can inject into the emulator, beyond RDS's (rds_sim.py): an AWS call that
answers 5xx a given number of times, before it does anything; an RDS quota lowered (what the preflights read). Used to prove that transient errors are
retried everywhere and that a completion is never lost. Also records when each secret value was written
(moto keeps whole seconds only)."""
from __future__ import annotations

import threading
import time


class ServiceFaults:
    def __init__(self, log):
        self.log = log
        self.pending: dict[str, int] = {}   # operation -> how many more calls fail
        self.failed: dict[str, int] = {}    # operation -> how many calls failed
        self.secret_writes: list[tuple[float, str]] = []  # (time, secret string) of each PutSecretValue
        self._lock = threading.Lock()
        self._patch()

    def fail(self, operation: str, times: int):
        """The next `times` calls of `operation` (PutSecretValue, SendTaskSuccess) answer HTTP 500."""
        with self._lock:
            self.pending[operation] = self.pending.get(operation, 0) + times

    def set_quota_max(self, account: str, quota: str, value: int | None):
        """Lowers RDS's `quota` (ManualSnapshots, DBInstances) of `account` to `value` as DescribeAccountAttributes
        reports it (patches.py); None restores the default. Only the preflights read it: nothing else enforces it."""
        from . import patches
        if value is None:
            patches.quota_max.pop((account, quota), None)
        else:
            patches.quota_max[(account, quota)] = value
        self.log("faults", f"{account} {quota} quota {'back to the default' if value is None else f'set to {value}'}")

    def _maybe_fail(self, operation: str):
        from moto.core.exceptions import JsonRESTError
        with self._lock:
            if not self.pending.get(operation):
                return
            self.pending[operation] -= 1
            self.failed[operation] = self.failed.get(operation, 0) + 1
        self.log("faults", f"injected HTTP 500 on {operation}")
        err = JsonRESTError("InternalFailure", f"injected failure of {operation}")
        err.code = 500
        raise err

    def _patch(self):
        from moto.secretsmanager.models import SecretsManagerBackend
        from moto.stepfunctions.parser.models import StepFunctionsParserBackend
        faults = self
        put, success = SecretsManagerBackend.put_secret_value, StepFunctionsParserBackend.send_task_success

        def put_secret_value(self, secret_id, secret_string, *a, **kw):
            faults._maybe_fail("PutSecretValue")
            out = put(self, secret_id, secret_string, *a, **kw)
            faults.secret_writes.append((time.time(), secret_string or ""))
            return out

        def send_task_success(self, *a, **kw):
            faults._maybe_fail("SendTaskSuccess")
            return success(self, *a, **kw)

        SecretsManagerBackend.put_secret_value = put_secret_value
        StepFunctionsParserBackend.send_task_success = send_task_success
