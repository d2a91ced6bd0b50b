"""Production settings pass Django's deployment checks."""

import os
import subprocess
import sys


def _hrnet(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and command
        [sys.executable, "-m", "hrnet.cli", *args],
        env={k: v for k, v in {**os.environ, **env}.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_reports_no_issues_with_production_settings(tmp_path):
    result = _hrnet(
        "check",
        "--deploy",
        env={
            "DEBUG": "false",
            "SECRET_KEY": "x7!qv1-this-is-a-long-random-production-secret-key-9f3k2m8z4w",
            "ALLOWED_HOSTS": "hrnet.example.org",
            "HRNET_VAR_DIR": str(tmp_path),
            "HRNET_RIGHTS_KEYS": "hZuNqH6n8w4m8d8Zq0vGm2Zb3k1b0yF7lY3c5s9aQ2E=",
        },
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {"DEBUG": "false", "SECRET_KEY": "", "HRNET_VAR_DIR": str(tmp_path)}

    result = _hrnet("check", env=env)

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
