"""The renderers pause the cyclic collector and give it back as they found it."""

from __future__ import annotations

import gc

import pytest

from extractor.gcpause import gc_paused


@pytest.mark.parametrize("enabled", [True, False])
def test_pauses_and_restores(enabled: bool) -> None:
    (gc.enable if enabled else gc.disable)()
    try:
        with gc_paused():
            assert not gc.isenabled()
            with gc_paused():
                assert not gc.isenabled()
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
    finally:
        gc.enable()


def test_restores_after_an_error_as_a_decorator() -> None:
    @gc_paused()
    def fail() -> None:
        assert not gc.isenabled()
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        fail()
    assert gc.isenabled()
