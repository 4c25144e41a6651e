"""A stand-in for GitHub's REST API, served over real HTTP on 127.0.0.1, for tests.

It answers "List reviews for a pull request" the way GitHub does (pages, a Link header, 401 for a
wrong token, 404 elsewhere) and records every request, so a test can check both what a client made
of the answers and what it sent, and to where. Use it as a context manager:

    with GitHubStandIn(page_size=2) as github:
        github.pull("octo-org/playbook", 7, [review("ada", "APPROVED", HEAD)])
        ... github.url ... github.requests ...
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

TOKEN = "ghs_" + "Standin0Token" * 3
REPOSITORY = "octo-org/playbook"
NUMBER = 7
DOCS = "https://docs.github.com/rest"
_ids = itertools.count(80)
_REVIEWS_PATH = re.compile(r"/repos/([^/]+/[^/]+)/pulls/(\d+)/reviews|/repositories/(\d+)/pulls/(\d+)/reviews")


def user(login: str, user_id: int = 1) -> dict[str, Any]:
    """A user as GitHub's "simple user" shows one, every documented field filled."""
    api = f"https://api.github.com/users/{login}"
    return {
        "login": login, "id": user_id, "node_id": f"MDQ6VXNlcj{user_id}", "type": "User", "site_admin": False,
        "avatar_url": f"https://avatars.githubusercontent.com/u/{user_id}?v=4", "gravatar_id": "",
        "url": api, "html_url": f"https://github.com/{login}", "followers_url": f"{api}/followers",
        "following_url": f"{api}/following{{/other_user}}", "gists_url": f"{api}/gists{{/gist_id}}",
        "starred_url": f"{api}/starred{{/owner}}{{/repo}}", "subscriptions_url": f"{api}/subscriptions",
        "organizations_url": f"{api}/orgs", "repos_url": f"{api}/repos", "events_url": f"{api}/events{{/privacy}}",
        "received_events_url": f"{api}/received_events", "user_view_type": "public",
    }


def review(login: str, state: str, commit_id: str | None, submitted_at: str | None = None, id: int | None = None,
           *, repository: str = REPOSITORY, number: int = NUMBER, body: str = "") -> dict[str, Any]:
    """A review as "List reviews for a pull request" returns one, every documented field filled.

    Ids count up across calls and submitted_at follows the id, so reviews made in order are
    dated in order unless a test says otherwise."""
    review_id = next(_ids) if id is None else id
    when = submitted_at or (datetime(2026, 11, 23, 9, tzinfo=timezone.utc) + timedelta(minutes=review_id))
    html = f"https://github.com/{repository}/pull/{number}#pullrequestreview-{review_id}"
    pull = f"https://api.github.com/repos/{repository}/pulls/{number}"
    return {
        "id": review_id, "node_id": f"PRR_kwDO{review_id:08d}", "user": user(login, 1000 + len(login)),
        "body": body, "state": state, "html_url": html, "pull_request_url": pull,
        "author_association": "MEMBER", "_links": {"html": {"href": html}, "pull_request": {"href": pull}},
        "submitted_at": when if isinstance(when, str) else when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "commit_id": commit_id,
    }


def actions_environment(folder: Path, api_url: str, head: str, base: str) -> dict[str, str]:
    """The standard environment of a GitHub Actions step run for a pull request: its event file
    (written into folder, in the shape both pull_request and pull_request_review events carry it),
    the API's address, the repository and the token the stand-in expects."""
    event = folder / "event.json"
    event.write_text(json.dumps({"action": "synchronize", "number": NUMBER, "pull_request": {
        "number": NUMBER, "head": {"sha": head, "ref": "proposal"},
        "base": {"sha": base, "ref": "main", "repo": {"full_name": REPOSITORY}}}}), encoding="utf-8")
    return {"GITHUB_API_URL": api_url, "GITHUB_REPOSITORY": REPOSITORY, "GITHUB_EVENT_PATH": str(event),
            "GITHUB_TOKEN": TOKEN}


@dataclass(frozen=True)
class Recorded:
    """One request as the stand-in received it; header names lowercased."""

    method: str
    target: str
    headers: dict[str, str]

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.target).query)


class GitHubStandIn:
    """The server, its pull requests' reviews, and what to answer besides.

    page_size forces pages smaller than the client asks for (GitHub allows up to 100), so paging
    can be tested with a few reviews. link_base makes Link headers point to another server;
    links_by_id makes them use GitHub's /repositories/{id}/ form; redirects (path to Location)
    answers 302; canned (path to status and JSON, or bytes sent as they are) answers as given,
    after the token check."""

    def __init__(self, *, token: str = TOKEN, page_size: int | None = None, host: str = "127.0.0.1") -> None:
        self.token = token
        self.page_size = page_size
        self.link_base: str | None = None
        self.links_by_id = False
        self.redirects: dict[str, str] = {}
        self.canned: dict[str, tuple[int, Any]] = {}
        self.requests: list[Recorded] = []
        self._pulls: dict[tuple[str, int], list[dict[str, Any]]] = {}
        self._lock = threading.Lock()
        self._server = _Server((host, 0), _Handler)
        self._server.standin = self
        # A short poll so that stopping takes milliseconds, not serve_forever's default half second.
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def pull(self, repository: str, number: int, reviews: Sequence[dict[str, Any]]) -> None:
        """Give pull request number of repository these reviews, oldest first."""
        self._pulls[(repository.lower(), number)] = list(reviews)

    def __enter__(self) -> GitHubStandIn:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def record(self, request: Recorded) -> None:
        with self._lock:
            self.requests.append(request)

    def answer(self, request: Recorded) -> tuple[int, dict[str, str], Any]:
        """Status, extra headers and JSON body for a GET, as GitHub would give them."""
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return 401, {}, {"message": "Bad credentials", "documentation_url": DOCS, "status": "401"}
        if request.path in self.redirects:
            return 302, {"Location": self.redirects[request.path]}, None
        if request.path in self.canned:
            status, payload = self.canned[request.path]
            return status, {}, payload
        found = self._reviews_of(request.path)
        if found is None:
            return 404, {}, {"message": "Not Found", "documentation_url": DOCS, "status": "404"}
        return self._page(request, *found)

    def _reviews_of(self, path: str) -> tuple[str, int, list[dict[str, Any]]] | None:
        match = _REVIEWS_PATH.fullmatch(path)
        if match is None:
            return None
        if match.group(1):
            repository, number = match.group(1).lower(), int(match.group(2))
        else:
            repository = next((name for name, _ in self._pulls if _repository_id(name) == int(match.group(3))), "")
            number = int(match.group(4))
        reviews = self._pulls.get((repository, number))
        return None if reviews is None else (repository, number, reviews)

    def _page(self, request: Recorded, repository: str, number: int,
              reviews: list[dict[str, Any]]) -> tuple[int, dict[str, str], Any]:
        """One page of reviews and GitHub's Link header: prev, next, last, first, as they apply."""
        asked = _whole(request.query.get("per_page"), 30)
        size = max(1, min(asked, 100, self.page_size or 100))
        page = max(1, _whole(request.query.get("page"), 1))
        last = max(1, -(-len(reviews) // size))
        if self.links_by_id:
            path = f"/repositories/{_repository_id(repository)}/pulls/{number}/reviews"
        else:
            path = f"/repos/{repository}/pulls/{number}/reviews"
        base = f"{self.link_base or self.url}{path}?per_page={asked}&page="
        relations = [("prev", page - 1, page > 1), ("next", page + 1, page < last),
                     ("last", last, page < last), ("first", 1, page > 1)]
        link = ", ".join(f'<{base}{target}>; rel="{rel}"' for rel, target, present in relations if present)
        return 200, {"Link": link} if link else {}, reviews[(page - 1) * size: page * size]


def _repository_id(repository: str) -> int:
    """A stable numeric id for a repository, as GitHub gives each one."""
    return 1_000_000 + sum(ord(char) * (index + 1) for index, char in enumerate(repository.lower()))


def _whole(values: list[str] | None, default: int) -> int:
    """A query parameter as GitHub reads it: the first value, or the default when it is not a number."""
    return int(values[0]) if values and values[0].isdigit() else default


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    standin: GitHubStandIn


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        request = Recorded("GET", self.path, {name.lower(): value for name, value in self.headers.items()})
        self.server.standin.record(request)
        status, headers, payload = self.server.standin.answer(request)
        body = payload if isinstance(payload, bytes) else b"" if payload is None else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-GitHub-Media-Type", "github.v3; format=json")
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: a test's output is for its own failures."""
