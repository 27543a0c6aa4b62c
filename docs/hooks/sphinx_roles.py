"""MkDocs hook: show the docstrings' Sphinx cross-reference roles as plain code.

The numpydoc docstrings say ``:func:`~finsam_opt.allocate``` (Sphinx style, read by
``help()`` and IDEs too); mkdocstrings renders that as ``:func:<code>…</code>``.
This hook drops the role and, for a ``~`` target, shows only its last name, as
Sphinx does.
"""

from __future__ import annotations

import re

ROLE = re.compile(r":(?:func|class|data|meth|attr|mod|exc|obj):<code>(~?)([^<]+)</code>")


def _code(match: re.Match[str]) -> str:
    short, target = match.group(1), match.group(2)
    return f"<code>{target.rsplit('.', 1)[-1] if short else target}</code>"


def on_page_content(html: str, **kwargs: object) -> str:
    """Replace every rendered role by its target in code font."""
    return ROLE.sub(_code, html)
