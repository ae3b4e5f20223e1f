"""The logfail fixture itself: what it keeps, what a test may declare."""

from __future__ import annotations

import logging
import threading

import pytest

from tests.helpers.logfail import LogFailHandler

log = logging.getLogger("app.core.logfail_probe")


def test_an_undeclared_warning_is_kept_for_the_test_to_fail(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a handler of its own on a logger that does not reach the root (nor this test's logfail)
    probe = logging.getLogger("app.core.logfail_probe.isolated")
    monkeypatch.setattr(probe, "propagate", False)
    handler = LogFailHandler([])
    probe.addHandler(handler)
    try:
        probe.info("routine")
        probe.warning("a thing went %s", "sideways")
        worker = threading.Thread(target=lambda: probe.error("from a worker"))
        worker.start()
        worker.join()
    finally:
        probe.removeHandler(handler)
    assert [r.getMessage() for r in handler.unexpected] == [
        "a thing went sideways",
        "from a worker",
    ]
    assert "WARNING app.core.logfail_probe.isolated: a thing went sideways" in handler.report()


@pytest.mark.expect_log(r"disk is \w+", logger="app.core")
def test_a_declared_warning_passes(logfail: LogFailHandler) -> None:
    log.warning("disk is full")
    assert logfail.unexpected == []


@pytest.mark.expect_log("disk", logger="app.gui")
def test_a_declaration_covers_only_its_logger(logfail: LogFailHandler) -> None:
    log.warning("disk is full")
    assert [r.getMessage() for r in logfail.unexpected] == ["disk is full"]
    logfail.unexpected.clear()  # seen here; the fixture need not fail the test


@pytest.mark.expect_log("late", level="ERROR")
def test_a_declaration_covers_only_its_level_and_up(logfail: LogFailHandler) -> None:
    log.error("late")
    log.warning("late")
    assert [r.levelname for r in logfail.unexpected] == ["WARNING"]
    logfail.unexpected.clear()


def test_capturing_at_the_level_declares_it(
    logfail: LogFailHandler, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        log.warning("looked at by the test")
    assert [r.getMessage() for r in caplog.records] == ["looked at by the test"]
    log.warning("after the block")
    assert [r.getMessage() for r in logfail.unexpected] == ["after the block"]
    logfail.unexpected.clear()
