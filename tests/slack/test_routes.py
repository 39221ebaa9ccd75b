"""Routes: command listeners reach Bolt before every other listener, all with what was given."""

from __future__ import annotations

import re
from typing import Any

from bot.slack.shared.routing import Routes
from support.slack_app_harness import RunningApp


class RecordingApp:
    """Stands in for Bolt's App: records each decorator call and what it was called with."""

    def __init__(self) -> None:
        self.added: list[tuple[str, tuple[Any, ...], dict[str, Any], tuple[Any, ...], dict[str, Any]]] = []

    def __getattr__(self, kind: str) -> Any:
        def decorator(*args: Any, **kwargs: Any) -> Any:
            def register(*listener_args: Any, **listener_kwargs: Any) -> None:
                self.added.append((kind, args, kwargs, listener_args, listener_kwargs))
            return register
        return decorator


def ack(**_: Any) -> None: ...
def lazy(**_: Any) -> None: ...
def wants(**_: Any) -> bool: return True


def test_commands_are_added_at_once_and_the_rest_after_them_in_order() -> None:
    app = RecordingApp()
    routes = Routes(app)  # type: ignore[arg-type]  # records instead of registering
    routes.action(re.compile("^page"))(ack=ack, lazy=[lazy])
    routes.command("/goals", matchers=[wants])(ack=ack, lazy=[lazy])
    routes.view("form")(ack=ack)
    routes.event("app_home_opened")(ack=ack, lazy=[lazy])
    routes.command("/goals")(ack)
    assert [kind for kind, *_ in app.added] == ["command", "command"]
    routes.add_rest()
    assert app.added == [
        ("command", ("/goals",), {"matchers": [wants]}, (), {"ack": ack, "lazy": [lazy]}),
        ("command", ("/goals",), {}, (ack,), {}),
        ("action", (re.compile("^page"),), {}, (), {"ack": ack, "lazy": [lazy]}),
        ("view", ("form",), {}, (), {"ack": ack}),
        ("event", ("app_home_opened",), {}, (), {"ack": ack, "lazy": [lazy]}),
    ]
    routes.add_rest()
    assert len(app.added) == 5  # each listener once


def test_the_real_app_tries_every_command_listener_first(app: RunningApp) -> None:
    # Bolt keeps its listeners, in the order it tries them, in a private list.
    kinds = ["command" if _is_command(listener) else "other" for listener in app.app._listeners]
    assert kinds.count("command") == 3 and kinds.count("other") > 10
    assert kinds == sorted(kinds)  # "command" < "other": no other listener before a command


def _is_command(listener: Any) -> bool:
    return any("command" in getattr(getattr(m, "func", None), "__qualname__", "") for m in listener.matchers)
