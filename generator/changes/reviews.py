"""Who approved a pull request's latest commit, read from GitHub's REST API.

A sign-off step in a pull request's workflow must know whose approval stands for the commit it is
about to accept, not for one pushed before it; and it holds a token, so the token must go to the
API's own server and nowhere else (not to a next-page link or a redirect that points elsewhere).
Only the standard library is used, so the step needs nothing beyond the generator itself.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from email.message import Message
from http.client import HTTPException, HTTPMessage
from pathlib import Path
from typing import IO, Any

from generator.source.problems import printable

DEFAULT_API_URL = "https://api.github.com"
API_VERSION = "2022-11-28"
USER_AGENT = "sales-playbook-reviews"
PER_PAGE = 100
MAX_EVENT_BYTES = 1_000_000
MAX_BODY_BYTES = 5_000_000
_MAX_ERROR_BYTES = 65_536
_MAX_MESSAGE = 300

# The states that change where a reviewer stands; COMMENTED and PENDING never do.
DECISIVE = frozenset({"APPROVED", "CHANGES_REQUESTED", "DISMISSED"})

_SHA = re.compile(r"[0-9a-fA-F]{40}")
# GitHub's rules: an owner is 1-39 letters, digits or inner hyphens; a name up to 100 of [A-Za-z0-9._-].
_REPOSITORY = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}")
_TOKEN = re.compile(r"[\x21-\x7e]+")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_HINTS = {
    401: "check that the step is given a valid GITHUB_TOKEN",
    403: "the token may lack the pull-requests: read permission, or the rate limit is used up",
    404: "check the repository and the pull request number, and that the token can read them",
}
# RFC 8288 section 3: link-value = "<" URI-Reference ">" *( OWS ";" OWS link-param ), comma separated.
_TCHAR = r"[!#$%&'*+.^_`|~0-9A-Za-z-]"
_PARAM = rf'\s*;\s*({_TCHAR}+)\s*(?:=\s*("(?:[^"\\]|\\.)*"|{_TCHAR}+))?'
_LINK_VALUE = re.compile(rf"\s*<([^>]*)>((?:{_PARAM})*)\s*(?:,|\Z)")
_LINK_PARAM = re.compile(_PARAM)
_EARLIEST = datetime.min.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class Review:
    """One submitted review, reduced to what decides whether it approves a commit."""

    login: str
    state: str
    commit_id: str  # "" when GitHub no longer has the commit
    submitted_at: str  # ISO 8601, "" for a review not yet submitted
    id: int


@dataclass(frozen=True)
class PullRequest:
    """The pull request a workflow run is about; reviews live in the base repository."""

    repository: str
    number: int
    head_sha: str
    base_sha: str


class ReviewsError(Exception):
    """The API could not be read: a message a person can act on.

    The message is made printable, as it may quote what GitHub or an event file said and it ends
    up in a CI log, where a control character could forge a line of its own."""

    def __init__(self, message: str) -> None:
        super().__init__(printable(message))


@dataclass(frozen=True)
class Standing:
    """Where one reviewer stands for the latest commit: counts, or the reason it does not."""

    login: str
    counts: bool
    reason: str  # "" when the approval counts


class Approvals:
    """Per reviewer, whether their approval counts for the latest commit, and why not.

    Logins are compared case-insensitively, as GitHub compares them."""

    def __init__(self, head_sha: str, standings: Iterable[Standing]) -> None:
        self.head_sha = head_sha
        self._by_login = {standing.login.casefold(): standing for standing in standings}

    def approved(self, login: str) -> bool:
        """Whether login's approval counts for the latest commit."""
        standing = self._by_login.get(login.casefold())
        return standing is not None and standing.counts

    def why_not(self, login: str) -> str:
        """Why login's approval does not count, in words for a person; "" when it does."""
        standing = self._by_login.get(login.casefold())
        return "has not reviewed" if standing is None else standing.reason

    def logins_approved(self) -> list[str]:
        """Everyone whose approval counts, spelled as GitHub last showed them, sorted."""
        return [standing.login for standing in self.standings() if standing.counts]

    def standings(self) -> list[Standing]:
        """Every reviewer's standing, sorted by login regardless of case."""
        return sorted(self._by_login.values(), key=lambda standing: standing.login.casefold())

    def __repr__(self) -> str:
        return f"Approvals(head_sha={self.head_sha!r}, standings={self.standings()!r})"


def approvers(reviews: Sequence[Review], head_sha: str) -> Approvals:
    """Whose approval counts for head_sha, as GitHub counts them.

    A reviewer's latest APPROVED, CHANGES_REQUESTED or DISMISSED review decides; a comment never
    changes where they stand, and a pending review is not submitted yet. An approval counts only
    for the commit it was given on, so a push after it needs a new one."""
    head = head_sha.lower()
    spelled: dict[str, str] = {}
    deciding: dict[str, Review] = {}
    for review in sorted(reviews, key=_chronological):
        state = review.state.upper()
        if state == "PENDING":
            continue
        key = review.login.casefold()
        spelled[key] = review.login
        if state in DECISIVE:
            deciding[key] = review
    return Approvals(head, (_standing(login, deciding.get(key), head) for key, login in spelled.items()))


def _standing(login: str, review: Review | None, head: str) -> Standing:
    if review is None:
        return Standing(login, False, "commented but has not approved")
    state = review.state.upper()
    if state == "CHANGES_REQUESTED":
        return Standing(login, False, "requested changes")
    if state == "DISMISSED":
        return Standing(login, False, "approval dismissed")
    if review.commit_id.lower() == head:
        return Standing(login, True, "")
    if not review.commit_id:
        return Standing(login, False, f"approved a commit GitHub no longer has, not the latest ({head[:7]})")
    older = printable(review.commit_id[:7])
    return Standing(login, False, f"approved an older commit ({older}), not the latest ({head[:7]})")


def _chronological(review: Review) -> tuple[datetime, int]:
    """When a review was submitted, then its id: GitHub numbers reviews in the order they are made."""
    return _instant(review.submitted_at) or _EARLIEST, review.id


def _instant(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def pull_request_from_event(path: Path) -> PullRequest:
    """The pull request a `pull_request` or `pull_request_review` event (GITHUB_EVENT_PATH) is about.

    Both events carry it under `pull_request` with the same fields. Its base repository is the one
    the pull request asks to merge into, where its reviews live; the head may be in a fork."""
    where = f"the event file {path}"
    event = _parse_json(_read_bounded_file(path), where)
    pull = event.get("pull_request") if isinstance(event, dict) else None
    if not isinstance(pull, dict):
        raise ReviewsError(f"{where} has no pull_request object: this step runs only on "
                           "pull_request and pull_request_review events")
    number = pull.get("number")
    if not isinstance(number, int) or isinstance(number, bool) or number <= 0:
        raise ReviewsError(f"{where}: pull_request.number is {_shown(number)}, not a positive whole number")
    return PullRequest(
        repository=_repository(_dig(pull, "base", "repo", "full_name"), f"{where}: pull_request.base.repo.full_name"),
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


def _parse_json(data: bytes, where: str) -> Any:
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as error:
        raise ReviewsError(f"{where} is not valid JSON: {error}") from None


def _dig(value: object, *keys: str) -> object:
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _shown(value: object) -> str:
    text = json.dumps(value) if isinstance(value, str | int | float | bool | None) else type(value).__name__
    return text if len(text) <= 60 else text[:59] + "…"


def _sha(value: object, where: str) -> str:
    if not isinstance(value, str) or not _SHA.fullmatch(value):
        raise ReviewsError(f"{where} is {_shown(value)}, not a commit SHA of 40 hexadecimal digits")
    return value.lower()


def _repository(value: object, where: str) -> str:
    if not isinstance(value, str) or not _REPOSITORY.fullmatch(value) or value.split("/")[1] in (".", ".."):
        raise ReviewsError(f"{where} is {_shown(value)}, not a repository written as owner/name")
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
    api_url = _api_base(environ.get("GITHUB_API_URL") or DEFAULT_API_URL)
    repository = _repository(environ["GITHUB_REPOSITORY"], "GITHUB_REPOSITORY")
    pull = pull_request_from_event(Path(environ["GITHUB_EVENT_PATH"]))
    if pull.repository.casefold() != repository.casefold():
        raise ReviewsError(f"the event's pull request is in {pull.repository}, but GITHUB_REPOSITORY is {repository}")
    token = environ["GITHUB_TOKEN"]
    _check_token(token)
    return api_url, repository, pull, token


def _check_token(token: str) -> None:
    if not _TOKEN.fullmatch(token):
        raise ReviewsError("the token is empty or holds spaces or control characters; check GITHUB_TOKEN")


def _api_base(api_url: str) -> str:
    """The API's address without a trailing slash, refused unless it is a plain http(s) address."""
    parts = urllib.parse.urlsplit(api_url)
    if (parts.scheme not in _DEFAULT_PORTS or not parts.hostname or "@" in parts.netloc
            or parts.query or parts.fragment or _origin(api_url) is None):
        raise ReviewsError(f"the API address {api_url!r} is not an http(s) address like {DEFAULT_API_URL}")
    return api_url.rstrip("/")


def _origin(url: str) -> tuple[str, str, int] | None:
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


def next_link(header: str) -> str | None:
    """The target of the link whose rel includes "next" in a Link header (RFC 8288), else None.

    A header that cannot be read is an error rather than "no next page": stopping early could
    miss the review that decides, a later request for changes or a dismissal."""
    for target, params in _links(header):
        if "next" in params.get("rel", "").lower().split():
            return target
    return None


def _links(header: str) -> Iterator[tuple[str, dict[str, str]]]:
    position, end = 0, len(header.rstrip())
    while position < end:
        match = _LINK_VALUE.match(header, position)
        if match is None or match.end() == position:
            raise ReviewsError(f"GitHub's Link header cannot be read: {header[:200]!r}")
        params: dict[str, str] = {}
        for param in _LINK_PARAM.finditer(match.group(2)):
            value = param.group(2) or ""
            if value.startswith('"'):
                value = re.sub(r"\\(.)", r"\1", value[1:-1])
            params.setdefault(param.group(1).lower(), value)  # RFC 8288: only the first counts
        yield match.group(1), params
        position = match.end()


def list_reviews(api_url: str, repository: str, number: int, token: str, *,
                 max_pages: int = 30, timeout: float = 20) -> list[Review]:
    """Every submitted review of the pull request, in the order GitHub lists them.

    Every page is read, as the review that decides may be on the last one. A next page or a
    redirect on another server is refused, because the token would go with the request."""
    if max_pages < 1:
        raise ValueError("max_pages must be at least 1")
    base = _api_base(api_url)
    owner, name = _repository(repository, "the repository").split("/")
    if isinstance(number, bool) or not isinstance(number, int) or number <= 0:
        raise ReviewsError(f"the pull request number is {_shown(number)}, not a positive whole number")
    _check_token(token)
    quote = urllib.parse.quote
    url = f"{base}/repos/{quote(owner, safe='')}/{quote(name, safe='')}/pulls/{number}/reviews?per_page={PER_PAGE}"
    opener = urllib.request.build_opener(_SameOriginRedirects(base))
    reviews: list[Review] = []
    for page in range(1, max_pages + 1):
        payload, links = _get(opener, url, token, timeout)
        reviews.extend(_reviews_on_page(payload, page))
        following = next_link(links)
        if following is None:
            return reviews
        url = _same_origin(urllib.parse.urljoin(url, following), base, "a next page of reviews")
    raise ReviewsError(f"the reviews go on past {max_pages} pages of {PER_PAGE}; stopped there rather than "
                       "read without end (raise max_pages if the pull request really has that many)")


def _same_origin(url: str, base: str, what: str) -> str:
    if _origin(url) is None or _origin(url) != _origin(base) or urllib.parse.urlsplit(url).username is not None:
        raise ReviewsError(f"GitHub pointed to {what} at {url}, which is not on {base}; "
                           "not followed, so the token is not sent there")
    return url


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only on the API's own server: urllib would otherwise send the
    Authorization header wherever a redirect points."""

    def __init__(self, base: str) -> None:
        self._base = base

    def redirect_request(self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str,
                         headers: HTTPMessage, newurl: str) -> urllib.request.Request | None:
        try:
            _same_origin(newurl, self._base, f"a redirect ({code}) from {req.full_url}")
        except ReviewsError:
            fp.close()
            raise
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _get(opener: urllib.request.OpenerDirector, url: str, token: str, timeout: float) -> tuple[Any, str]:
    """One page: its parsed JSON and its Link header (every Link field, joined as RFC 9110 allows)."""
    request = urllib.request.Request(url, headers={
        "Accept": "application/vnd.github+json",
        "X-GitHub-Api-Version": API_VERSION,
        "Authorization": f"Bearer {token}",
        "User-Agent": USER_AGENT,
    })
    try:
        with opener.open(request, timeout=timeout) as response:
            body = _read_bounded(response, response.headers, url)
            links = ", ".join(response.headers.get_all("Link") or [])
    except urllib.error.HTTPError as error:
        raise _http_error(error, url) from None
    except (urllib.error.URLError, OSError, HTTPException) as error:
        reason = error.reason if isinstance(error, urllib.error.URLError) else error
        raise ReviewsError(f"could not read {url}: {reason}") from None
    return _parse_json(body, f"GitHub's answer to {url}"), links


def _read_bounded(response: IO[bytes], headers: Message, url: str) -> bytes:
    length = headers.get("Content-Length", "")
    announced_too_long = length.isdigit() and int(length) > MAX_BODY_BYTES
    data = b"" if announced_too_long else response.read(MAX_BODY_BYTES + 1)
    if announced_too_long or len(data) > MAX_BODY_BYTES:
        raise ReviewsError(f"GitHub's answer to {url} is over {MAX_BODY_BYTES:,} bytes; not read")
    return data


def _http_error(error: urllib.error.HTTPError, url: str) -> ReviewsError:
    """The status, GitHub's own `message` and what to check, as one line."""
    try:
        body = error.read(_MAX_ERROR_BYTES)
    except (OSError, HTTPException):
        body = b""
    finally:
        error.close()
    try:
        message = json.loads(body).get("message")
    except (ValueError, RecursionError, AttributeError):
        message = None
    text = f"GitHub answered {error.code} {error.reason} for {url}"
    if isinstance(message, str) and message:
        text += f": {message[:_MAX_MESSAGE]}"
    hint = _HINTS.get(error.code)
    return ReviewsError(text + (f" ({hint})" if hint else ""))


def _reviews_on_page(payload: Any, page: int) -> list[Review]:
    if not isinstance(payload, list):
        raise ReviewsError(f"page {page} of reviews is {_kind(payload)}, not a list of reviews")
    reviews = []
    for index, item in enumerate(payload, 1):
        review = _review(item, f"review {index} on page {page}")
        if review is not None:
            reviews.append(review)
    return reviews


def _kind(value: object) -> str:
    kinds = {dict: "an object", list: "a list", str: "a string", bool: "true or false", type(None): "null"}
    return kinds.get(type(value), "a number")


def _review(item: object, where: str) -> Review | None:
    """A review as GitHub documents it, or None when its author's account is gone (`user` null):
    GitHub shows such reviews as by "ghost", and a deleted account approves nothing."""
    if not isinstance(item, dict):
        raise ReviewsError(f"{where} is {_kind(item)}, not a review object")
    user = item.get("user")
    if user is None:
        return None
    login = user.get("login") if isinstance(user, dict) else None
    state, review_id = item.get("state"), item.get("id")
    commit_id, submitted_at = item.get("commit_id") or "", item.get("submitted_at") or ""
    if not isinstance(login, str) or not login:
        raise ReviewsError(f"{where} has no user.login")
    if not isinstance(state, str) or not isinstance(review_id, int) or isinstance(review_id, bool):
        raise ReviewsError(f"{where} lacks a state or a whole-number id")
    if not isinstance(commit_id, str) or not isinstance(submitted_at, str):
        raise ReviewsError(f"{where} has a commit_id or a submitted_at that is not a string")
    if submitted_at and _instant(submitted_at) is None:
        raise ReviewsError(f"{where} was submitted at {_shown(submitted_at)}, not a date and time")
    return Review(login=login, state=state, commit_id=commit_id, submitted_at=submitted_at, id=review_id)
