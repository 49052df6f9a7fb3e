"""Settings every test shares."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

# The language model's cache (crawler.lang.model_store) goes to a folder of this session's
# own rather than the user's ~/.cache; the crawls the tests start inherit it.
if "SANKOFA_CACHE_DIR" not in os.environ:
    _CACHE = tempfile.mkdtemp(prefix="sankofa-test-cache-")
    os.environ["SANKOFA_CACHE_DIR"] = _CACHE
    atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)
