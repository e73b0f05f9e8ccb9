"""The README and the docs point only at files the repository holds: a link, or a `path.md` named in
code quotes, that leads nowhere is a defect (the extract format the core-banking team must follow
was once cited from a folder outside the repository)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
QUOTED_DOC = re.compile(r"`([\w./-]+\.md)`")


def test_every_document_named_in_the_readme_and_docs_is_in_the_repository() -> None:
    missing = []
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = doc.read_text(encoding="utf-8")
        for target in LINK.findall(text) + QUOTED_DOC.findall(text):
            if "://" in target:
                continue
            if not (doc.parent / target).exists() and not (ROOT / target).exists():
                missing.append(f"{doc.relative_to(ROOT)} -> {target}")
    assert not missing, missing
    assert "[docs/extracts.md](docs/extracts.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
