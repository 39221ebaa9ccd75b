"""Getting messages to people: sharing into a channel, and private notes when that fails.

A share first goes through the interaction's response_url, which posts into the channel
even where the app is not a member. That URL expires after 30 minutes and does not post
into DMs; then the app posts as itself, and if Slack says it is not in that conversation,
the person is told privately how to invite it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.goals.model import Owner
from bot.slack.shared.layout import Message, text_message

log = logging.getLogger("goals")

NOT_A_MEMBER = frozenset({"not_in_channel", "channel_not_found"})
# Slack's answers for a person Goals cannot message (left, deactivated, a bot, blocked apps).
CANNOT_DM = frozenset({"user_not_found", "cannot_dm_bot", "user_disabled", "channel_not_found",
                       "messages_tab_disabled", "not_allowed"})
Respond = Callable[..., Any]


@dataclass(frozen=True)
class Where:
    team: str
    user: str
    channel: str | None

    @property
    def is_dm(self) -> bool:
        return self.channel is not None and self.channel.startswith("D")


def private_to(owner: Owner) -> Where:
    """The person's DM with Goals: where a note for them alone goes when no channel fits."""
    return Where(team=owner.team, user=owner.user, channel=None)


def invite_note(app_name: str = "Goals") -> Message:
    return text_message(
        f"I couldn't post here: I'm not a member of this conversation. Invite me with "
        f"/invite @{app_name} (or mention @{app_name} and choose to invite), then click "
        "Share again."
    )


def share(messages: Sequence[Message], where: Where, respond: Respond | None, client: WebClient) -> str:
    """Post `messages` for everyone in `where.channel`.

    Returns how it went: 'response_url', 'app' (some or all posted as the app) or
    'not_member' (the person was told how to invite the app).
    """
    sent = 0
    if respond is not None and not where.is_dm:
        sent = _via_response_url(messages, respond)
        if sent == len(messages):
            return "response_url"
    if where.channel is None:
        tell_privately(respond, client, where, text_message("There is no channel here to share into."))
        return "not_member"
    try:
        for message in messages[sent:]:
            client.chat_postMessage(channel=where.channel, unfurl_links=False, **message.as_kwargs())
    except SlackApiError as error:
        if error.response.get("error") in NOT_A_MEMBER:
            tell_privately(respond, client, where, invite_note())
            return "not_member"
        raise
    return "app"


def taken(answer: object) -> bool:
    """Whether a response_url took a message: Bolt's `respond` returns Slack's answer, a 404
    for an expired URL included, instead of raising."""
    return getattr(answer, "status_code", 200) == 200


def _via_response_url(messages: Sequence[Message], respond: Respond) -> int:
    """How many of `messages` the response_url took before it failed (expired, or a DM)."""
    for index, message in enumerate(messages):
        try:
            answer = respond(response_type="in_channel", replace_original=False, **message.as_kwargs())
        except Exception as error:  # a dead URL is an expected way to fail
            log.info("response_url failed (%s); posting as the app", type(error).__name__)
            return index
        if not taken(answer):
            log.info("response_url answered %s; posting as the app", getattr(answer, "status_code", "?"))
            return index
    return len(messages)


def tell_privately(respond: Respond | None, client: WebClient, where: Where, message: Message) -> None:
    """An ephemeral note: through response_url, else chat.postEphemeral, else the app's DM."""
    if respond is not None:
        try:
            if taken(respond(response_type="ephemeral", replace_original=False, **message.as_kwargs())):
                return
        except Exception:
            pass
    if where.channel:
        try:
            client.chat_postEphemeral(channel=where.channel, user=where.user, **message.as_kwargs())
            return
        except SlackApiError as error:
            if error.response.get("error") not in NOT_A_MEMBER:
                raise
    client.chat_postMessage(channel=where.user, **message.as_kwargs())


def usable_respond(body: dict[str, Any], respond: Any) -> Respond | None:
    """`respond` where the payload has a response_url to answer through; else None (the Home
    tab has none, and Bolt's respond raises without one)."""
    url = body.get("response_url")
    urls = body.get("response_urls")
    has_url = isinstance(url, str) and url.startswith(("https://", "http://"))
    return respond if has_url or (isinstance(urls, list) and urls) else None


def note_in_dm(client: WebClient, owner: Owner, text: str) -> None:
    """A note for the person alone, in their DM with Goals: for work with nowhere else to
    answer (a form closed, a change made after the form was gone)."""
    tell_privately(None, client, private_to(owner), text_message(text))


def teller(body: dict[str, Any], respond: Any, client: WebClient, where: Where) -> Callable[[Message], None]:
    """Tell the person privately, as `tell_privately` does, for the request `body`."""
    reply = usable_respond(body, respond)
    return lambda message: tell_privately(reply, client, where, message)


def replace_or_tell(body: dict[str, Any], respond: Any, client: WebClient, where: Where, message: Message) -> None:
    """Show `message` in place of the clicked one; as a new private message where the
    payload has no response_url to replace it through."""
    reply = usable_respond(body, respond)
    if reply is None:
        tell_privately(None, client, where, message)
    else:
        reply(replace_original=True, **message.as_kwargs())


def tell_each(body: dict[str, Any], respond: Any, client: WebClient, where: Where,
              messages: Iterable[Message]) -> None:
    """Tell the person `messages` privately, in order (Copy as text)."""
    tell = teller(body, respond, client, where)
    for message in messages:
        tell(message)
