"""Where the evaluation data is: the `shared` folder beside the checkout (../shared/data, the
seed text in ../shared/corpus-seed), or the folder NEWSDESK_SHARED names.

Beside the checkout is where it lives on the project's machines; a clone in a scratch folder
deeper down still finds it in an ancestor, and anywhere else NEWSDESK_SHARED points at it.
Nothing here is copied into the product: the benchmarks and tests read it in place.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def shared_folder() -> Path:
    """The first of NEWSDESK_SHARED, ../shared, ../../shared, ... that holds a data folder;
    ../shared when none does (whoever opens a file there then names the missing path)."""
    named = os.environ.get("NEWSDESK_SHARED")
    candidates = [Path(named).expanduser()] if named else []
    candidates += [ancestor / "shared" for ancestor in REPO.parents]
    for candidate in candidates:
        if (candidate / "data").is_dir():
            return candidate.resolve()
    return REPO.parent / "shared"


SHARED = shared_folder()
DATA = SHARED / "data"
