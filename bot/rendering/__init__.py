"""Rendering: the one Jinja Renderer, the result -> template table, charts, incident words."""
