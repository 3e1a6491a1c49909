"""Threads sharing a client, the GIL, Ctrl-C, fork, and many concurrent asyncio calls."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from types import FrameType

import pytest

import sunco

from emulator_control import Emulator


@pytest.fixture
def conv(convs: sunco.Conversations) -> sunco.Conversation:
    return convs.create(
        type="sdkGroup", participants=[{"user_external_id": "alice"}], display_name="Shared"
    )


def test_threads_share_one_client(
    emu: Emulator, convs: sunco.Conversations, conv: sunco.Conversation
) -> None:
    def work(_: int) -> list[sunco.Conversation]:
        return [convs.get(conv.id) for _ in range(100)]

    with ThreadPoolExecutor(max_workers=16) as pool:
        results = [c for batch in pool.map(work, range(16)) for c in batch]
    assert len(results) == 1600
    assert all(c == conv for c in results)


def test_blocking_calls_release_the_gil(
    emu: Emulator, convs: sunco.Conversations, conv: sunco.Conversation
) -> None:
    # One thread waits on a call the server holds for 5 s; meanwhile this thread runs Python
    # and completes a call of its own. Holding the GIL while waiting would make that
    # impossible: the slow call would be finished by the time the fast one returned.
    other = convs.create(type="sdkGroup", participants=[{"user_external_id": "bob"}])
    emu.fault({"type": "delay", "ms": 5000}, method="GET", path=f"/v2/**/{conv.id}")
    with ThreadPoolExecutor(max_workers=1) as pool:
        slow = pool.submit(convs.get, conv.id)
        while not any(r["path"].endswith(conv.id) for r in emu.requests()):
            pass  # until the slow request has reached the server
        assert convs.get(other.id) == other
        assert not slow.done(), "the blocking call kept the GIL while it waited"
        assert slow.result() == conv


class Interrupted(Exception):
    pass


@pytest.fixture
def alarm() -> Iterator[None]:
    def on_alarm(signum: int, frame: FrameType | None) -> None:
        raise Interrupted

    previous = signal.signal(signal.SIGALRM, on_alarm)
    yield
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)


def test_a_signal_interrupts_a_blocking_call(
    emu: Emulator, alarm: None, convs: sunco.Conversations, conv: sunco.Conversation
) -> None:
    assert threading.current_thread() is threading.main_thread()
    emu.fault({"type": "delay", "ms": 5000}, method="GET")
    start = time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, 0.3)  # like Ctrl-C, 0.3 s into the call
    with pytest.raises(Interrupted):
        convs.get(conv.id)
    # Interrupted well before the server's 5 s answer: the signal did not wait for the call.
    assert time.monotonic() - start < 5.0
    emu.control("DELETE", "/_emulator/faults")
    assert convs.get(conv.id) == conv


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
# Python 3.12+ warns that forking a process with threads (here: the runtime's) may deadlock.
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_a_forked_child_can_use_the_client(
    convs: sunco.Conversations, conv: sunco.Conversation
) -> None:
    assert convs.get(conv.id) == conv  # the parent's runtime and pool are in use
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            code = 0 if convs.get(conv.id) == conv else 2
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    assert convs.get(conv.id) == conv


def test_200_concurrent_awaits(aconvs: sunco.AsyncConversations) -> None:
    async def run() -> None:
        conv = await aconvs.create(type="sdkGroup", participants=[{"user_external_id": "bob"}])
        got = await asyncio.gather(*(aconvs.get(conv.id) for _ in range(200)))
        assert len(got) == 200 and all(c == conv for c in got)

    asyncio.run(run())


def test_no_completion_is_lost_in_bursts(aconvs: sunco.AsyncConversations) -> None:
    # Completions reach the loop through a wake-up pipe; a lost wake-up strands every later
    # await, which shows here as a round that never finishes.
    async def main() -> int:
        conv = await aconvs.create(type="sdkGroup", participants=[{"user_external_id": "bob"}])
        done = 0
        for burst in (1, 2, 3, 5, 8, 64, 300) * 4:
            got = await asyncio.wait_for(
                asyncio.gather(*(aconvs.get(conv.id) for _ in range(burst))), timeout=30
            )
            assert {c.id for c in got} == {conv.id}
            done += len(got)
        return done

    assert asyncio.run(main()) == 4 * (1 + 2 + 3 + 5 + 8 + 64 + 300)


def test_awaits_do_not_block_the_event_loop(
    emu: Emulator, aconvs: sunco.AsyncConversations
) -> None:
    # While one await waits on a call the server holds for 5 s, the loop keeps running other
    # coroutines, which complete calls of their own.
    async def run() -> None:
        conv = await aconvs.create(type="sdkGroup", participants=[{"user_external_id": "bob"}])
        other = await aconvs.create(type="sdkGroup", participants=[{"user_external_id": "bob"}])
        emu.fault({"type": "delay", "ms": 5000}, method="GET", path=f"/v2/**/{conv.id}")
        slow = asyncio.create_task(aconvs.get(conv.id))
        while not any(r["path"].endswith(conv.id) for r in emu.requests()):
            await asyncio.sleep(0)  # until the slow request has reached the server
        got = await asyncio.gather(*(aconvs.get(other.id) for _ in range(4)))
        assert got == [other] * 4
        assert not slow.done(), "the loop was blocked while the slow call waited"
        assert await slow == conv

    asyncio.run(run())


def test_cancelling_an_await(emu: Emulator, aconvs: sunco.AsyncConversations) -> None:
    async def run() -> None:
        conv = await aconvs.create(type="sdkGroup", participants=[{"user_external_id": "bob"}])
        emu.fault({"type": "delay", "ms": 5000}, method="GET")
        start = time.monotonic()
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(aconvs.get(conv.id), 0.2)
        # Cancelled long before the server's 5 s answer.
        assert time.monotonic() - start < 5.0
        # The client still works (a new connection; the cancelled one was dropped).
        assert await aconvs.get(conv.id) == conv
        task = asyncio.ensure_future(aconvs.list(user_external_id="bob"))
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert len(await aconvs.list(user_external_id="bob")) == 1

    asyncio.run(run())


def test_sync_and_async_clients_in_threads_and_loops(
    emu: Emulator, conv: sunco.Conversation
) -> None:
    client = sunco.AsyncClient(base_url=emu.url, key_id="demo-key", key_secret="demo-secret")
    convs = client.conversations("demo-app")

    def in_own_loop(_: int) -> int:
        async def run() -> int:
            got = await asyncio.gather(*(convs.get(conv.id) for _ in range(20)))
            return sum(c == conv for c in got)

        return asyncio.run(run())

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert sum(pool.map(in_own_loop, range(4))) == 80
    client.close()
