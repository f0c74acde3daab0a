"""stubtags under threads: one process-wide mock answers every thread, and each call is
atomic, so concurrent read-modify-write of tags loses nothing and the 50-tag limit
cannot be overrun by a race between the check and the write.

Clients made in a thread come from their own boto3 Session (`sm_client(own_session=True)`):
boto3 sessions, unlike clients, are not thread-safe.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from botocore.exceptions import ClientError

from stubtags import Backend, NotActiveError, active_backend, mock_tags
from tests.helpers import sm_client, tag_dict

REGION = "us-west-2"
THREADS = 16
# Enough calls that the threads' calls interleave thousands of times, at a few seconds' cost.
CALLS_PER_THREAD = 250
SHARED_KEYS_PER_THREAD = 3  # 16 x 3 = 48 keys on the shared secret: below the limit


def run_threads(count: int, target: Callable[[int], None]) -> list[BaseException]:
    """Start `count` threads on a barrier and return what they raised."""
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []
    lock = threading.Lock()

    def body(index: int) -> None:
        try:
            barrier.wait()
            target(index)
        except BaseException as error:  # collected and asserted on by the caller
            with lock:
                errors.append(error)

    threads = [threading.Thread(target=body, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.thorough  # the slowest thread test (4 s): left to CI's thorough run
def test_mixed_calls_from_many_threads_lose_no_update() -> None:
    """Every thread owns one secret and three keys of a shared one, and keeps a model of
    both; any lost or torn update shows up as a mismatch, mid-run or at the end."""
    with mock_tags() as backend:
        shared_client = sm_client(REGION, own_session=True)
        shared_client.create_secret(Name="shared", Tags=[{"Key": "base", "Value": "0"}])
        for index in range(THREADS):
            shared_client.create_secret(Name=f"own-{index:02d}")
        # Even threads share one client, odd threads have their own.
        clients = [
            shared_client if i % 2 == 0 else sm_client(REGION, own_session=True)
            for i in range(THREADS)
        ]
        own_models: list[dict[str, str]] = [{} for _ in range(THREADS)]
        shared_models: list[dict[str, str]] = [{} for _ in range(THREADS)]

        def work(index: int) -> None:
            client = clients[index]
            rng = random.Random(index)
            own_name = f"own-{index:02d}"
            own = own_models[index]
            mine = shared_models[index]
            prefix = f"t{index:02d}-"
            for step in range(CALLS_PER_THREAD):
                action = rng.random()
                if action < 0.35:
                    numbers = rng.sample(range(12), rng.randint(1, 3))
                    tags = [{"Key": f"k{n}", "Value": f"{step}"} for n in numbers]
                    client.tag_resource(SecretId=own_name, Tags=tags)
                    own.update(tag_dict(tags))
                elif action < 0.5:
                    keys = [f"k{k}" for k in rng.sample(range(12), rng.randint(1, 3))]
                    client.untag_resource(SecretId=own_name, TagKeys=keys)
                    for key in keys:
                        own.pop(key, None)
                elif action < 0.65:
                    key = f"{prefix}{rng.randrange(SHARED_KEYS_PER_THREAD)}"
                    client.tag_resource(SecretId="shared", Tags=[{"Key": key, "Value": f"{step}"}])
                    mine[key] = f"{step}"
                elif action < 0.75:
                    key = f"{prefix}{rng.randrange(SHARED_KEYS_PER_THREAD)}"
                    client.untag_resource(SecretId="shared", TagKeys=[key])
                    mine.pop(key, None)
                elif action < 0.88:
                    described = client.describe_secret(SecretId=own_name)
                    # Only this thread writes its secret: the order must be the model's.
                    assert list(tag_dict(described.get("Tags")).items()) == list(own.items())
                    shared = tag_dict(client.describe_secret(SecretId="shared")["Tags"])
                    assert shared["base"] == "0"
                    seen = {k: v for k, v in shared.items() if k.startswith(prefix)}
                    assert seen == mine
                    assert len(shared) <= 1 + THREADS * SHARED_KEYS_PER_THREAD
                else:
                    listed = client.list_secrets(
                        Filters=[{"Key": "name", "Values": [own_name]}], MaxResults=5
                    )
                    entries = listed["SecretList"]
                    assert [entry["Name"] for entry in entries] == [own_name]
                    assert tag_dict(entries[0].get("Tags")) == own

        errors = run_threads(THREADS, work)
        assert errors == []

        expected_shared = {"base": "0"}
        for model in shared_models:
            expected_shared.update(model)
        final_shared = tag_dict(shared_client.describe_secret(SecretId="shared")["Tags"])
        assert final_shared == expected_shared
        assert backend.tags("shared", region=REGION) == expected_shared
        for index in range(THREADS):
            name = f"own-{index:02d}"
            described = shared_client.describe_secret(SecretId=name)
            assert list(tag_dict(described.get("Tags")).items()) == list(own_models[index].items())
        everything = shared_client.list_secrets(MaxResults=100)["SecretList"]
        assert len(everything) == THREADS + 1


def test_race_to_the_tag_limit_admits_exactly_the_free_slots() -> None:
    """40 user tags (plus a system tag, which doesn't count): of 16 x 3 single new keys
    racing, exactly 10 get in, the rest are refused, and refused ones leave nothing."""
    with mock_tags() as backend:
        client = sm_client(REGION, own_session=True)
        client.create_secret(
            Name="crowded", Tags=[{"Key": f"pre-{i}", "Value": "x"} for i in range(40)]
        )
        backend.add_system_tag("crowded", "aws:cloudformation:stack-name", "stack", REGION)
        successes: list[str] = []
        refusals: list[str] = []
        lock = threading.Lock()

        def race(index: int) -> None:
            own = sm_client(REGION, own_session=True) if index % 2 else client
            for attempt in range(3):
                key = f"new-{index}-{attempt}"
                try:
                    own.tag_resource(SecretId="crowded", Tags=[{"Key": key, "Value": "y"}])
                except ClientError as error:
                    assert error.response["Error"]["Code"] == "InvalidParameterException"
                    with lock:
                        refusals.append(key)
                else:
                    with lock:
                        successes.append(key)

        assert run_threads(THREADS, race) == []
        assert len(successes) == 10
        assert len(refusals) == THREADS * 3 - 10
        tags = tag_dict(client.describe_secret(SecretId="crowded")["Tags"])
        user_keys = [key for key in tags if not key.lower().startswith("aws:")]
        assert len(user_keys) == 50
        assert set(user_keys) == {f"pre-{i}" for i in range(40)} | set(successes)
        assert tags["aws:cloudformation:stack-name"] == "stack"


def test_race_with_mixed_batch_sizes_never_exceeds_the_limit() -> None:
    """Batches of 1-4 new keys race with untags of pre-existing keys: whatever the
    interleaving, the secret never holds more than 50 user tags and holds exactly the
    keys of the calls that succeeded."""
    with mock_tags():
        client = sm_client(REGION, own_session=True)
        client.create_secret(
            Name="busy", Tags=[{"Key": f"pre-{i}", "Value": "x"} for i in range(45)]
        )
        added: list[str] = []
        removed: list[str] = []
        lock = threading.Lock()
        observed_max: list[int] = []

        def race(index: int) -> None:
            rng = random.Random(1000 + index)
            for attempt in range(20):
                if index % 4 == 0 and attempt % 5 == 0:
                    key = f"pre-{index // 4 * 5 + attempt // 5}"
                    client.untag_resource(SecretId="busy", TagKeys=[key])
                    with lock:
                        removed.append(key)
                    continue
                keys = [f"new-{index}-{attempt}-{n}" for n in range(rng.randint(1, 4))]
                try:
                    client.tag_resource(
                        SecretId="busy", Tags=[{"Key": key, "Value": "v"} for key in keys]
                    )
                except ClientError as error:
                    assert error.response["Error"]["Code"] == "InvalidParameterException"
                else:
                    with lock:
                        added.extend(keys)
                count = len(client.describe_secret(SecretId="busy")["Tags"])
                with lock:
                    observed_max.append(count)

        assert run_threads(THREADS, race) == []
        tags = tag_dict(client.describe_secret(SecretId="busy")["Tags"])
        expected = ({f"pre-{i}" for i in range(45)} - set(removed)) | set(added)
        assert set(tags) == expected
        assert len(tags) <= 50
        assert max(observed_max) <= 50
        assert added  # some batch fitted


def test_client_made_in_one_thread_works_in_others() -> None:
    with mock_tags() as backend:
        made: list[Any] = []
        maker = threading.Thread(target=lambda: made.append(sm_client(REGION, own_session=True)))
        maker.start()
        maker.join()
        (client,) = made

        client.create_secret(Name="cross-thread")

        def tag_from_thread(index: int) -> None:
            client.tag_resource(
                SecretId="cross-thread", Tags=[{"Key": f"from-{index}", "Value": str(index)}]
            )

        assert run_threads(4, tag_from_thread) == []
        tags = tag_dict(client.describe_secret(SecretId="cross-thread")["Tags"])
        assert tags == {f"from-{i}": str(i) for i in range(4)}
        assert backend.tags("cross-thread", region=REGION) == tags


def test_mock_started_in_main_thread_answers_a_thread_pool() -> None:
    mock = mock_tags()
    backend = mock.start()
    try:
        client = sm_client(REGION, own_session=True)
        client.create_secret(Name="pooled")

        local = threading.local()

        def job(index: int) -> Backend:
            own = getattr(local, "client", None)
            if own is None:  # one client per worker thread, made inside that thread
                own = local.client = sm_client(REGION, own_session=True)
            own.tag_resource(SecretId="pooled", Tags=[{"Key": f"job-{index}", "Value": "ok"}])
            client.tag_resource(SecretId="pooled", Tags=[{"Key": f"shared-{index}", "Value": "ok"}])
            return active_backend()

        with ThreadPoolExecutor(max_workers=8) as pool:
            seen = list(pool.map(job, range(24)))
        assert all(found is backend for found in seen)
        tags = backend.tags("pooled", region=REGION)
        assert tags == {
            **{f"job-{i}": "ok" for i in range(24)},
            **{f"shared-{i}": "ok" for i in range(24)},
        }
    finally:
        mock.stop()
    with pytest.raises(NotActiveError):
        active_backend()
