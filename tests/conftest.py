import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = "2025-05-16-istanbul-talks"


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A private copy of data/ that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target


@pytest.fixture(scope="session")
def built():
    from kg.build import build_graph

    return build_graph(ROOT / "data")


@pytest.fixture(scope="session")
def dataset(built):
    return built.dataset


@pytest.fixture(scope="session")
def union(built):
    return built.union()
