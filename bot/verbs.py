"""The verbs a person can type, on every platform: the core's commands and the digest preview."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from commands.dispatch import COMMANDS, Handler
from commands.results import Result
from digests import preview
from digests.preview import DigestPreview

Answer = Result | DigestPreview

# `commands` cannot import `digests` (the layers run bot -> digests -> commands): the digest
# preview joins the core's verbs here.
VERBS: Mapping[str, Handler[Answer]] = MappingProxyType({**COMMANDS, "digest": preview.handle})
