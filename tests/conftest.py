from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("WIREROOM_DATA_DIR", tempfile.mkdtemp(prefix="wireroom-test-"))

import pytest

from tests.support.api import ApiClient
from tests.support.factories import member, release_input
from tests.support.sftp import SftpServer, sftp_server_in_thread
from wireroom.accounts.models import Membership, Organization, OrganizationKind, Role
from wireroom.accounts.services import api_key_issue
from wireroom.lib import ssh
from wireroom.releases import services
from wireroom.releases.models import Release


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    # A database of its own for every run, so runs against a shared PostgreSQL never meet.
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql"):
        db["TEST"]["NAME"] = f"test_wireroom_{os.getpid()}"


@pytest.fixture(autouse=True)
def _taxonomy_for_transactional_tests(request: pytest.FixtureRequest) -> None:
    # A transactional test empties every table when it ends, the migrated taxonomy included; the next one
    # reloads it. (serialized_rollback would too, but it clashes with the content types the flush recreates.)
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps

    from wireroom.taxonomy.loader import sync_taxonomy

    sync_taxonomy(apps)


@pytest.fixture(scope="session", autouse=True)
def _close_connections_of_async_threads(django_db_setup: None) -> Iterator[None]:
    # Channels reach the database from asgiref's worker thread; its connection would outlive the run and keep
    # PostgreSQL from dropping the test database.
    yield
    import asyncio

    from asgiref.sync import sync_to_async
    from django.db import connections

    asyncio.run(sync_to_async(connections.close_all)())


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def wire_org(db: Any) -> Organization:
    return Organization.objects.create(name="Wireroom", slug="wire", kind=OrganizationKind.WIRE)


@pytest.fixture
def issuer_org(db: Any) -> Organization:
    return Organization.objects.create(name="Nahr Energy", slug="nahr-energy", kind=OrganizationKind.ISSUER)


@pytest.fixture
def other_org(db: Any) -> Organization:
    return Organization.objects.create(name="Lotus Fintech", slug="lotus-fintech", kind=OrganizationKind.ISSUER)


@pytest.fixture
def actors(wire_org: Organization, issuer_org: Organization, other_org: Organization) -> dict[str, Membership]:
    return {
        "issuer_member": member(issuer_org, "member", Role.ISSUER_MEMBER),
        "issuer_admin": member(issuer_org, "issueradmin", Role.ISSUER_ADMIN),
        "wire_editor": member(wire_org, "editor", Role.WIRE_EDITOR),
        "wire_admin": member(wire_org, "wireadmin", Role.WIRE_ADMIN),
        "other_issuer_admin": member(other_org, "otheradmin", Role.ISSUER_ADMIN),
    }


@pytest.fixture
def make_release(actors: dict[str, Membership]) -> Callable[..., Release]:
    """A release driven to `state` through the real services."""

    def make(state: str = "draft", **overrides: Any) -> Release:
        author = actors["issuer_admin"]
        editor = actors["wire_editor"]
        release = services.release_create(by=author, data=release_input(**overrides)).release
        steps: list[tuple[str, Callable[[], Any]]] = [
            ("submitted", lambda: services.release_submit(release=release, by=author)),
            ("in_review", lambda: services.release_start_review(release=release, by=editor)),
            ("approved", lambda: services.release_approve(release=release, by=editor)),
        ]
        order = ["draft", "submitted", "in_review", "approved"]
        if state == "changes_requested":
            steps[0][1]()
            services.release_request_changes(release=release, by=editor, note="Please add a contact.")
        else:
            target = order.index(state) if state in order else len(order) - 1
            for _name, step in steps[:target]:
                step()
        if state == "scheduled":
            import datetime as dt

            from django.utils import timezone

            services.release_publish(release=release, by=author,
                                     embargo_at=timezone.now() + dt.timedelta(hours=1))
        elif state in ("published", "corrected", "withdrawn"):
            services.release_publish(release=release, by=author)
            if state == "corrected":
                services.release_correct(release=release, by=editor, note="Fixed the plant's capacity.")
            if state == "withdrawn":
                services.release_withdraw(release=release, by=editor, reason="Issued in error.")
        release.refresh_from_db()
        assert release.state == state
        return release

    return make


@pytest.fixture
def api_key_for(actors: dict[str, Membership]) -> Callable[[str], str]:
    def issue(role: str) -> str:
        return api_key_issue(membership=actors[role], name=f"{role} key").secret

    return issue


@pytest.fixture
def api(api_key_for: Callable[[str], str]) -> Callable[[str | None], ApiClient]:
    def make(role: str | None) -> ApiClient:
        return ApiClient(api_key_for(role) if role else None)

    return make


@pytest.fixture
def drop(tmp_path: Path) -> Iterator[SftpServer]:
    """A real SFTP server on loopback whose one user accepts the wire's key, writing into `tmp_path/drop`."""
    root = tmp_path / "drop"
    root.mkdir()
    with sftp_server_in_thread(root, authorized_key=ssh.wire_public_key()) as server:
        yield server
