"""The Slack stand-in, exercised through the real slack_sdk clients."""

from __future__ import annotations

import json
import threading
import time
from http.client import RemoteDisconnected
from urllib.error import URLError

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.webhook import WebhookClient

# tests/ has no __init__.py, so pytest (rootdir "prepend" mode) puts tests/ on sys.path.
from support.slack_standin import DROPPED, SlackStandIn

TOKEN = "xoxb-test"
BLOCKS = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Goal* saved"}}]



@pytest.fixture
def client(slack: SlackStandIn) -> WebClient:
    return WebClient(token=TOKEN, base_url=slack.api_url)


def test_api_url_has_the_shape_webclient_expects(slack: SlackStandIn) -> None:
    assert WebClient.BASE_URL == "https://slack.com/api/"
    assert slack.api_url == f"{slack.base_url}/api/"
    assert slack.base_url.startswith("http://127.0.0.1:")


def test_post_message_is_recorded_with_blocks_decoded(
    slack: SlackStandIn, client: WebClient
) -> None:
    resp = client.chat_postMessage(channel="C123", text="saved", blocks=BLOCKS)

    call = slack.last("chat.postMessage")
    assert call.path == "/api/chat.postMessage"
    assert call.status == 200
    assert call.body["channel"] == "C123"
    assert call.body["blocks"] == BLOCKS
    assert resp["channel"] == "C123"
    assert resp["message"]["blocks"] == BLOCKS
    assert resp["message"]["text"] == "saved"


def test_blocks_sent_as_json_strings_in_a_form_are_decoded(
    slack: SlackStandIn, client: WebClient
) -> None:
    client.api_call(
        "chat.postMessage", params={"channel": "C1", "blocks": json.dumps(BLOCKS)}
    )

    call = slack.last("chat.postMessage")
    assert call.headers["content-type"] == "application/x-www-form-urlencoded"
    assert call.body["blocks"] == BLOCKS


def test_token_is_only_in_the_authorization_header(
    slack: SlackStandIn, client: WebClient
) -> None:
    client.users_info(user="U1")  # sent form-encoded
    client.chat_postMessage(channel="C1", text="hi")  # sent as JSON

    for call in slack.calls():
        assert call.headers["authorization"] == f"Bearer {TOKEN}"
        assert TOKEN not in repr(call.body)


def test_timestamps_and_view_ids_are_unique_and_increasing(client: WebClient) -> None:
    ts = [client.chat_postMessage(channel="C1", text=str(i))["ts"] for i in range(3)]
    assert ts == sorted(ts, key=float) and len(set(ts)) == 3

    view = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Goal"},
        "blocks": BLOCKS,
    }
    opened = client.views_open(trigger_id="123.456", view=view)["view"]
    pushed = client.views_push(trigger_id="123.456", view=view)["view"]
    assert opened["id"].startswith("V") and opened["id"] != pushed["id"]
    assert opened["title"] == view["title"] and opened["hash"]
    assert (
        client.views_update(view_id=opened["id"], view=view)["view"]["id"]
        == opened["id"]
    )


def test_other_canned_answers(slack: SlackStandIn, client: WebClient) -> None:
    auth = client.auth_test()
    assert (auth["user_id"], auth["bot_id"], auth["team_id"]) == (
        "UBOT",
        "BBOT",
        "T0001",
    )
    assert client.conversations_open(users="U42")["channel"]["id"] == "DU42"
    assert client.chat_postEphemeral(channel="C1", user="U1", text="psst")["message_ts"]
    updated = client.chat_update(channel="C1", ts="1.2", text="new")
    assert (updated["channel"], updated["ts"], updated["text"]) == ("C1", "1.2", "new")
    assert client.chat_delete(channel="C1", ts="1.2")["ok"]
    assert client.api_call("reactions.add", json={"name": "tada"})["ok"]


def test_users_info_timezone_is_configurable(
    slack: SlackStandIn, client: WebClient
) -> None:
    assert client.users_info(user="U1")["user"]["tz"] == "Europe/Berlin"

    slack.set_user_tz("U2", "America/New_York")
    user = client.users_info(user="U2")["user"]
    assert (user["id"], user["tz"]) == ("U2", "America/New_York")
    assert user["tz_offset"] in (-5 * 3600, -4 * 3600)


def test_fail_raises_slack_api_error_once(
    slack: SlackStandIn, client: WebClient
) -> None:
    slack.fail("chat.postMessage", error="not_in_channel")

    with pytest.raises(SlackApiError) as err:
        client.chat_postMessage(channel="C1", text="x")
    assert err.value.response["error"] == "not_in_channel"

    assert client.chat_postMessage(channel="C1", text="x")["ok"]
    assert [c.method for c in slack.calls()] == ["chat.postMessage"] * 2


def test_rate_limit_is_retried_by_the_sdk_handler(slack: SlackStandIn) -> None:
    slack.rate_limit("chat.postMessage", retry_after=0)
    client = WebClient(token=TOKEN, base_url=slack.api_url)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=1))

    assert client.chat_postMessage(channel="C1", text="x")["ok"]

    assert [c.status for c in slack.calls("chat.postMessage")] == [429, 200]


def test_rate_limit_without_retry_handler_surfaces_429(
    slack: SlackStandIn, client: WebClient
) -> None:
    slack.rate_limit("users.info", retry_after=7)

    with pytest.raises(SlackApiError) as err:
        client.users_info(user="U1")
    assert err.value.response.status_code == 429
    assert err.value.response.headers["Retry-After"] == "7"
    assert err.value.response["error"] == "ratelimited"


def test_server_error(slack: SlackStandIn, client: WebClient) -> None:
    slack.server_error("views.publish", status=503)

    with pytest.raises(SlackApiError) as err:
        client.views_publish(user_id="U1", view={"type": "home", "blocks": []})
    assert err.value.response.status_code == 503
    assert slack.last("views.publish").status == 503
    assert client.views_publish(user_id="U1", view={"type": "home", "blocks": []})["ok"]


def test_delay_holds_the_answer(slack: SlackStandIn) -> None:
    slack.delay("auth.test", 0.3)
    # slack_sdk types timeout as int, but urllib takes fractions of a second.
    client = WebClient(token=TOKEN, base_url=slack.api_url, timeout=0.1)  # type: ignore[arg-type]

    with pytest.raises(TimeoutError):
        client.auth_test()
    assert slack.last("auth.test")


def test_drop_closes_the_connection_without_an_answer(slack: SlackStandIn) -> None:
    slack.drop("chat.postMessage")
    client = WebClient(token=TOKEN, base_url=slack.api_url, retry_handlers=[])

    with pytest.raises(RemoteDisconnected):
        client.chat_postMessage(channel="C1", text="x")
    assert slack.last("chat.postMessage").status == DROPPED
    assert client.chat_postMessage(channel="C1", text="x")["ok"]


def test_wait_for_sees_calls_from_another_thread(
    slack: SlackStandIn, client: WebClient
) -> None:
    def later() -> None:
        time.sleep(0.1)
        client.chat_postMessage(channel="C1", text="done")

    threading.Thread(target=later).start()

    calls = slack.wait_for("chat.postMessage", timeout=2)
    assert calls[0].body["text"] == "done"


def test_wait_for_and_last_report_what_was_seen(
    slack: SlackStandIn, client: WebClient
) -> None:
    client.auth_test()

    with pytest.raises(AssertionError, match=r"chat\.update.*auth\.test"):
        slack.wait_for("chat.update", timeout=0.1)
    with pytest.raises(AssertionError, match=r"auth\.test"):
        slack.last("chat.update")


def test_reset_forgets_calls_and_scripts(
    slack: SlackStandIn, client: WebClient
) -> None:
    client.auth_test()
    slack.fail("auth.test")

    slack.reset()

    assert slack.calls() == []
    assert client.auth_test()["ok"]


def test_response_url_posts_are_recorded(slack: SlackStandIn) -> None:
    resp = WebhookClient(slack.response_url("r1")).send(
        text="hello", replace_original=True
    )

    assert (resp.status_code, resp.body) == (200, "ok")
    call = slack.last("response_url")
    assert "r1" in call.path
    assert call.body == {"text": "hello", "replace_original": True}


def test_expired_response_url_answers_404(slack: SlackStandIn) -> None:
    slack.expire_response_url("old")

    resp = WebhookClient(slack.response_url("old")).send(text="too late")

    assert (resp.status_code, resp.body) == (404, "expired_url")
    assert slack.last("response_url").status == 404
    assert WebhookClient(slack.response_url("fresh")).send(text="ok").status_code == 200


def test_server_stops_on_exit() -> None:
    with SlackStandIn() as slack:
        url = slack.api_url
    with pytest.raises(URLError):  # connection refused
        WebClient(token=TOKEN, base_url=url, timeout=1, retry_handlers=[]).auth_test()
