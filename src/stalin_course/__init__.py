"""Helper package for the course "Stalin's Consolidation of Power, 1924-1941".

Importing it changes nothing (no matplotlib backend or style switching).
Modules: ``data`` (sourced CSVs), ``charts`` (the house chart style),
``widgets`` (quizzes and explorers), ``answers`` (plain-text answer cells),
``checking`` (the answer checker), ``bank`` (the question bank).
"""

from .checking import CheckResult, UnknownQuestion, check

__all__ = ["CheckResult", "UnknownQuestion", "check"]
__version__ = "0.1.0"
