from __future__ import annotations

from collections.abc import Iterator

import pytest

import sunco

from emulator_control import APP_ID, KEY_ID, KEY_SECRET, Emulator


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    """One emulator for the whole suite, started from $SUNCO_EMULATOR."""
    emu = Emulator()
    yield emu
    emu.stop()


@pytest.fixture
def emu(emulator: Emulator) -> Emulator:
    """The emulator, reset to its seed (no conversations, empty log, no faults)."""
    emulator.reset()
    return emulator


@pytest.fixture
def client(emu: Emulator) -> Iterator[sunco.Client]:
    with sunco.Client(base_url=emu.url, key_id=KEY_ID, key_secret=KEY_SECRET, max_retries=0) as c:
        yield c


@pytest.fixture
def convs(client: sunco.Client) -> sunco.Conversations:
    return client.conversations(APP_ID)


@pytest.fixture
def aclient(emu: Emulator) -> Iterator[sunco.AsyncClient]:
    c = sunco.AsyncClient(base_url=emu.url, key_id=KEY_ID, key_secret=KEY_SECRET, max_retries=0)
    yield c
    c.close()


@pytest.fixture
def aconvs(aclient: sunco.AsyncClient) -> sunco.AsyncConversations:
    return aclient.conversations(APP_ID)
