"""`/goals compare ...` and the buttons on a comparison.

The comparison rides on the command's ack, like every `/goals` answer; the stretch frame
follows as a second private message through the response_url, in a lazy listener, where it
is an ordinary frame with the usual buttons (switch, draft, copy, share).
"""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.canon.repository import CanonRepository
from bot.frames.comparison import Comparison, comparison_of
from bot.grammar.parse import CompareRequest
from bot.slack.answers import canon_answer, command_request, compared, comparison_copy_messages, stale_button
from bot.slack.comparison_blocks import (
    COPY_ACTION,
    PAGE_ACTION,
    SHARE_ACTION,
    STRETCH_ACTION,
    CompareRef,
    comparison_message,
    shared_comparison_messages,
)
from bot.slack.errors import guarded
from bot.slack.frame_blocks import frame_message
from bot.slack.listeners.actions import ack_only, action_value, replace_or_tell, share_as_clicker, tell_each, teller
from bot.slack.listeners.routes import Routes

COMMAND = "/goals"


def register(routes: Routes, repository: CanonRepository) -> None:
    def request_of(command: dict[str, Any]) -> CompareRequest | None:
        request = command_request(str(command.get("text") or ""), repository)
        return request if isinstance(request, CompareRequest) else None

    def wants_compare(command: dict[str, Any]) -> bool:
        return request_of(command) is not None

    def ack_compare(ack: Ack, command: dict[str, Any]) -> None:
        request = request_of(command)
        assert request is not None, "matched by wants_compare"
        ack(response_type="ephemeral", **canon_answer(request, repository))

    @guarded
    def post_stretch(command: dict[str, Any], respond: Any) -> None:
        request = request_of(command)
        comparison = request and comparison_of(request.lower, request.higher, request.framework, repository)
        if comparison:
            respond(response_type="ephemeral", replace_original=False,
                    **frame_message(comparison.stretch).as_kwargs())

    def comparison_or_stale(body: dict[str, Any], respond: Any, client: WebClient,
                            ) -> tuple[CompareRef, Comparison] | None:
        ref = CompareRef.parse(action_value(body))
        comparison = compared(ref, repository) if ref else None
        if ref is None or comparison is None:
            teller(body, respond, client)(stale_button(ref))
            return None
        return ref, comparison

    @guarded
    def show_stretch(body: dict[str, Any], respond: Any, client: WebClient) -> None:
        if found := comparison_or_stale(body, respond, client):
            teller(body, respond, client)(frame_message(found[1].stretch))

    @guarded
    def page(body: dict[str, Any], respond: Any, client: WebClient) -> None:
        if found := comparison_or_stale(body, respond, client):
            ref, comparison = found
            replace_or_tell(body, respond, client, comparison_message(comparison, ref.page))

    @guarded
    def copy(body: dict[str, Any], respond: Any, client: WebClient) -> None:
        if found := comparison_or_stale(body, respond, client):
            tell_each(body, respond, client, comparison_copy_messages(found[1]))

    @guarded
    def share_comparison(body: dict[str, Any], respond: Any, client: WebClient) -> None:
        if found := comparison_or_stale(body, respond, client):
            comparison = found[1]
            share_as_clicker(body, respond, client, lambda user: shared_comparison_messages(comparison, user))

    routes.command(COMMAND, matchers=[wants_compare])(ack=ack_compare, lazy=[post_stretch])
    routes.action(re.compile(f"^{STRETCH_ACTION}"))(ack=ack_only, lazy=[show_stretch])
    routes.action(re.compile(f"^{PAGE_ACTION}"))(ack=ack_only, lazy=[page])
    routes.action(COPY_ACTION)(ack=ack_only, lazy=[copy])
    routes.action(SHARE_ACTION)(ack=ack_only, lazy=[share_comparison])
