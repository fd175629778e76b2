"""The container and compose files run the same processes, with the same settings, as the Procfile and .env.example."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
PROCFILE = dict(line.split(": ", 1) for line in (ROOT / "Procfile").read_text().splitlines())
SETTINGS = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
DOCKERFILE = (ROOT / "Dockerfile").read_text()


def instructions(name: str) -> list[str]:
    return re.findall(rf"^{name}\s+(.+)$", DOCKERFILE, re.M)


def test_the_image_is_slim_runs_unprivileged_and_starts_the_web_process() -> None:
    assert instructions("FROM") == ["python:3.11-slim"]
    assert instructions("USER") == ["bot"] and "useradd" in DOCKERFILE
    assert " ".join(json.loads(instructions("CMD")[0])) == PROCFILE["web"]
    healthcheck = DOCKERFILE.split("\nHEALTHCHECK", 1)[1].split("\nCMD ", 1)[0]
    assert "/healthz" in healthcheck


def test_the_image_copies_every_package_the_project_installs() -> None:
    packages = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]["include"]
    copied = {line.split()[0] for line in instructions("COPY")}
    assert {name.rstrip("*") for name in packages} <= copied


def test_compose_runs_the_procfile_processes_on_its_own_postgresql() -> None:
    services = COMPOSE["services"]
    assert " ".join(services["web"]["command"]) == PROCFILE["web"]
    assert " ".join(services["worker"]["command"]) == PROCFILE["worker"]
    assert services["db"]["image"].startswith("postgres:") and "pg_isready" in " ".join(
        services["db"]["healthcheck"]["test"]
    )
    for name in ("web", "worker"):
        assert services[name]["depends_on"]["db"]["condition"] == "service_healthy"
        assert services[name]["environment"]["DATABASE_URL"].startswith("postgresql://")
        assert services[name]["environment"]["DATABASE_URL"].endswith(
            "@db:5432/" + services["db"]["environment"]["POSTGRES_DB"]
        )
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    assert set(COMPOSE["volumes"]) == {"db-data"}


def test_compose_sets_only_settings_that_env_example_documents() -> None:
    for name in ("web", "worker"):
        assert set(COMPOSE["services"][name]["environment"]) <= SETTINGS, name
        assert COMPOSE["services"][name]["env_file"] == [{"path": ".env", "required": False}]
