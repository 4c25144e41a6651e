"""Who approved a pull request's latest commit: generator.changes.reviews and github_api against a
stand-in GitHub API served over real HTTP, and the event files and environment of a GitHub Actions
step (github_actions)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from github_standin import NUMBER, REPOSITORY, TOKEN, GitHubStandIn, review

from generator.changes import github_api
from generator.changes.github_actions import PullRequest, from_environment, pull_request_from_event
from generator.changes.github_api import list_reviews, next_link
from generator.changes.reviews import Review, ReviewsError, approvers

HEAD = "d" * 39 + "5"
OLDER = "a1b2c3d" + "0" * 33
BASE = "b" * 40
REVIEWS_PATH = f"/repos/{REPOSITORY}/pulls/{NUMBER}/reviews"


@pytest.fixture
def github() -> Iterator[GitHubStandIn]:
    with GitHubStandIn() as standin:
        yield standin


@pytest.fixture
def elsewhere() -> Iterator[GitHubStandIn]:
    """A second server, to show that nothing, least of all the token, is sent to it."""
    with GitHubStandIn() as standin:
        yield standin


def fetch(github: GitHubStandIn, *given: dict[str, Any], **options: Any) -> list[Review]:
    github.pull(REPOSITORY, NUMBER, given)
    return list_reviews(github.url, REPOSITORY, NUMBER, TOKEN, **options)


# Whose approval counts, read over HTTP.

def test_an_approval_of_the_head_commit_counts(github: GitHubStandIn) -> None:
    found = fetch(github, review("ada", "APPROVED", HEAD))
    assert [(r.login, r.state, r.commit_id) for r in found] == [("ada", "APPROVED", HEAD)]
    result = approvers(found, HEAD)
    assert result.approved("ada")
    assert result.why_not("ada") == ""
    assert result.logins_approved() == ["ada"]
    request = github.requests[0]
    assert request.path == REVIEWS_PATH and request.query == {"per_page": ["100"]}
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.headers["accept"] == "application/vnd.github+json"
    assert request.headers["x-github-api-version"] == "2022-11-28"
    assert request.headers["user-agent"]


def test_changes_requested_after_an_approval_withdraws_it(github: GitHubStandIn) -> None:
    result = approvers(fetch(github, review("ada", "APPROVED", HEAD), review("ada", "CHANGES_REQUESTED", HEAD)), HEAD)
    assert not result.approved("ada")
    assert result.why_not("ada") == "requested changes"
    assert result.logins_approved() == []


def test_a_dismissed_approval_does_not_count(github: GitHubStandIn) -> None:
    # GitHub turns the dismissed review itself into DISMISSED; a second reviewer still counts.
    result = approvers(fetch(github, review("ada", "DISMISSED", HEAD), review("grace", "APPROVED", HEAD)), HEAD)
    assert not result.approved("ada")
    assert result.why_not("ada") == "approval dismissed"
    assert result.logins_approved() == ["grace"]


def test_an_approval_of_an_older_commit_does_not_count(github: GitHubStandIn) -> None:
    result = approvers(fetch(github, review("ada", "APPROVED", OLDER)), HEAD)
    assert not result.approved("ada")
    assert result.why_not("ada") == "approved an older commit (a1b2c3d), not the latest (ddddddd)"


def test_an_approval_of_a_commit_github_no_longer_has_does_not_count(github: GitHubStandIn) -> None:
    result = approvers(fetch(github, review("ada", "APPROVED", None)), HEAD)
    assert result.why_not("ada") == "approved a commit GitHub no longer has, not the latest (ddddddd)"


def test_a_comment_after_an_approval_keeps_it(github: GitHubStandIn) -> None:
    result = approvers(fetch(github, review("ada", "APPROVED", HEAD), review("ada", "COMMENTED", HEAD),
                             review("ada", "PENDING", HEAD, submitted_at="")), HEAD)
    assert result.approved("ada")
    assert result.logins_approved() == ["ada"]


def test_a_comment_alone_is_not_an_approval(github: GitHubStandIn) -> None:
    result = approvers(fetch(github, review("ada", "COMMENTED", HEAD)), HEAD)
    assert not result.approved("ada")
    assert result.why_not("ada") == "commented but has not approved"
    assert result.why_not("linus") == "has not reviewed"


def test_approving_again_after_requesting_changes_counts(github: GitHubStandIn) -> None:
    result = approvers(fetch(github, review("ada", "APPROVED", OLDER), review("ada", "CHANGES_REQUESTED", OLDER),
                             review("ada", "APPROVED", HEAD)), HEAD)
    assert result.approved("ada")
    assert result.why_not("ada") == ""


def test_the_latest_review_is_the_latest_submitted_whatever_the_order_listed(github: GitHubStandIn) -> None:
    later = review("ada", "CHANGES_REQUESTED", HEAD, submitted_at="2026-11-23T12:00:00Z", id=5)
    earlier = review("ada", "APPROVED", HEAD, submitted_at="2026-11-23T11:00:00Z", id=6)
    assert approvers(fetch(github, later, earlier), HEAD).why_not("ada") == "requested changes"


def test_logins_are_compared_regardless_of_case(github: GitHubStandIn) -> None:
    result = approvers(fetch(github, review("Ada-L", "APPROVED", HEAD), review("ada-l", "COMMENTED", HEAD),
                             review("Grace", "APPROVED", HEAD.upper())), HEAD)
    assert result.approved("ADA-L") and result.approved("ada-l") and result.approved("grace")
    assert result.logins_approved() == ["ada-l", "Grace"]
    changed = approvers(fetch(github, review("Ada-L", "APPROVED", HEAD), review("ADA-L", "CHANGES_REQUESTED", HEAD)),
                        HEAD)
    assert changed.why_not("ada-l") == "requested changes"


def test_a_review_by_a_deleted_account_is_skipped(github: GitHubStandIn) -> None:
    ghost = review("ghost", "APPROVED", HEAD)
    ghost["user"] = None
    found = fetch(github, ghost, review("ada", "APPROVED", HEAD))
    assert [r.login for r in found] == ["ada"]
    assert approvers(found, HEAD).logins_approved() == ["ada"]


# Pages, and where the token may go.

def test_every_page_is_read_and_each_request_recorded() -> None:
    with GitHubStandIn(page_size=2) as github:
        given = [review(f"user{n}", "APPROVED", HEAD) for n in range(5)] + [review("user0", "CHANGES_REQUESTED", HEAD)]
        found = fetch(github, *given)
    assert [r.id for r in found] == [g["id"] for g in given]
    assert [(r.path, r.query) for r in github.requests] == [
        (REVIEWS_PATH, {"per_page": ["100"]}),
        (REVIEWS_PATH, {"per_page": ["100"], "page": ["2"]}),
        (REVIEWS_PATH, {"per_page": ["100"], "page": ["3"]}),
    ]
    assert all(r.headers["authorization"] == f"Bearer {TOKEN}" for r in github.requests)
    result = approvers(found, HEAD)
    assert result.logins_approved() == ["user1", "user2", "user3", "user4"]
    assert result.why_not("user0") == "requested changes"  # decided on the last page


def test_next_pages_on_the_same_server_are_followed_whatever_their_path() -> None:
    with GitHubStandIn(page_size=1) as github:
        github.links_by_id = True
        found = fetch(github, review("ada", "APPROVED", HEAD), review("grace", "APPROVED", HEAD))
    assert [r.login for r in found] == ["ada", "grace"]
    assert github.requests[1].path.startswith("/repositories/")


@pytest.mark.parametrize("where", ["same host, another port", "another host name"])
def test_a_next_page_on_another_server_is_refused(where: str, elsewhere: GitHubStandIn) -> None:
    with GitHubStandIn(page_size=1) as github:
        other_name = elsewhere.url.replace("127.0.0.1", "localhost")
        github.link_base = elsewhere.url if where.startswith("same") else other_name
        with pytest.raises(ReviewsError, match="not followed, so the token is not sent there") as raised:
            fetch(github, review("ada", "APPROVED", HEAD), review("grace", "CHANGES_REQUESTED", HEAD))
    assert github.link_base in str(raised.value)
    assert len(github.requests) == 1
    assert elsewhere.requests == []


def test_a_redirect_to_another_server_is_refused(github: GitHubStandIn, elsewhere: GitHubStandIn) -> None:
    github.redirects[REVIEWS_PATH] = elsewhere.url + REVIEWS_PATH
    with pytest.raises(ReviewsError, match="a redirect \\(302\\).*not followed"):
        fetch(github, review("ada", "APPROVED", HEAD))
    assert elsewhere.requests == []


def test_a_redirect_on_the_same_server_is_followed(github: GitHubStandIn) -> None:
    # GitHub answers a renamed repository's old address with a redirect to its new one.
    github.redirects["/repos/octo-org/old-name/pulls/7/reviews"] = github.url + REVIEWS_PATH + "?per_page=100"
    github.pull(REPOSITORY, NUMBER, [review("ada", "APPROVED", HEAD)])
    found = list_reviews(github.url, "octo-org/old-name", NUMBER, TOKEN)
    assert [r.login for r in found] == ["ada"]
    assert github.requests[1].headers["authorization"] == f"Bearer {TOKEN}"


def test_more_pages_than_allowed_is_an_error() -> None:
    with GitHubStandIn(page_size=1) as github, pytest.raises(ReviewsError, match="past 2 pages"):
        fetch(github, *[review(f"user{n}", "APPROVED", HEAD) for n in range(3)], max_pages=2)
    assert len(github.requests) == 2


# What GitHub may answer instead of reviews.

def test_a_wrong_token_names_401_and_githubs_message(github: GitHubStandIn) -> None:
    github.pull(REPOSITORY, NUMBER, [review("ada", "APPROVED", HEAD)])
    with pytest.raises(ReviewsError) as raised:
        list_reviews(github.url, REPOSITORY, NUMBER, "ghs_wrong")
    assert "401" in str(raised.value) and "Bad credentials" in str(raised.value)
    assert "GITHUB_TOKEN" in str(raised.value)


def test_an_unknown_pull_request_names_404(github: GitHubStandIn) -> None:
    with pytest.raises(ReviewsError, match="404 Not Found .*: Not Found"):
        list_reviews(github.url, REPOSITORY, 99, TOKEN)


def test_githubs_message_is_made_printable(github: GitHubStandIn) -> None:
    github.canned[REVIEWS_PATH] = (403, {"message": "rate limit\n::error::all approved\x1b[2K"})
    with pytest.raises(ReviewsError) as raised:
        fetch(github)
    message = str(raised.value)
    assert "403" in message and "rate limit" in message
    assert message.isprintable() and "\\n::error::" in message


@pytest.mark.parametrize(("payload", "said"), [
    ({"message": "an object"}, "page 1 of reviews is an object, not a list"),
    ([7], "review 1 on page 1 is a number, not a review object"),
    ([[{"id": 1}]], "review 1 on page 1 is a list, not a review object"),
    ([{"id": 1, "state": "APPROVED", "user": "ada"}], "review 1 on page 1 has no user.login"),
    ([{"id": 1, "state": "APPROVED", "user": {"id": 3}}], "review 1 on page 1 has no user.login"),
    (b"<html>Unicorn!</html>", "is not valid JSON"),
])
def test_an_answer_that_is_not_a_list_of_reviews_is_an_error(github: GitHubStandIn, payload: Any, said: str) -> None:
    github.canned[REVIEWS_PATH] = (200, payload)
    with pytest.raises(ReviewsError, match=said):
        fetch(github)


def test_an_answer_over_the_size_bound_is_refused(github: GitHubStandIn, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(github_api, "MAX_BODY_BYTES", 1000)
    with pytest.raises(ReviewsError, match="over 1,000 bytes"):
        fetch(github, *[review(f"user{n}", "APPROVED", HEAD) for n in range(3)])


def test_an_unreachable_api_is_an_error() -> None:
    with GitHubStandIn() as gone:
        url = gone.url
    with pytest.raises(ReviewsError, match="could not read"):
        list_reviews(url, REPOSITORY, NUMBER, TOKEN, timeout=5)


def test_bad_arguments_are_refused_before_anything_is_sent(github: GitHubStandIn) -> None:
    for api_url, repository, number, token in [
        ("ftp://127.0.0.1", REPOSITORY, NUMBER, TOKEN), (github.url, "../etc", NUMBER, TOKEN),
        (github.url, REPOSITORY, 0, TOKEN), (github.url, REPOSITORY, NUMBER, "ghs_x\r\nX-Evil: 1"),
    ]:
        with pytest.raises(ReviewsError):
            list_reviews(api_url, repository, number, token)
    assert github.requests == []


# The Link header, as RFC 8288 allows it to be written.

@pytest.mark.parametrize(("header", "expected"), [
    ('<https://api.github.com/repositories/1/pulls/7/reviews?per_page=100&page=2>; rel="next", '
     '<https://api.github.com/repositories/1/pulls/7/reviews?per_page=100&page=4>; rel="last"',
     "https://api.github.com/repositories/1/pulls/7/reviews?per_page=100&page=2"),
    ('<https://x/?page=1>; rel="prev first", <https://x/?a=1,2&page=3>; title="a; b, c"; REL=Next',
     "https://x/?a=1,2&page=3"),
    ('<https://x/?page=9>; rel="last"', None),
    ("", None),
])
def test_next_link_reads_rfc_8288(header: str, expected: str | None) -> None:
    assert next_link(header) == expected


def test_an_unreadable_link_header_is_an_error_not_the_last_page() -> None:
    with pytest.raises(ReviewsError, match="Link header cannot be read"):
        next_link('https://x/?page=2; rel="next"')


# The event file and the environment of a GitHub Actions step.

def pull_request_object(number: int = NUMBER, head: str = HEAD, base: str = BASE) -> dict[str, Any]:
    """The pull request as both events carry it, trimmed to a realistic core; the head in a fork."""
    def repo(full_name: str) -> dict[str, Any]:
        owner = full_name.split("/")[0]
        return {"id": 1296269, "name": full_name.split("/")[1], "full_name": full_name, "private": False,
                "owner": {"login": owner, "id": 1, "type": "Organization"}}

    return {
        "url": f"https://api.github.com/repos/{REPOSITORY}/pulls/{number}", "id": 1, "number": number,
        "state": "open", "title": "Add the discovery call", "user": {"login": "contributor", "id": 9},
        "head": {"label": "contributor:discovery", "ref": "discovery", "sha": head,
                 "repo": repo("contributor/playbook"), "user": {"login": "contributor"}},
        "base": {"label": "octo-org:main", "ref": "main", "sha": base, "repo": repo(REPOSITORY),
                 "user": {"login": "octo-org"}},
    }


def write_event(tmp_path: Path, event: Any) -> Path:
    path = tmp_path / "event.json"
    path.write_text(json.dumps(event), encoding="utf-8")
    return path


def test_a_pull_request_event_is_read(tmp_path: Path) -> None:
    event = {"action": "synchronize", "number": NUMBER, "pull_request": pull_request_object(),
             "before": OLDER, "after": HEAD, "repository": {"full_name": REPOSITORY}, "sender": {"login": "x"}}
    assert pull_request_from_event(write_event(tmp_path, event)) == PullRequest(REPOSITORY, NUMBER, HEAD, BASE)


def test_a_pull_request_review_event_is_read(tmp_path: Path) -> None:
    event = {"action": "submitted", "review": review("ada", "APPROVED", HEAD), "repository": {"full_name": REPOSITORY},
             "pull_request": pull_request_object(head=HEAD.upper()), "sender": {"login": "ada"}}
    assert pull_request_from_event(write_event(tmp_path, event)) == PullRequest(REPOSITORY, NUMBER, HEAD, BASE)


@pytest.mark.parametrize(("event", "said"), [
    ({"action": "push", "ref": "refs/heads/main"}, "has no pull_request object"),
    ([1, 2], "has no pull_request object"),
    ({"pull_request": pull_request_object(head="abc1234")}, 'pull_request.head.sha is "abc1234", not a commit SHA'),
    ({"pull_request": pull_request_object(base="g" * 40)}, "pull_request.base.sha is"),
    ({"pull_request": pull_request_object(number=0)}, "pull_request.number is 0, not a positive"),
    ({"pull_request": {**pull_request_object(), "number": "7"}}, 'pull_request.number is "7"'),
    ({"pull_request": {**pull_request_object(), "base": {"sha": BASE}}}, "pull_request.base.repo.full_name is null"),
])
def test_a_bad_event_is_an_error(tmp_path: Path, event: Any, said: str) -> None:
    with pytest.raises(ReviewsError, match=said):
        pull_request_from_event(write_event(tmp_path, event))


def test_an_event_file_that_is_missing_too_large_or_not_json_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ReviewsError, match="cannot read the event file"):
        pull_request_from_event(tmp_path / "absent.json")
    (tmp_path / "big.json").write_bytes(b" " * 1_000_001)
    with pytest.raises(ReviewsError, match="is over 1,000,000 bytes"):
        pull_request_from_event(tmp_path / "big.json")
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    with pytest.raises(ReviewsError, match="is not valid JSON"):
        pull_request_from_event(tmp_path / "bad.json")


def environment(tmp_path: Path, **changes: str) -> dict[str, str]:
    event = write_event(tmp_path, {"action": "opened", "pull_request": pull_request_object()})
    environ = {"GITHUB_REPOSITORY": REPOSITORY, "GITHUB_EVENT_PATH": str(event), "GITHUB_TOKEN": TOKEN}
    return {**environ, **changes}


def test_from_environment_reads_a_steps_variables(tmp_path: Path) -> None:
    pull = PullRequest(REPOSITORY, NUMBER, HEAD, BASE)
    assert from_environment(environment(tmp_path)) == ("https://api.github.com", REPOSITORY, pull, TOKEN)
    enterprise = environment(tmp_path, GITHUB_API_URL="https://ghe.example.com/api/v3/")
    assert from_environment(enterprise)[0] == "https://ghe.example.com/api/v3"


@pytest.mark.parametrize("name", ["GITHUB_REPOSITORY", "GITHUB_EVENT_PATH", "GITHUB_TOKEN"])
def test_from_environment_names_the_missing_variable(tmp_path: Path, name: str) -> None:
    environ = environment(tmp_path)
    del environ[name]
    with pytest.raises(ReviewsError) as raised:
        from_environment(environ)
    assert str(raised.value).startswith(f"{name} is not set")
    with pytest.raises(ReviewsError, match=f"^{name} is not set or empty"):
        from_environment({**environ, name: ""})


def test_from_environment_refuses_what_does_not_fit(tmp_path: Path) -> None:
    with pytest.raises(ReviewsError, match="GITHUB_REPOSITORY and GITHUB_TOKEN are not set"):
        from_environment({"GITHUB_EVENT_PATH": "x"})
    with pytest.raises(ReviewsError, match="GITHUB_REPOSITORY is \"octo-org\", not a repository"):
        from_environment(environment(tmp_path, GITHUB_REPOSITORY="octo-org"))
    with pytest.raises(ReviewsError, match="in octo-org/playbook, but GITHUB_REPOSITORY is someone/else"):
        from_environment(environment(tmp_path, GITHUB_REPOSITORY="someone/else"))
    with pytest.raises(ReviewsError, match="not an http\\(s\\) address"):
        from_environment(environment(tmp_path, GITHUB_API_URL="https://user:pw@api.github.com"))


def test_from_environment_and_list_reviews_work_together(tmp_path: Path, github: GitHubStandIn) -> None:
    api_url, repository, pull, token = from_environment(environment(tmp_path, GITHUB_API_URL=github.url))
    github.pull(REPOSITORY, NUMBER, [review("ada", "APPROVED", HEAD), review("grace", "APPROVED", OLDER)])
    result = approvers(list_reviews(api_url, repository, pull.number, token), pull.head_sha)
    assert result.logins_approved() == ["ada"]
    assert result.why_not("grace") == "approved an older commit (a1b2c3d), not the latest (ddddddd)"
