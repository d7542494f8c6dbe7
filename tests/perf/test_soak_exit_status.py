"""``bench/soak.py``'s exit status, which CI (``.ci/run``) fails on.

The soak itself is heavy (``make soak``); here its stages are replaced so only
the verdict's way to the exit status runs: 0 passed, 1 the application failed a
check, 2 the harness could not run (or repair a fault).
"""

import importlib
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture
def soak(monkeypatch, tmp_path):
    monkeypatch.syspath_prepend(str(BENCH))
    module = importlib.import_module("soak")
    monkeypatch.setattr(module.tempfile, "mkdtemp", lambda prefix: str(tmp_path))
    # Its teardown ignores Ctrl-C: not in the test process.
    monkeypatch.setattr(
        module,
        "signal",
        types.SimpleNamespace(
            signal=lambda *args: None, SIGINT=2, SIGTERM=15, SIG_IGN=None
        ),
    )
    monkeypatch.setattr(module.Soak, "start_stack", lambda self: None)
    monkeypatch.setattr(module.Soak, "reconcile", lambda self: None)
    return module


def run(soak, monkeypatch, problems=(), fault_error=""):
    def run_traffic(self):
        fault = importlib.import_module("soak_faults").Fault(
            "smtp-down", 1, 1, None, None, 1.0, 2.0
        )
        fault.error = fault_error
        self.faults = [fault]

    monkeypatch.setattr(soak.Soak, "run_traffic", run_traffic)
    monkeypatch.setattr(soak.Soak, "report", lambda self, ledger: list(problems))
    return soak.main()


def test_a_clean_run_exits_0(soak, monkeypatch):
    assert run(soak, monkeypatch) == 0


def test_a_failed_check_exits_1(soak, monkeypatch):
    assert run(soak, monkeypatch, problems=["1 e-mail sent twice"]) == 1


def test_a_fault_it_could_not_repair_exits_2(soak, monkeypatch):
    assert run(soak, monkeypatch, fault_error="pg_ctl failed") == 2


def test_a_harness_error_exits_2(soak, monkeypatch):
    def broken(self):
        raise RuntimeError("initdb failed")

    monkeypatch.setattr(soak.Soak, "start_stack", broken)
    assert soak.main() == 2


def test_too_short_a_run_is_refused_with_a_non_zero_status():
    env = {**os.environ, "SOAK_SECONDS": "10"}
    done = subprocess.run(
        [sys.executable, str(BENCH / "soak.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "SOAK_SECONDS must be at least 30" in done.stderr
