"""A Streamlit client without a browser: it speaks the server's own websocket protocol (/_stcore/stream),
so one process can play fifty panel members against a real `streamlit run`.

What a browser does, this does: send a `rerun_script` BackMsg with the page and every widget's current
value, then read ForwardMsgs until `script_finished`. It keeps the elements the run drew, finds widgets by
their label, and sends a click as a trigger, together with the form's fields when the button submits a
form, exactly as the frontend batches them.

Timing honesty: Linux delays an ACK by up to 40 ms, and a sender waiting for one (Nagle) then stalls. A
browser's traffic rarely meets that, a naive client meets it on every rerun, so each socket here has
TCP_NODELAY and re-arms TCP_QUICKACK after every read (Linux clears it by itself). The time measured is
from sending the rerun to reading `script_finished`: the server's script run plus a loopback round trip.
"""

from __future__ import annotations

import contextlib
import socket
import time
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.exceptions import WebSocketException
from websockets.sync.client import ClientConnection, connect

from bench import BenchError

_FINISHED = ForwardMsg.ScriptFinishedStatus
_QUICKACK = getattr(socket, "TCP_QUICKACK", None)  # Linux only; elsewhere delayed ACK is left alone

# Elements that are widgets, and the WidgetState field each one's value travels in.
_VALUE_FIELDS = {
    "text_input": "string_value", "text_area": "string_value", "radio": "string_value",
    "selectbox": "string_value", "date_input": "string_array_value", "checkbox": "bool_value",
    "multiselect": "string_array_value", "number_input": "double_value",
}


class ClientError(BenchError):
    """The server could not be reached, closed the connection, or a run did not finish in time."""


class QuickAckSocket(socket.socket):
    """A TCP socket that acknowledges every read at once (see the module docstring for why)."""

    def recv(self, bufsize: int, flags: int = 0, /) -> bytes:
        data = super().recv(bufsize, flags)
        if _QUICKACK is not None:
            with contextlib.suppress(OSError):
                self.setsockopt(socket.IPPROTO_TCP, _QUICKACK, 1)
        return data


def open_socket(host: str, port: int, timeout: float) -> QuickAckSocket:
    sock = QuickAckSocket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.settimeout(timeout)
    try:
        sock.connect((host, port))
    except OSError:
        sock.close()
        raise
    return sock


@dataclass
class Widget:
    """One widget the last run drew: enough to find it by label and send a value the server accepts."""

    kind: str
    id: str
    label: str
    form_id: str
    options: tuple[str, ...] = ()
    is_form_submitter: bool = False
    fragment_id: str = ""  # a widget in a fragment reruns only that fragment, as in the browser


@dataclass
class RunResult:
    """What one rerun took and showed."""

    elapsed_ms: float
    status: str
    texts: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    fragment_ids: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.texts)


def _element_text(element: Element) -> str | None:
    kind = element.WhichOneof("type")
    if kind == "markdown":
        return element.markdown.body
    if kind == "heading":
        return element.heading.body
    if kind == "alert":
        return element.alert.body
    if kind == "text":
        return element.text.body
    if kind == "exception":
        return f"{element.exception.type}: {element.exception.message}"
    return None


class StreamlitSession:
    """One browser tab: a websocket session with its widget values, driven run by run."""

    def __init__(self, base_url: str, *, timeout: float = 60.0) -> None:
        parsed = urllib.parse.urlsplit(base_url)
        self.host = parsed.hostname or "127.0.0.1"
        self.port = parsed.port or 80
        self.timeout = timeout
        self.widgets: dict[tuple[int, ...], Widget] = {}
        self.values: dict[str, WidgetState] = {}
        self.page = ""
        self.menu: dict[str, str] = {}  # url path -> title of the pages in the menu ("" is the default page)
        self.last: RunResult | None = None
        self._connection: ClientConnection | None = None

    # --- Connecting -------------------------------------------------------------------------------------

    def connect(self) -> StreamlitSession:
        try:
            sock = open_socket(self.host, self.port, self.timeout)
            self._connection = connect(f"ws://{self.host}:{self.port}/_stcore/stream", sock=sock,
                                       subprotocols=["streamlit"], compression=None, max_size=None,
                                       proxy=None, ping_interval=None, open_timeout=self.timeout,
                                       close_timeout=2, legacy=True)
        except (OSError, WebSocketException) as error:
            raise ClientError(f"cannot open a Streamlit session at {self.host}:{self.port}: {error}") from error
        return self

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def __enter__(self) -> StreamlitSession:
        return self.connect() if self._connection is None else self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # --- Runs -------------------------------------------------------------------------------------------

    def open_page(self, url_path: str) -> RunResult:
        """Go to a page as the address bar would; widget values of the old page are dropped."""
        self.page = url_path
        self.values = {}
        return self._run(page_name=url_path)

    def rerun(self, *, fragment_id: str = "") -> RunResult:
        """The page again with the current values (a fragment's own timer when fragment_id is given)."""
        return self._run(page_name=self.page, fragment_id=fragment_id)

    def find(self, label: str, *, kind: str | None = None, contains: bool = False) -> Widget:
        for widget in self.widgets.values():
            if (kind is None or widget.kind == kind) and (
                    label in widget.label if contains else widget.label == label):
                return widget
        shown = sorted({f"{w.kind} {w.label!r}" for w in self.widgets.values()})
        raise ClientError(f"no {kind or 'widget'} labelled {label!r} on {self.page!r}; it shows {shown}")

    def set_value(self, label: str, value: Any, *, kind: str | None = None) -> Widget:
        """Type, tick or choose, as a person would; sent with the next run (or the form's submit)."""
        widget = self.find(label, kind=kind)
        state = WidgetState(id=widget.id)
        value_field = _VALUE_FIELDS.get(widget.kind)
        if value_field is None:
            raise ClientError(f"the bench cannot set a {widget.kind} ({label!r})")
        if widget.kind in ("radio", "selectbox") and value not in widget.options:
            raise ClientError(f"{value!r} is not one of {label!r}'s options {list(widget.options)}")
        if value_field == "string_array_value":
            state.string_array_value.data.extend(list(value))
        else:
            setattr(state, value_field, value)
        self.values[widget.id] = state
        return widget

    def click(self, label: str, *, contains: bool = False) -> RunResult:
        """Press a button: its trigger plus every current value (a form's fields included)."""
        button = self.find(label, kind="button", contains=contains)
        trigger = WidgetState(id=button.id, trigger_value=True)
        return self._run(page_name=self.page, fragment_id=button.fragment_id, extra=[trigger])

    def _run(self, *, page_name: str, fragment_id: str = "", extra: Sequence[WidgetState] = ()) -> RunResult:
        if self._connection is None:
            self.connect()
        states = [s for s in self.values.values()] + list(extra)
        message = BackMsg(rerun_script=ClientState(page_name=page_name, fragment_id=fragment_id,
                                                   is_auto_rerun=bool(fragment_id) and not extra))
        message.rerun_script.widget_states.widgets.extend(states)
        started = time.perf_counter()
        self._send(message)
        result = self._read_until_finished(started, fragment=bool(fragment_id))
        self.last = result
        return result

    def _send(self, message: BackMsg) -> None:
        assert self._connection is not None
        try:
            self._connection.send(message.SerializeToString())
        except (OSError, WebSocketException) as error:
            raise ClientError(f"the server closed the session: {error}") from error

    def _receive(self, deadline: float) -> ForwardMsg:
        assert self._connection is not None
        try:
            data = self._connection.recv(timeout=max(0.0, deadline - time.perf_counter()))
        except TimeoutError as error:
            raise ClientError(f"{self.page!r} did not finish within {self.timeout:.0f} s") from error
        except (OSError, WebSocketException) as error:
            raise ClientError(f"the server closed the session on {self.page!r}: {error}") from error
        message = ForwardMsg()
        message.ParseFromString(data)  # type: ignore[arg-type]  # websockets may hand str; a frame here is bytes
        return message

    def _read_until_finished(self, started: float, *, fragment: bool) -> RunResult:
        deadline = started + self.timeout
        result = RunResult(elapsed_ms=0.0, status="")
        if not fragment:
            self.widgets = {}
        while True:
            message = self._receive(deadline)
            kind = message.WhichOneof("type")
            if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                self._keep(tuple(message.metadata.delta_path), message.delta.new_element, result,
                           message.delta.fragment_id)
            elif kind == "auto_rerun" and message.auto_rerun.fragment_id:
                result.fragment_ids.append(message.auto_rerun.fragment_id)
            elif kind == "script_finished":
                status = message.script_finished
                if status == _FINISHED.FINISHED_EARLY_FOR_RERUN:
                    self.widgets = {} if not fragment else self.widgets
                    continue  # the script asked for st.rerun(): the server starts the next run itself
                result.status = _FINISHED.Name(status)
                result.elapsed_ms = (time.perf_counter() - started) * 1000
                return result
            elif kind == "navigation":
                self.menu = {("" if page.is_default else page.url_pathname): page.page_name
                             for page in message.navigation.app_pages if not page.is_hidden}
            elif kind == "page_not_found":
                result.errors.append(f"page not found: {message.page_not_found.page_name}")

    def _keep(self, path: tuple[int, ...], element: Element, result: RunResult, fragment_id: str) -> None:
        text = _element_text(element)
        if text is not None:
            result.texts.append(text)
            if element.WhichOneof("type") == "exception" or (
                    element.WhichOneof("type") == "alert" and element.alert.format == element.alert.ERROR):
                result.errors.append(text)
        widget = _widget(element)
        if widget is not None:
            widget.fragment_id = fragment_id
            self.widgets[path] = widget


def sign_in_to_app(base_url: str, username: str, password: str) -> StreamlitSession:
    """A session signed in to the panel app through its form (Username, Password, Login), on its Home page."""
    session = StreamlitSession(base_url, timeout=120).connect()
    session.open_page("")
    session.set_value("Username", username)
    session.set_value("Password", password)
    result = session.click("Login")
    if not result.errors:
        result = session.open_page("")  # a browser reruns once the cookie is set
    if result.errors or "sign-in" in session.menu or not session.menu:
        session.close()
        raise ClientError(f"{username} could not sign in at {base_url}: {'; '.join(result.errors) or 'no menu'}")
    return session


def _widget(element: Element) -> Widget | None:
    kind = element.WhichOneof("type")
    if kind not in _VALUE_FIELDS and kind != "button":
        return None
    proto = getattr(element, kind)
    options: tuple[str, ...] = tuple(getattr(proto, "options", ()) or ())
    return Widget(kind=kind, id=proto.id, label=proto.label, form_id=getattr(proto, "form_id", ""),
                  options=options, is_form_submitter=bool(getattr(proto, "is_form_submitter", False)))
