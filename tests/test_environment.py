"""environment.yml lists exactly the packages and lower bounds of pyproject.toml."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _requirements(lines: list[str]) -> dict[str, str]:
    out = {}
    for line in lines:
        m = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*(>=\s*[\w.]+)?\s*", line)
        if m:
            out[m.group(1).lower()] = (m.group(2) or "").replace(" ", "")
    return out


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = _requirements(project["dependencies"] + project["optional-dependencies"]["dev"])
    deps = (ROOT / "environment.yml").read_text().split("dependencies:", 1)[1]
    listed = [m.group(1) for m in re.finditer(r"^\s+- ([^:\n]+)$", deps, re.M)]
    conda = {k: v for k, v in _requirements(listed).items() if k not in ("python", "pip")}
    assert conda == wanted


def test_python_floor_is_the_same():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == ">=3.11"
    assert "python>=3.11" in (ROOT / "environment.yml").read_text()


def test_docs_tables_are_generated_from_the_contract():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_docs.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, "docs/*.md is stale: run scripts/build_docs.py"
