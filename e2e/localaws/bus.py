"""Local EventBridge and SNS delivery: routes RDS events through the rules the template declares
(the same patterns EventBridge evaluates) and SNS messages to subscribed functions, with Lambda's
asynchronous-invocation semantics (retries, then the dead-letter queue). On request it delays,
duplicates, reorders or drops RDS events, as EventBridge may.
"""
from __future__ import annotations

import json
import random
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone


def matches(pattern, event) -> bool:
    """EventBridge pattern matching for the forms the template uses: nested objects, lists of
    alternatives, exact values and {"prefix": ...}."""
    if isinstance(pattern, dict):
        return all(isinstance(event, dict) and key in event and matches(sub, event[key])
                   for key, sub in pattern.items())
    if isinstance(pattern, list):
        for alt in pattern:
            if isinstance(alt, dict) and "prefix" in alt:
                if isinstance(event, str) and event.startswith(alt["prefix"]):
                    return True
            elif isinstance(event, list):
                if alt in event:
                    return True
            elif alt == event:
                return True
        return False
    raise ValueError(f"unsupported pattern element {pattern!r}")


@dataclass
class Chaos:
    """What happens to RDS events on their way to the rules."""
    delay_s: float = 0.0
    duplicate: bool = False
    reorder: bool = False          # deliver each resource's events newest first
    drop_event_ids: set = field(default_factory=set)   # e.g. {"RDS-EVENT-0042"}: lost events
    drop_count: int = 0            # how many matching events to drop (0 = all)


class Bus:
    def __init__(self, lambdas, accounts: dict, log):
        self.lambdas, self.accounts, self.log = lambdas, accounts, log
        self.rules: dict[str, list] = {}
        self.async_config: dict[str, tuple[int, str | None]] = {}
        self.chaos = Chaos()
        self.pool = ThreadPoolExecutor(max_workers=16, thread_name_prefix="bus")
        self.delivered: list[dict] = []      # (time, account, detail) of RDS events handed to a rule
        self.dropped: list[dict] = []
        self.sns_deliveries: list[dict] = []
        self.sns_records: dict[str, dict] = {}   # message id -> the SNS record delivered
        self.held: list[tuple] = []
        self.lock = threading.Lock()

    def add_rule(self, account: str, name: str, pattern: dict, fn):
        self.rules.setdefault(account, []).append((name, pattern, fn))

    def add_async_config(self, fn_arn: str, retries: int, dlq_arn: str | None):
        self.async_config[fn_arn.split(":live")[0]] = (retries, dlq_arn)

    # ---- RDS events ----------------------------------------------------------------------
    def rds_event(self, account: str, region: str, detail_type: str, source_type: str, arn: str, event_id: str,
                  message: str):
        event = {
            "version": "0", "id": str(uuid.uuid4()), "detail-type": detail_type, "source": "aws.rds",
            "account": account, "time": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "region": region, "resources": [arn],
            "detail": {"EventCategories": [], "SourceType": source_type, "SourceArn": arn,
                       "SourceIdentifier": arn.split(":")[-1], "Date": datetime.now(timezone.utc).isoformat(),
                       "Message": message, "EventID": event_id},
        }
        c = self.chaos
        with self.lock:
            if event_id in c.drop_event_ids and (c.drop_count == 0 or len(self.dropped) < c.drop_count):
                self.dropped.append(event)
                self.log("event", f"{account} {event_id} {arn.split(':')[-1]}: DROPPED (chaos)")
                return
        if c.reorder:
            with self.lock:
                self.held.append((account, event))
            return
        copies = 2 if c.duplicate else 1
        for _ in range(copies):
            self.pool.submit(self._deliver, account, event, c.delay_s)

    def start_reorder_flusher(self, every_s: float = 1.0) -> threading.Event:
        """Delivers held events newest first every `every_s` seconds until the returned event is set."""
        stop = threading.Event()

        def loop():
            while not stop.wait(every_s):
                self.flush_held()
        threading.Thread(target=loop, daemon=True, name="reorder").start()
        return stop

    def flush_held(self):
        """Delivers held events newest first (reordering)."""
        with self.lock:
            held, self.held = self.held, []
        for account, event in reversed(held):
            self.pool.submit(self._deliver, account, event, 0)

    def _deliver(self, account, event, delay):
        if delay:
            time.sleep(delay)  # simulated EventBridge latency
        for name, pattern, fn in self.rules.get(account, []):
            if matches(pattern, event):
                d = event["detail"]
                # EventBridge invokes the function asynchronously: Lambda retries a failed invocation.
                retries, _ = self.async_config.get(fn.arn(), (2, None))
                for attempt in range(retries + 1):
                    ok, result = fn.invoke(event)
                    outcome = result.get("outcome") if ok and isinstance(result, dict) else f"ERROR {result}"
                    with self.lock:
                        self.delivered.append({"account": account, "eventId": d["EventID"], "arn": d["SourceArn"],
                                               "outcome": outcome, "rule": name, "attempt": attempt,
                                               "time": time.time()})
                    self.log("event", f"{account} {d['EventID']} {d['SourceIdentifier']} -> router: {outcome}")
                    if ok:
                        break
                    time.sleep(min(2 ** attempt, 4))  # Lambda waits between async retries (minutes in AWS)

    # ---- SNS -----------------------------------------------------------------------------
    def sns_deliver(self, subscription, message, message_id, subject, attributes):
        record = {"EventSource": "aws:sns", "EventVersion": "1.0", "EventSubscriptionArn": subscription.arn,
                  "Sns": {"Type": "Notification", "MessageId": message_id, "TopicArn": subscription.topic.arn,
                          "Subject": subject, "Message": message,
                          "Timestamp": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                          "SignatureVersion": "1", "Signature": "", "SigningCertUrl": "", "UnsubscribeUrl": "",
                          "MessageAttributes": {k: {"Type": v.get("DataType", v.get("Type", "String")),
                                                    "Value": v.get("StringValue", v.get("Value"))}
                                                for k, v in attributes.items()}}}
        event = {"Records": [record]}
        self.sns_records[message_id] = record
        self.pool.submit(self.invoke_async, subscription.endpoint, event, "sns")

    def invoke_async(self, fn_arn: str, event: dict, via: str):
        fn = self.lambdas.by_arn(fn_arn)
        retries, dlq = self.async_config.get(fn_arn.split(":live")[0], (2, None))
        for attempt in range(retries + 1):
            ok, result = fn.invoke(event)
            with self.lock:
                self.sns_deliveries.append({"function": fn.name, "account": fn.account, "ok": ok, "result": result})
            self.log("sns", f"{fn.account} {via} -> {fn.name}: {'ok' if ok else 'ERROR'} "
                            f"{json.dumps(result)[:300]}")
            if ok:
                return
            time.sleep(min(2 ** attempt, 4))  # Lambda waits between async retries
        if dlq:
            acct = self.accounts[fn.account]
            url = acct.client("sqs").get_queue_url(QueueName=dlq.split(":")[-1])["QueueUrl"]
            acct.client("sqs").send_message(QueueUrl=url, MessageBody=json.dumps(event))
            self.log("sns", f"{fn.account} {fn.name}: retries exhausted, event sent to the dead-letter queue")

    def idle(self) -> bool:
        """True when no delivery is queued (running ones finish within a Lambda timeout)."""
        return self.pool._work_queue.qsize() == 0
