"""Reference data shipped with the package (see README.md in this folder)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any


def read_json(name: str) -> Any:
    """A JSON file of this folder, as shipped with the package."""
    return json.loads(resources.files(__name__).joinpath(name).read_text("utf-8"))
