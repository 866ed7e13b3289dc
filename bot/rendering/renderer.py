"""The one Renderer: Jinja2 templates per platform, every value escaped for its target."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape


def escape_mrkdwn(text: object) -> str:
    """User text as literal mrkdwn: `<!channel>` and `<url|label>` arrive as text."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_errors(errors: Mapping[str, str]) -> dict[str, str]:
    """A form's error messages for a modal's `errors`: user text in them arrives as text."""
    return {field: escape_mrkdwn(message) for field, message in errors.items()}


def _tojson(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _truncate(text: object, limit: int) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Renderer:
    """Renders `templates/<platform>/<view>.<format>.j2`."""

    def __init__(self) -> None:
        self._env = Environment(
            loader=PackageLoader("templates", "."),
            undefined=StrictUndefined,
            autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
            extensions=["jinja2.ext.do"],
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )
        self._env.filters["mrkdwn"] = escape_mrkdwn
        self._env.filters["tojson"] = _tojson
        self._env.filters["clip"] = _truncate

    def json(self, name: str, **context: Any) -> Any:
        """A JSON template rendered and parsed (Block Kit blocks, views)."""
        return json.loads(self._env.get_template(name).render(**context))

    def text(self, name: str, **context: Any) -> str:
        return self._env.get_template(name).render(**context).strip() + "\n"
