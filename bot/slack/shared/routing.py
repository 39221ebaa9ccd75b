"""The order in which Bolt tries the app's listeners (slash commands first), how each gets
the services it names, and which pool runs it (forms first).

For every request Bolt walks its listeners in the order they were added and asks each
whether it matches, building that listener's arguments to ask (tens of microseconds a
try) until one does. Slack times the `/goals` ack, so command listeners are added at once,
in the order given (the specific `/goals draft` and `/goals compare` before the general
`/goals`), and every other listener after them, in its own order, by `add_rest`.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable, Mapping
from concurrent.futures import Executor
from typing import Any

from slack_bolt import Ack, App, BoltRequest
from slack_bolt.lazy_listener.internals import build_runnable_function
from slack_bolt.lazy_listener.thread_runner import ThreadLazyListenerRunner

from bot.observe import in_request, request_kind

Register = Callable[..., object]  # what Bolt's app.action(...) returns: called with the listener


class Routes:
    """The app's listener decorators, as modules use them: `routes.action(ID)(ack=..., lazy=[...])`."""

    def __init__(self, app: App) -> None:
        self._app = app
        self._rest: list[Callable[[], object]] = []

    def command(self, *args: Any, **kwargs: Any) -> Register:
        return self._app.command(*args, **kwargs)

    def action(self, *args: Any, **kwargs: Any) -> Register:
        return self._later("action", args, kwargs)

    def view(self, *args: Any, **kwargs: Any) -> Register:
        return self._later("view", args, kwargs)

    def event(self, *args: Any, **kwargs: Any) -> Register:
        return self._later("event", args, kwargs)

    def add_rest(self) -> None:
        """Add the listeners held back, after every command listener."""
        for add in self._rest:
            add()
        self._rest.clear()

    def _later(self, kind: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Register:
        def register(*listener_args: Any, **listener_kwargs: Any) -> None:
            self._rest.append(lambda: getattr(self._app, kind)(*args, **kwargs)(*listener_args, **listener_kwargs))
        return register


OPENS_FORM = "goals_opens_form"  # set on a lazy listener that opens a form with the request's trigger_id


def opens_form(listener: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a lazy listener as bound to its request's trigger_id, which Slack honours for 3 s."""
    setattr(listener, OPENS_FORM, True)
    return listener


class FormsFirst(ThreadLazyListenerRunner):
    """Bolt's runner of lazy listeners, with a pool of its own for those that open a form:
    under load or a slow Slack, opening a form never waits behind DM updates, Home refreshes
    and notifications, whose pool may fill; a form whose trigger expired is lost to the person."""

    def __init__(self, logger: logging.Logger, executor: Executor, forms: Executor) -> None:
        super().__init__(logger, executor)
        self.forms = forms

    def start(self, function: Callable[..., None], request: BoltRequest) -> None:
        pool = self.forms if getattr(function, OPENS_FORM, False) else self.executor
        pool.submit(build_runnable_function(func=function, logger=self.logger, request=request))


def ack_only(ack: Ack) -> None:
    """The ack of a request whose answer comes from a lazy listener."""
    ack()


def bound(func: Callable[..., Any], deps: Mapping[str, object]) -> Callable[..., Any]:
    """`func` with its parameters named in `deps` filled from there, once, at registration.

    Listeners are top-level functions that name what they need (`repository`, `drafting`,
    `surfaces`) beside Bolt's own arguments, so a test calls them directly with its own.
    Bolt passes a listener the arguments its signature names, so the wrapper's signature
    names only Bolt's, and always the request's `body` and `context`: a lazy listener runs
    on a thread of Bolt's, and the log lines it writes still name the request they serve.
    """
    signature = inspect.signature(func)
    given = {name: value for name, value in deps.items() if name in signature.parameters}
    wanted = set(signature.parameters)

    def wrapper(**kwargs: Any) -> Any:
        body, context = kwargs.get("body"), kwargs.get("context")
        kind = request_kind(body) if isinstance(body, dict) else "other"
        with in_request(kind, getattr(context, "team_id", None)):
            return func(**{name: value for name, value in kwargs.items() if name in wanted}, **given)

    functools.update_wrapper(wrapper, func)  # the name: Bolt runs lazy listeners by name
    del wrapper.__wrapped__  # type: ignore[attr-defined]  # else Bolt reads func's arguments
    named = [param for name, param in signature.parameters.items() if name not in given]
    named += [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY) for name in ("body", "context")
              if name not in wanted]
    wrapper.__signature__ = signature.replace(parameters=named)  # type: ignore[attr-defined]
    return wrapper
