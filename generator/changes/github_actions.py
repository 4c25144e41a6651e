"""What a GitHub Actions step is given to read a pull request's reviews: its environment and the
event file of the pull request, every value checked before it is used. The API's address must
be a plain http(s) address and the token plain text, since the token goes with every request.
Only the standard library is used, so the step needs nothing beyond the generator itself.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .reviews import ReviewsError

DEFAULT_API_URL = "https://api.github.com"
MAX_EVENT_BYTES = 1_000_000

_SHA = re.compile(r"[0-9a-fA-F]{40}")
# GitHub's rules: an owner is 1-39 letters, digits or inner hyphens; a name up to 100 of [A-Za-z0-9._-].
_REPOSITORY = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}")
_TOKEN = re.compile(r"[\x21-\x7e]+")
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class PullRequest:
    """The pull request a workflow run is about; reviews live in the base repository."""

    repository: str
    number: int
    head_sha: str
    base_sha: str


def pull_request_from_event(path: Path) -> PullRequest:
    """The pull request a `pull_request` or `pull_request_review` event (GITHUB_EVENT_PATH) is about.

    Both events carry it under `pull_request` with the same fields. Its base repository is the one
    the pull request asks to merge into, where its reviews live; the head may be in a fork."""
    where = f"the event file {path}"
    event = parse_json(_read_bounded_file(path), where)
    pull = event.get("pull_request") if isinstance(event, dict) else None
    if not isinstance(pull, dict):
        raise ReviewsError(f"{where} has no pull_request object: this step runs only on "
                           "pull_request and pull_request_review events")
    number = pull.get("number")
    if not isinstance(number, int) or isinstance(number, bool) or number <= 0:
        raise ReviewsError(f"{where}: pull_request.number is {shown(number)}, not a positive whole number")
    return PullRequest(
        repository=repository_name(_dig(pull, "base", "repo", "full_name"),
                                   f"{where}: pull_request.base.repo.full_name"),
        number=number,
        head_sha=_sha(_dig(pull, "head", "sha"), f"{where}: pull_request.head.sha"),
        base_sha=_sha(_dig(pull, "base", "sha"), f"{where}: pull_request.base.sha"),
    )


def _read_bounded_file(path: Path) -> bytes:
    try:
        with path.open("rb") as file:
            data = file.read(MAX_EVENT_BYTES + 1)
    except OSError as error:
        raise ReviewsError(f"cannot read the event file {path}: {error.strerror or error}") from None
    if len(data) > MAX_EVENT_BYTES:
        raise ReviewsError(f"the event file {path} is over {MAX_EVENT_BYTES:,} bytes; an event is far smaller")
    return data


def parse_json(data: bytes, where: str) -> Any:
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as error:
        raise ReviewsError(f"{where} is not valid JSON: {error}") from None


def _dig(value: object, *keys: str) -> object:
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def shown(value: object) -> str:
    text = json.dumps(value) if isinstance(value, str | int | float | bool | None) else type(value).__name__
    return text if len(text) <= 60 else text[:59] + "…"


def _sha(value: object, where: str) -> str:
    if not isinstance(value, str) or not _SHA.fullmatch(value):
        raise ReviewsError(f"{where} is {shown(value)}, not a commit SHA of 40 hexadecimal digits")
    return value.lower()


def repository_name(value: object, where: str) -> str:
    if not isinstance(value, str) or not _REPOSITORY.fullmatch(value) or value.split("/")[1] in (".", ".."):
        raise ReviewsError(f"{where} is {shown(value)}, not a repository written as owner/name")
    return value


def from_environment(environ: Mapping[str, str]) -> tuple[str, str, PullRequest, str]:
    """(api_url, repository, pull request, token) from the variables a GitHub Actions step sees.

    GITHUB_TOKEN is not in a step's environment unless the workflow passes it, hence the hint."""
    missing = [name for name in ("GITHUB_REPOSITORY", "GITHUB_EVENT_PATH", "GITHUB_TOKEN") if not environ.get(name)]
    if missing:
        verb = "is" if len(missing) == 1 else "are"
        hint = " (give the step `env: GITHUB_TOKEN: ${{ github.token }}`)" if "GITHUB_TOKEN" in missing else ""
        raise ReviewsError(f"{' and '.join(missing)} {verb} not set or empty{hint}; "
                           "this step runs in a GitHub Actions pull request workflow")
    api_url = api_base(environ.get("GITHUB_API_URL") or DEFAULT_API_URL)
    repository = repository_name(environ["GITHUB_REPOSITORY"], "GITHUB_REPOSITORY")
    pull = pull_request_from_event(Path(environ["GITHUB_EVENT_PATH"]))
    if pull.repository.casefold() != repository.casefold():
        raise ReviewsError(f"the event's pull request is in {pull.repository}, but GITHUB_REPOSITORY is {repository}")
    token = environ["GITHUB_TOKEN"]
    check_token(token)
    return api_url, repository, pull, token


def check_token(token: str) -> None:
    if not _TOKEN.fullmatch(token):
        raise ReviewsError("the token is empty or holds spaces or control characters; check GITHUB_TOKEN")


def api_base(api_url: str) -> str:
    """The API's address without a trailing slash, refused unless it is a plain http(s) address."""
    parts = urllib.parse.urlsplit(api_url)
    if (parts.scheme not in _DEFAULT_PORTS or not parts.hostname or "@" in parts.netloc
            or parts.query or parts.fragment or origin(api_url) is None):
        raise ReviewsError(f"the API address {api_url!r} is not an http(s) address like {DEFAULT_API_URL}")
    return api_url.rstrip("/")


def origin(url: str) -> tuple[str, str, int] | None:
    """Scheme, host and port, the port filled in when left out; None when url has no usable one."""
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    return scheme, parts.hostname.lower(), port if port is not None else _DEFAULT_PORTS[scheme]
