"""The package's build backend: setuptools, with one step before it. The README is written for the
repository, where its links and pictures are relative; the package index shows it away from the
repository, so the copy the package carries (`.README-index.md`, made here on every build) has
them absolute, under the Repository address of pyproject.toml's [project.urls]."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import tomllib
from setuptools import build_meta as _setuptools

ROOT = Path(__file__).resolve().parents[1]
INDEX_README = ".README-index.md"
# A Markdown link or picture: [text](target) or ![text](target), the target without spaces.
_LINK = re.compile(r"(!?)\[([^\]\n]*)\]\(([^)\s]+)\)")


def absolute_readme(text: str, repository: str) -> str:
    """README text with every relative link made absolute: files under /blob/main/, pictures
    under /raw/main/, and #anchors on the repository's page."""

    def absolute(match: re.Match[str]) -> str:
        picture, words, target = match.groups()
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):
            return match.group(0)
        if target.startswith("#"):
            url = f"{repository}{target}"
        else:
            url = f"{repository}/{'raw' if picture else 'blob'}/main/{target.lstrip('./')}"
        return f"{picture}[{words}]({url})"

    return _LINK.sub(absolute, text)


def _write_index_readme() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    repository = project["urls"]["Repository"].rstrip("/")
    text = absolute_readme((ROOT / "README.md").read_text(encoding="utf-8"), repository)
    (ROOT / INDEX_README).write_text(text, encoding="utf-8")


def get_requires_for_build_wheel(config_settings: Any = None) -> list[str]:
    _write_index_readme()
    return _setuptools.get_requires_for_build_wheel(config_settings)


def get_requires_for_build_sdist(config_settings: Any = None) -> list[str]:
    _write_index_readme()
    return _setuptools.get_requires_for_build_sdist(config_settings)


def prepare_metadata_for_build_wheel(metadata_directory: str, config_settings: Any = None) -> str:
    _write_index_readme()
    return _setuptools.prepare_metadata_for_build_wheel(metadata_directory, config_settings)


def build_wheel(wheel_directory: str, config_settings: Any = None, metadata_directory: str | None = None) -> str:
    _write_index_readme()
    return _setuptools.build_wheel(wheel_directory, config_settings, metadata_directory)


def build_sdist(sdist_directory: str, config_settings: Any = None) -> str:
    _write_index_readme()
    return _setuptools.build_sdist(sdist_directory, config_settings)


def build_editable(wheel_directory: str, config_settings: Any = None, metadata_directory: str | None = None) -> str:
    _write_index_readme()
    return _setuptools.build_editable(wheel_directory, config_settings, metadata_directory)


def get_requires_for_build_editable(config_settings: Any = None) -> list[str]:
    _write_index_readme()
    return _setuptools.get_requires_for_build_editable(config_settings)


def prepare_metadata_for_build_editable(metadata_directory: str, config_settings: Any = None) -> str:
    _write_index_readme()
    return _setuptools.prepare_metadata_for_build_editable(metadata_directory, config_settings)
