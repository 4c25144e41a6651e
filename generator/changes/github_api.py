"""GitHub's REST API, read for one thing: every page of a pull request's reviews.

A sign-off step holds a token, so the token must go to the API's own server and nowhere else:
not to a next-page link or a redirect that points elsewhere. Every answer is bounded in size,
and an answer that cannot be read is an error a person can act on, never "no reviews".
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from email.message import Message
from http.client import HTTPException, HTTPMessage
from typing import IO, Any

from .github_actions import api_base, check_token, origin, parse_json, repository_name, shown
from .reviews import Review, ReviewsError, instant

API_VERSION = "2022-11-28"
USER_AGENT = "sales-playbook-reviews"
PER_PAGE = 100
MAX_BODY_BYTES = 5_000_000
_MAX_ERROR_BYTES = 65_536
_MAX_MESSAGE = 300
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
    base = api_base(api_url)
    owner, name = repository_name(repository, "the repository").split("/")
    if isinstance(number, bool) or not isinstance(number, int) or number <= 0:
        raise ReviewsError(f"the pull request number is {shown(number)}, not a positive whole number")
    check_token(token)
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
    if origin(url) is None or origin(url) != origin(base) or urllib.parse.urlsplit(url).username is not None:
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
    return parse_json(body, f"GitHub's answer to {url}"), links


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
    if submitted_at and instant(submitted_at) is None:
        raise ReviewsError(f"{where} was submitted at {shown(submitted_at)}, not a date and time")
    return Review(login=login, state=state, commit_id=commit_id, submitted_at=submitted_at, id=review_id)
