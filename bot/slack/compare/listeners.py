"""`/goals compare ...` and the buttons on a comparison.

The comparison rides on the command's ack, like every `/goals` answer; the stretch frame
follows as a second private message through the response_url, in a lazy listener, where it
is an ordinary frame with the usual actions (framework menu, draft, copy, share). Its menu
replaces it in place (`frames.show`), so the conversation stays those two messages. A shared
comparison's one stretch button gives the teammate who clicks it a stretch frame of their own.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.canon.repository import CanonRepository
from bot.frames.comparison import Comparison, comparison_of
from bot.grammar.requests import CompareRequest
from bot.slack.command.answers import canon_answer, command_request, compared, comparison_copy, stale_button
from bot.slack.compare.blocks import comparison_message
from bot.slack.frames.blocks import frame_message
from bot.slack.frames.copying import copy_as_text
from bot.slack.shared.delivery import replace_or_tell, teller
from bot.slack.shared.errors import guarded
from bot.slack.shared.payloads import action_value, where
from bot.slack.shared.values import CompareRef


def _request_of(command: dict[str, Any], repository: CanonRepository) -> CompareRequest | None:
    request = command_request(str(command.get("text") or ""), repository)
    return request if isinstance(request, CompareRequest) else None


def wants_compare(command: dict[str, Any], repository: CanonRepository) -> bool:
    return _request_of(command, repository) is not None


def ack_compare(ack: Ack, command: dict[str, Any], repository: CanonRepository) -> None:
    request = _request_of(command, repository)
    assert request is not None, "matched by wants_compare"
    ack(response_type="ephemeral", **canon_answer(request, repository))


@guarded
def post_stretch(command: dict[str, Any], respond: Any, repository: CanonRepository) -> None:
    request = _request_of(command, repository)
    comparison = request and comparison_of(request.lower, request.higher, request.framework, repository)
    if comparison:
        respond(response_type="ephemeral", replace_original=False, **frame_message(comparison.stretch).as_kwargs())


def _comparison_or_stale(body: dict[str, Any], respond: Any, client: WebClient,
                         repository: CanonRepository) -> tuple[CompareRef, Comparison] | None:
    ref = CompareRef.parse(action_value(body))
    comparison = compared(ref, repository) if ref else None
    if ref is None or comparison is None:
        teller(body, respond, client, where(body))(stale_button(ref))
        return None
    return ref, comparison


@guarded
def show_stretch(body: dict[str, Any], respond: Any, client: WebClient, repository: CanonRepository) -> None:
    # A new private message, not a replacement: the click came from a shared comparison,
    # which is the team's and stays as it is.
    if found := _comparison_or_stale(body, respond, client, repository):
        teller(body, respond, client, where(body))(frame_message(found[1].stretch))


@guarded
def page(body: dict[str, Any], respond: Any, client: WebClient, repository: CanonRepository) -> None:
    if found := _comparison_or_stale(body, respond, client, repository):
        ref, comparison = found
        replace_or_tell(body, respond, client, where(body), comparison_message(comparison, ref.page))


@guarded
def copy(body: dict[str, Any], respond: Any, client: WebClient, repository: CanonRepository) -> None:
    if found := _comparison_or_stale(body, respond, client, repository):
        made = comparison_copy(found[1])
        copy_as_text(body, respond, client, where(body), made.text, made.title, made.filename, made.file_text)
