"""Settings come from WIREROOM_* variables only, parsed strictly and all documented."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import ROOT
from wireroom import conf


def test_every_setting_is_documented_in_the_configuration_reference() -> None:
    documented = set(re.findall(r"`(WIREROOM_[A-Z0-9_]+)`", (ROOT / "docs/configuration.md").read_text()))
    declared = {setting.name for setting in conf.SETTINGS} | {
        f"{setting.name}_FILE" for setting in conf.SETTINGS if setting.secret}
    assert declared - documented == set(), "undocumented settings"
    assert documented - declared == set(), "documented settings that do not exist"


def test_every_variable_the_code_mentions_is_a_declared_setting() -> None:
    mentioned: set[str] = set()
    for path in [*ROOT.joinpath("wireroom").rglob("*.py"), ROOT / "Makefile", *ROOT.joinpath("scripts").iterdir()]:
        mentioned |= set(re.findall(r"\bWIREROOM_[A-Z0-9_]+\b", path.read_text()))
    assert mentioned <= {setting.name for setting in conf.SETTINGS}


@pytest.mark.parametrize(("name", "value"), [
    ("WIREROOM_PORT", "eighty"),
    ("WIREROOM_PORT", "70000"),
    ("WIREROOM_DEBUG", "maybe"),
    ("WIREROOM_DATABASE_URL", "mysql://localhost/wire"),
    ("WIREROOM_BASE_URL", "newsroom.example"),
    ("WIREROOM_WORKER_POLL_SECONDS", "-1"),
    ("WIREROOM_MAX_BODY_BYTES", "lots"),
    ("WIREROOM_LOG_LEVEL", "chatty"),
])
def test_a_bad_value_is_refused_naming_the_variable(name: str, value: str) -> None:
    with pytest.raises(conf.SettingError, match=name):
        conf.load({name: value})


def test_an_unknown_wireroom_variable_is_refused() -> None:
    with pytest.raises(conf.SettingError, match="WIREROOM_WIRENAME"):
        conf.load({"WIREROOM_WIRENAME": "Typo Wire"})


def test_defaults_apply_when_nothing_is_set() -> None:
    values = conf.load({})
    assert values["WIREROOM_WIRE_NAME"] == "Wireroom"
    assert values["WIREROOM_PORT"] == 8000
    assert values["WIREROOM_DATABASE_URL"] == ""


def test_the_command_stops_at_start_up_with_a_message_naming_the_variable(tmp_path: Path) -> None:
    env = {**os.environ, "WIREROOM_PORT": "not-a-port", "WIREROOM_DATA_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "wireroom", "check"], env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2
    assert "WIREROOM_PORT" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_wireroom_command_lists_the_projects_own_commands() -> None:
    result = subprocess.run([sys.executable, "-m", "wireroom", "help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    for command in ("demo", "worker", "serve", "migrate"):
        assert command in result.stdout


def test_processes_starting_together_agree_on_one_generated_secret_key(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("WIREROOM_")}
    env["WIREROOM_DATA_DIR"] = str(tmp_path)
    probe = "from django.conf import settings; print(settings.SECRET_KEY)"
    starts = [subprocess.Popen([sys.executable, "-c", f"import django, os; os.environ.setdefault("
                                f"'DJANGO_SETTINGS_MODULE', 'wireroom.settings'); django.setup(); {probe}"],
                               env=env, stdout=subprocess.PIPE, text=True) for _ in range(6)]
    keys = {start.communicate(timeout=60)[0].strip() for start in starts}
    assert len(keys) == 1
    assert len(keys.pop()) >= 50
    assert (tmp_path / "secret_key").read_text().strip()


SECRETS = {"WIREROOM_SECRET_KEY", "WIREROOM_DATABASE_URL", "WIREROOM_SMTP_URL", "WIREROOM_EMAIL_EVENTS_TOKEN",
           "WIREROOM_STREAM_GRIP_KEY", "WIREROOM_TRANSLATION_LIBRETRANSLATE_API_KEY",
           "WIREROOM_TRANSLATION_DEEPL_AUTH_KEY"}


def test_the_secret_settings_are_the_ones_that_can_come_from_files() -> None:
    assert {setting.name for setting in conf.SETTINGS if setting.secret} == SECRETS


@pytest.mark.parametrize("name", sorted(SECRETS))
def test_a_secret_is_read_from_the_file_its_file_variable_names_without_the_trailing_newline(
        name: str, tmp_path: Path) -> None:
    value = {"WIREROOM_DATABASE_URL": "postgresql://wire:s3cr%40t@db.internal:5432/wire",
             "WIREROOM_SMTP_URL": "smtp://wire:s3cret@relay.internal:587"}.get(name, "a secret with spaces & $igns")
    (tmp_path / "credential").write_text(value + "\n")
    assert conf.load({f"{name}_FILE": str(tmp_path / "credential")})[name] == value


def test_a_secret_set_both_directly_and_from_a_file_is_refused_naming_both(tmp_path: Path) -> None:
    (tmp_path / "key").write_text("from the file")
    with pytest.raises(conf.SettingError, match="WIREROOM_SECRET_KEY and WIREROOM_SECRET_KEY_FILE are both set"):
        conf.load({"WIREROOM_SECRET_KEY": "from the environment", "WIREROOM_SECRET_KEY_FILE": str(tmp_path / "key")})


def test_a_secret_file_that_cannot_be_read_is_refused_naming_the_variable(tmp_path: Path) -> None:
    with pytest.raises(conf.SettingError, match=r"WIREROOM_SMTP_URL_FILE=.*cannot be read"):
        conf.load({"WIREROOM_SMTP_URL_FILE": str(tmp_path / "missing")})


def test_a_secret_from_a_file_is_parsed_like_the_variable(tmp_path: Path) -> None:
    (tmp_path / "url").write_text("mysql://localhost/wire")
    with pytest.raises(conf.SettingError, match="WIREROOM_DATABASE_URL"):
        conf.load({"WIREROOM_DATABASE_URL_FILE": str(tmp_path / "url")})


def test_only_secrets_have_file_variables() -> None:
    with pytest.raises(conf.SettingError, match="WIREROOM_PORT_FILE is not a Wireroom setting"):
        conf.load({"WIREROOM_PORT_FILE": "/dev/null"})


def test_the_wire_starts_with_its_secret_key_from_a_file(tmp_path: Path) -> None:
    (tmp_path / "key").write_text("k" * 60 + "\n")
    env = {key: value for key, value in os.environ.items() if not key.startswith("WIREROOM_")}
    env |= {"WIREROOM_DATA_DIR": str(tmp_path), "WIREROOM_SECRET_KEY_FILE": str(tmp_path / "key")}
    probe = "from django.conf import settings; print(settings.SECRET_KEY)"
    result = subprocess.run([sys.executable, "-c", f"import django, os; os.environ.setdefault("
                             f"'DJANGO_SETTINGS_MODULE', 'wireroom.settings'); django.setup(); {probe}"],
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "k" * 60
    assert not (tmp_path / "secret_key").exists(), "no key generated when one is given"
