"""The batches' shared machinery: the garbage collector held off while a batch runs."""

import gc
from collections.abc import Iterator

import pytest

from core.batches import collector_paused


@pytest.fixture(autouse=True)
def _collector_on() -> Iterator[None]:
    gc.enable()
    yield
    gc.enable()


def test_the_collector_runs_again_after_a_batch_even_a_refused_one() -> None:
    with pytest.raises(ValueError), collector_paused():
        assert not gc.isenabled()
        raise ValueError
    assert gc.isenabled()


def test_a_batch_leaves_a_collector_turned_off_elsewhere_off() -> None:
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()
