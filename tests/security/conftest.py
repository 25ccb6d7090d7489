"""Security tests: page-cache versions private to the run (staff and signed-in clients: tests/kit/people.py)."""

import pytest


@pytest.fixture(scope="session")
def _private_version_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("pagecache-versions")


@pytest.fixture(autouse=True)
def _page_cache_versions_of_this_run(settings, _private_version_dir):
    """Page-cache versions (embedded default: files under VAR_DIR) private to this test run, so another
    run sharing the var folder cannot turn an expected cache hit into a miss."""
    settings.PAGE_CACHE_VERSION_DIR = _private_version_dir
