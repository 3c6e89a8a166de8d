"""Widgets for the gulag lesson (filled in by its author)."""

from __future__ import annotations

__all__: list[str] = []
