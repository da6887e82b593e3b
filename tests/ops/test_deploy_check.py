"""Django's deployment checks pass with the production settings docs/deployment.md lists."""

from __future__ import annotations

import secrets
import subprocess
import sys
from pathlib import Path

from tests.support.server import wire_env

PRODUCTION = {
    "WIREROOM_ALLOWED_HOSTS": "news.wire.example",
    "WIREROOM_BASE_URL": "https://news.wire.example",
    "WIREROOM_BEHIND_PROXY": "1",
    "WIREROOM_HSTS_PRELOAD": "1",
}


def deploy_check(tmp_path: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wireroom", "check", "--deploy", "--fail-level", "WARNING"],
                          env=wire_env(tmp_path, **settings), capture_output=True, text=True, timeout=120)


def test_the_deployment_checks_pass_without_a_warning_with_the_production_settings(tmp_path: Path) -> None:
    (tmp_path / "secret_key").write_text(secrets.token_urlsafe(50) + "\n")
    result = deploy_check(tmp_path, WIREROOM_SECRET_KEY_FILE=str(tmp_path / "secret_key"), **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_the_deployment_checks_name_what_a_plain_http_setup_lacks(tmp_path: Path) -> None:
    result = deploy_check(tmp_path, WIREROOM_DEBUG="1")
    assert result.returncode == 1
    for check in ("security.W004", "security.W008", "security.W012", "security.W016", "security.W018"):
        assert check in result.stderr
