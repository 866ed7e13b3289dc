"""How the console answers: a result as text."""

from __future__ import annotations

from bot.rendering.renderer import Renderer
from bot.rendering.template_table import template_for
from bot.verbs import Answer
from digests.preview import DigestPreview


def reply_for(result: Answer, renderer: Renderer) -> str:
    """The result's text: a digest preview without its charts, any other result its template."""
    if isinstance(result, DigestPreview):
        context = {"digest": result.digest, "audience_note": result.audience_note}
        return renderer.text("text/digest.md.j2", charts=[], **context)
    return renderer.text(f"text/{template_for(result)}.md.j2", result=result)
