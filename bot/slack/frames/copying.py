"""Copy as text, for a frame, a comparison or a filled draft: the text form in private
messages, every line whole and in order; and where it cannot fit one message cleanly (more
than one message, or a line longer than a block holds), the same text as a file in the
person's DM too, byte for byte what the `goals` command prints, to download or copy exactly.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.shared.delivery import Where, tell_each, teller
from bot.slack.shared.layout import fits_cleanly, text_message, text_messages

log = logging.getLogger("goals")

NO_FILE = ("The text is above, every line whole; Goals could not also send it as a file just now "
           "(Slack said {error}).")


def copy_as_text(body: dict[str, Any], respond: Any, client: WebClient, where: Where, text: str, title: str,
                 filename: str, file_text: str) -> None:
    """`text` as messages; `file_text` (the `goals` command's output) as `filename` too, where
    the messages could not hold `text` cleanly in one."""
    messages = text_messages(text, title=title)
    tell_each(body, respond, client, where, messages)
    if fits_cleanly(text, messages):
        return
    try:
        channel = str(client.conversations_open(users=where.user)["channel"]["id"])
        client.files_upload_v2(channel=channel, content=file_text.encode("utf-8"), filename=filename, title=title,
                               initial_comment="The same text as a file, exactly as the goals command prints it.")
    except SlackApiError as error:  # an install from before files:write, a DM Slack refuses
        said = str(error.response.get("error"))
        log.info("could not send the copy as a file (%s)", said)
        teller(body, respond, client, where)(text_message(NO_FILE.format(error=said)))
