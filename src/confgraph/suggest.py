"""Suggest what a curator may have meant: the closest known names to a misspelt one."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

# How alike two names must be (difflib's ratio) to be offered: "honorfic" -> "honorific".
CUTOFF = 0.6
MOST = 3


def closest(text: str, candidates: Iterable[str], n: int = MOST) -> list[str]:
    """Return up to n candidates closest to text, compared without regard to case."""
    by_folded: dict[str, str] = {}
    for candidate in candidates:
        by_folded.setdefault(candidate.casefold(), candidate)
    found = difflib.get_close_matches(text.casefold(), list(by_folded), n=n, cutoff=CUTOFF)
    return [by_folded[f] for f in found]


def did_you_mean(names: list[str], notes: Mapping[str, str] | None = None) -> str:
    """Return "did you mean 'a' or 'b'?" for some names (each with its note), or ""."""
    if not names:
        return ""
    quoted = [f"'{n}'" + (f" ({notes[n]})" if notes and n in notes else "") for n in names]
    listed = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"
    return f"did you mean {listed}?"


def hint(text: str, candidates: Iterable[str]) -> str:
    """Return "; did you mean ...?" for the candidates closest to text, or ""."""
    suggestion = did_you_mean(closest(text, candidates))
    return f"; {suggestion}" if suggestion else ""


def country_hint(code: str, names: Mapping[str, str]) -> str:
    """Suggest country codes for a wrong one: by a name it begins (MOR: Morocco), or by spelling.

    `names` maps each ISO 3166-1 alpha-3 code to the country's name.
    """
    folded = code.casefold()
    by_name = [c for c, name in sorted(names.items()) if name.casefold().startswith(folded)]
    by_code = [c for c in closest(code, names) if c not in by_name]
    suggestion = did_you_mean((by_name + by_code)[:MOST], names)
    return f"; {suggestion}" if suggestion else ""
