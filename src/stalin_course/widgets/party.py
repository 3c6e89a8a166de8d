"""Widgets for the party lesson (filled in by its author)."""

from __future__ import annotations

__all__: list[str] = []
