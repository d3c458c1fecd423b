"""Transition and invocation counts computed from the ASL structure, for this design and for a
Wait-loop polling design, at several RDS durations. Printed by the local run.

Event-driven (this design), per workflow:
    transitions = states entered on the success path (read from the ASL)
    invocations = Lambda tasks on the success path + router invocations (one per RDS event that
                  reaches it: the rule passes only the events that end a phase, one per phase)
    re-arms     = floor(duration / wait timeout) per phase: each is a retry of the waited Task
                  (Retry on States.Timeout), 1 transition and 1 invocation. Only phases whose time grows with the
                  database (snapshot, copies, restore: 3600 s waits) scale; the password reset
                  (300 s wait) takes minutes whatever the size and is counted once.
Polling (the sample this replaces), per asynchronous phase with loop interval L:
    passes      = ceil(duration / L)
    transitions = 3 per pass (Wait, status Task, Choice); invocations = 1 per pass
    detection delay: up to L (L/2 on average) after RDS finishes
"""
from __future__ import annotations

import json
import math
from pathlib import Path

DURATIONS = {"10 min": 600, "1 h": 3600, "6 h": 21600}
POLL_INTERVALS = (180, 240, 300)
EVENTS_PER_PHASE = 1


def success_path(definition: dict, scaled_timeout_s: int = 3600) -> tuple[list[str], int, int, int]:
    """States entered from StartAt to the first Succeed of a real run: at a Choice its Default, unless that
    rejects the input, then the first choice that is neither a rejection nor a dry run. Returns the path, its
    Lambda tasks, RDS waits, and the waits whose duration grows with the database."""
    states, path = definition["States"], []
    name = definition["StartAt"]
    waits = lambdas = scaled = 0
    while name:
        path.append(name)
        s = states[name]
        if s["Type"] == "Task":
            lambdas += 1
            waits += s["Resource"].endswith(".waitForTaskToken")
            scaled += s["Resource"].endswith(".waitForTaskToken") and s.get("TimeoutSeconds", 0) >= scaled_timeout_s
        if s["Type"] == "Choice":
            if "Default" in s and not s["Default"].endswith("rejected"):
                name = s["Default"]
            else:
                name = next(c["Next"] for c in s["Choices"]
                            if not c["Next"].endswith("rejected") and "dry run" not in c["Next"].lower())
            continue
        name = s.get("Next")
    return path, lambdas, waits, scaled


def table(root: Path, wait_timeout_s: int = 3600) -> str:
    lines = []
    for f in sorted((root / "statemachines").glob("*.asl.json")):
        d = json.loads(f.read_text())
        path, lambdas, waits, scaled = success_path(d, wait_timeout_s)
        base_t, base_i = len(path), lambdas + waits * EVENTS_PER_PHASE
        lines.append(f"{f.stem}: success path {base_t} transitions, {lambdas} Lambda tasks, {waits} RDS waits "
                     f"({scaled} growing with the database)")
        lines.append("  RDS time per phase | event-driven: transitions / invocations / added delay"
                     " | polling every 180 s / 240 s / 300 s: transitions / invocations / added delay")
        for label, secs in DURATIONS.items():
            rearms = scaled * (secs // wait_timeout_s)
            ev = f"{base_t + rearms} / {base_i + rearms} / ~1 s"
            polls = []
            for interval in POLL_INTERVALS:
                # a constant phase (the password reset) is one pass of its loop
                passes = scaled * math.ceil(secs / interval) + (waits - scaled)
                polls.append(f"{base_t - waits + 3 * passes} / {lambdas - waits + passes} / <= {interval} s")
            lines.append(f"  {label:>6} | {ev} | " + " ; ".join(polls))
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(Path(__file__).resolve().parents[2]))
