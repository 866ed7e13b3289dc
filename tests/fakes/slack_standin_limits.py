"""Block Kit limits that real Slack enforces, as used by the Slack stand-in.

One checker serves messages (chat.*, response URLs) and views (modals, home tabs).
Every problem is reported the way Slack words it in ``response_metadata.messages``:
``"[ERROR] <what> [json-pointer:<where>]"``.
"""

from __future__ import annotations

from typing import Any, Literal

Surface = Literal["message", "modal", "home"]

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_MESSAGE_TEXT = 40_000
MAX_TEXT_OBJECT = 3_000
MAX_FIELDS = 10
MAX_FIELD_TEXT = 2_000
MAX_HEADER_TEXT = 150
MAX_MODAL_TITLE = 24
MAX_ID = 255
MAX_OPTIONS = 100
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150
MAX_PRIVATE_METADATA = 3_000

BLOCK_TYPES = frozenset(
    {"section", "header", "divider", "context", "actions", "input", "image", "rich_text", "file"}
)
_TEXT_TYPES = ("plain_text", "mrkdwn")
_SELECTS = frozenset({"static_select", "multi_static_select"})
_OPTION_LIMITS = {"overflow": 5, "checkboxes": 10, "radio_buttons": 10}


def _option_key(option: Any) -> tuple[Any, Any]:
    """Options match on value and text (``emoji`` and such may differ)."""
    if not isinstance(option, dict):
        return (None, None)
    text = option.get("text")
    return option.get("value"), text.get("text") if isinstance(text, dict) else text


class _Checker:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def err(self, ptr: str, msg: str) -> None:
        line = f"[ERROR] {msg} [json-pointer:{ptr}]"
        if line not in self.errors:
            self.errors.append(line)

    def max_len(self, value: Any, limit: int, ptr: str) -> None:
        if isinstance(value, str) and len(value) > limit:
            self.err(ptr, f"must be less than {limit + 1} characters")

    def text_obj(
        self,
        obj: Any,
        ptr: str,
        *,
        limit: int = MAX_TEXT_OBJECT,
        plain: bool = False,
        required: bool = True,
    ) -> None:
        if obj is None:
            if required:
                self.err(ptr, "missing required field")
            return
        if not isinstance(obj, dict) or obj.get("type") not in _TEXT_TYPES:
            self.err(ptr, "must be a text object (plain_text or mrkdwn)")
            return
        if plain and obj["type"] != "plain_text":
            self.err(f"{ptr}/type", "must be plain_text")
        text = obj.get("text")
        if not isinstance(text, str) or not text:
            self.err(f"{ptr}/text", "must be more than 0 characters")
        else:
            self.max_len(text, limit, f"{ptr}/text")

    def walk_text_objects(self, node: Any, ptr: str) -> None:
        """Every text object anywhere: non-empty string of at most 3,000 characters."""
        if isinstance(node, dict):
            if node.get("type") in _TEXT_TYPES and "text" in node:
                self.text_obj(node, ptr)
            for key, value in node.items():
                self.walk_text_objects(value, f"{ptr}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                self.walk_text_objects(value, f"{ptr}/{i}")

    # -- blocks ---------------------------------------------------------------------------
    def blocks(self, blocks: Any, ptr: str, surface: Surface) -> None:
        if not isinstance(blocks, list):
            self.err(ptr, "must be an array")
            return
        limit = MAX_MESSAGE_BLOCKS if surface == "message" else MAX_VIEW_BLOCKS
        if len(blocks) > limit:
            self.err(ptr, f"no more than {limit} items allowed")
        seen: set[str] = set()
        for i, block in enumerate(blocks):
            self.block(block, f"{ptr}/{i}", surface, seen)
        self.walk_text_objects(blocks, ptr)

    def block(self, block: Any, ptr: str, surface: Surface, seen: set[str]) -> None:
        if not isinstance(block, dict):
            self.err(ptr, "must be an object")
            return
        btype = block.get("type")
        if btype not in BLOCK_TYPES:
            self.err(f"{ptr}/type", f"unsupported block type {btype!r}")
            return
        if btype == "input" and surface == "message":
            self.err(ptr, "input blocks are only allowed in modals and home tabs")
        bid = block.get("block_id")
        if bid is not None:
            if not isinstance(bid, str) or not bid:
                self.err(f"{ptr}/block_id", "must be a non-empty string")
            elif len(bid) > MAX_ID:
                self.max_len(bid, MAX_ID, f"{ptr}/block_id")
            elif bid in seen:
                self.err(f"{ptr}/block_id", f"duplicate block_id {bid!r}")
            else:
                seen.add(bid)
        getattr(self, f"_block_{btype}", lambda b, p: None)(block, ptr)

    def _block_section(self, b: dict[str, Any], ptr: str) -> None:
        if b.get("text") is None and b.get("fields") is None:
            self.err(ptr, "must provide either text or fields")
        self.text_obj(b.get("text"), f"{ptr}/text", required=False)
        fields = b.get("fields")
        if fields is not None:
            if not isinstance(fields, list) or not fields:
                self.err(f"{ptr}/fields", "must be a non-empty array")
            else:
                if len(fields) > MAX_FIELDS:
                    self.err(f"{ptr}/fields", f"no more than {MAX_FIELDS} items allowed")
                for i, f in enumerate(fields):
                    self.text_obj(f, f"{ptr}/fields/{i}", limit=MAX_FIELD_TEXT)
        if b.get("accessory") is not None:
            self.element(b["accessory"], f"{ptr}/accessory")

    def _block_header(self, b: dict[str, Any], ptr: str) -> None:
        self.text_obj(b.get("text"), f"{ptr}/text", limit=MAX_HEADER_TEXT, plain=True)

    def _block_context(self, b: dict[str, Any], ptr: str) -> None:
        elements = b.get("elements")
        if not isinstance(elements, list) or not elements or len(elements) > 10:
            self.err(f"{ptr}/elements", "must be an array of 1 to 10 items")

    def _block_actions(self, b: dict[str, Any], ptr: str) -> None:
        elements = b.get("elements")
        if not isinstance(elements, list) or not elements or len(elements) > 25:
            self.err(f"{ptr}/elements", "must be an array of 1 to 25 items")
            return
        action_ids: set[str] = set()
        for i, el in enumerate(elements):
            self.element(el, f"{ptr}/elements/{i}")
            aid = el.get("action_id") if isinstance(el, dict) else None
            if isinstance(aid, str):
                if aid in action_ids:
                    self.err(f"{ptr}/elements/{i}/action_id", f"duplicate action_id {aid!r}")
                action_ids.add(aid)

    def _block_input(self, b: dict[str, Any], ptr: str) -> None:
        self.text_obj(b.get("label"), f"{ptr}/label", limit=2_000, plain=True)
        self.text_obj(b.get("hint"), f"{ptr}/hint", limit=2_000, plain=True, required=False)
        if b.get("element") is None:
            self.err(f"{ptr}/element", "missing required field")
        else:
            self.element(b["element"], f"{ptr}/element")

    def _block_image(self, b: dict[str, Any], ptr: str) -> None:
        if not b.get("image_url") and not b.get("slack_file"):
            self.err(ptr, "must provide either image_url or slack_file")
        if not isinstance(b.get("alt_text"), str) or not b["alt_text"]:
            self.err(f"{ptr}/alt_text", "missing required field")
        self.max_len(b.get("alt_text"), 2_000, f"{ptr}/alt_text")
        self.text_obj(b.get("title"), f"{ptr}/title", limit=2_000, plain=True, required=False)

    def _block_rich_text(self, b: dict[str, Any], ptr: str) -> None:
        if not isinstance(b.get("elements"), list):
            self.err(f"{ptr}/elements", "missing required field")

    # -- elements -------------------------------------------------------------------------
    def element(self, el: Any, ptr: str) -> None:
        if not isinstance(el, dict) or not isinstance(el.get("type"), str):
            self.err(ptr, "must be a block element with a type")
            return
        etype = el["type"]
        aid = el.get("action_id")
        if aid is not None and (not isinstance(aid, str) or not aid or len(aid) > MAX_ID):
            self.err(f"{ptr}/action_id", f"must be a string of 1 to {MAX_ID} characters")
        self.text_obj(
            el.get("placeholder"), f"{ptr}/placeholder", limit=150, plain=True, required=False
        )
        if etype == "button":
            self.text_obj(el.get("text"), f"{ptr}/text", limit=75, plain=True)
            self.max_len(el.get("value"), 2_000, f"{ptr}/value")
            self.max_len(el.get("url"), 3_000, f"{ptr}/url")
        elif etype == "plain_text_input":
            max_length = el.get("max_length")
            if isinstance(max_length, int) and not 1 <= max_length <= 3_000:
                self.err(f"{ptr}/max_length", "must be between 1 and 3000")
            limit = max_length if isinstance(max_length, int) else 3_000
            self.max_len(el.get("initial_value"), limit, f"{ptr}/initial_value")
        if etype in _SELECTS or etype in _OPTION_LIMITS:
            self._options(el, ptr, etype)

    def _options(self, el: dict[str, Any], ptr: str, etype: str) -> None:
        limit = _OPTION_LIMITS.get(etype, MAX_OPTIONS)
        options: list[Any] = []
        if isinstance(el.get("option_groups"), list) and etype in _SELECTS:
            groups = el["option_groups"]
            if len(groups) > MAX_OPTIONS:
                self.err(f"{ptr}/option_groups", f"no more than {MAX_OPTIONS} items allowed")
            for g, group in enumerate(groups):
                opts = group.get("options") if isinstance(group, dict) else None
                self._option_list(opts, f"{ptr}/option_groups/{g}/options", limit, etype)
                options.extend(opts if isinstance(opts, list) else [])
        else:
            self._option_list(el.get("options"), f"{ptr}/options", limit, etype)
            options = el["options"] if isinstance(el.get("options"), list) else []
        known = {_option_key(o) for o in options}
        initial = el.get("initial_option")
        if initial is not None and _option_key(initial) not in known:
            self.err(f"{ptr}/initial_option", "must match one of the provided options")
        for i, opt in enumerate(el.get("initial_options") or []):
            if _option_key(opt) not in known:
                self.err(f"{ptr}/initial_options/{i}", "must match one of the provided options")

    def _option_list(self, opts: Any, ptr: str, limit: int, etype: str) -> None:
        if not isinstance(opts, list) or not opts:
            self.err(ptr, "must be a non-empty array")
            return
        if len(opts) > limit:
            self.err(ptr, f"no more than {limit} items allowed")
        plain = etype in _SELECTS or etype == "overflow"
        for i, opt in enumerate(opts):
            if not isinstance(opt, dict):
                self.err(f"{ptr}/{i}", "must be an option object")
                continue
            self.text_obj(opt.get("text"), f"{ptr}/{i}/text", limit=MAX_OPTION_TEXT, plain=plain)
            value = opt.get("value")
            if not isinstance(value, str) or not value:
                self.err(f"{ptr}/{i}/value", "missing required field")
            self.max_len(value, MAX_OPTION_VALUE, f"{ptr}/{i}/value")


def check_blocks(blocks: Any, surface: Surface, ptr: str = "/blocks") -> list[str]:
    """Problems with a list of blocks on the given surface (empty list = fine)."""
    checker = _Checker()
    checker.blocks(blocks, ptr, surface)
    return checker.errors


def check_message(
    text: Any, blocks: Any, *, attachments: Any = None
) -> tuple[str, list[str]] | None:
    """Slack's error code and messages for a message payload, or ``None`` if it's accepted."""
    if isinstance(text, str) and len(text) > MAX_MESSAGE_TEXT:
        return "msg_too_long", [
            f"[ERROR] must be less than {MAX_MESSAGE_TEXT + 1} characters [json-pointer:/text]"
        ]
    if blocks is not None:
        errors = check_blocks(blocks, "message")
        if errors:
            return "invalid_blocks", errors
    if not text and not blocks and not attachments:
        return "no_text", []
    return None


def check_view(view: Any, surface: Literal["modal", "home"], ptr: str = "/view") -> list[str]:
    """Problems with a modal or home-tab view object (empty list = fine)."""
    checker = _Checker()
    if not isinstance(view, dict):
        checker.err(ptr, "must be an object")
        return checker.errors
    if view.get("type") != surface:
        checker.err(f"{ptr}/type", f"must be {surface!r}")
    if surface == "modal":
        checker.text_obj(view.get("title"), f"{ptr}/title", limit=MAX_MODAL_TITLE, plain=True)
        for key in ("submit", "close"):
            checker.text_obj(
                view.get(key), f"{ptr}/{key}", limit=MAX_MODAL_TITLE, plain=True, required=False
            )
        blocks = view.get("blocks")
        has_input = isinstance(blocks, list) and any(
            isinstance(b, dict) and b.get("type") == "input" for b in blocks
        )
        if has_input and view.get("submit") is None:
            checker.err(f"{ptr}/submit", "must provide submit when blocks contain an input block")
    checker.blocks(view.get("blocks"), f"{ptr}/blocks", surface)
    checker.max_len(view.get("private_metadata"), MAX_PRIVATE_METADATA, f"{ptr}/private_metadata")
    checker.max_len(view.get("callback_id"), MAX_ID, f"{ptr}/callback_id")
    checker.max_len(view.get("external_id"), MAX_ID, f"{ptr}/external_id")
    return checker.errors


# -- request-level checks shared by the stand-in's methods ---------------------------------
class ApiError(Exception):
    """A Slack Web API error: HTTP 200 with ``{"ok": false, "error": ...}``."""

    def __init__(self, error: str, messages: list[str] | None = None) -> None:
        super().__init__(error)
        self.error = error
        self.messages = messages or []

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": False, "error": self.error}
        if self.messages:
            body["response_metadata"] = {"messages": self.messages}
        return body


def flag(value: Any) -> bool | None:
    """A boolean argument as Slack reads it from JSON or form fields."""
    if value is None or isinstance(value, bool):
        return value
    return str(value).lower() in ("1", "true")


def param(params: dict[str, Any], key: str) -> str | None:
    value = params.get(key)
    return None if value in (None, "") else str(value)


def check_content(params: dict[str, Any]) -> None:
    """Raise the error chat.* methods give for bad text/blocks."""
    if isinstance(params.get("blocks"), str):
        raise ApiError("invalid_blocks_format")
    problem = check_message(
        params.get("text"), params.get("blocks"), attachments=params.get("attachments")
    )
    if problem is not None:
        raise ApiError(*problem)


def view_arg(params: dict[str, Any], surface: Literal["modal", "home"]) -> dict[str, Any]:
    """The ``view`` argument of views.*, or the ``invalid_arguments`` error Slack gives."""
    view = params.get("view")
    if not isinstance(view, dict):
        raise ApiError(
            "invalid_arguments", ["[ERROR] missing or malformed view [json-pointer:/view]"]
        )
    errors = check_view(view, surface)
    if errors:
        raise ApiError("invalid_arguments", errors)
    return view
