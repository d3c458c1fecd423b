#!/usr/bin/env python3
"""Exit 0 when this Python has exactly the versions requirements-dev.txt pins (and moto's server extra
imports); otherwise print what differs and exit 1. Used by tools/python-env.sh."""
import importlib.metadata as md
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9_.-]+)(\[[^\]]*\])?==(\S+)$")


def pins():
    for line in (ROOT / "requirements-dev.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            m = PIN.match(line)
            if not m:
                sys.exit(f"requirements-dev.txt: not an exact pin: {line!r}")
            yield m.group(1), m.group(3)


def main():
    problems = []
    for name, wanted in pins():
        try:
            have = md.version(name)
        except md.PackageNotFoundError:
            have = None
        if have != wanted:
            problems.append(f"{name}: need {wanted}, have {have or 'none'}")
    if not problems:
        try:
            import moto.server  # noqa: F401  (the [server] extra: flask and friends)
        except ImportError as e:
            problems.append(f"moto[server]: {e}")
    for p in problems:
        print(f"{sys.executable}: {p}", file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
