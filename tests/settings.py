"""The test run's settings: the app's own, read from the environment as in production, except
that the tests talk plain HTTP to the test client and the live server, so the defaults that
turn plain HTTP away (the redirect to HTTPS, cookies sent over HTTPS only) are off, and the
rate of requests per token is out of the tests' way. The tests never collect static files, so
pages name them as they are, without the manifest `collectstatic` writes.
"""

import os

os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_COOKIES", "false")
# a test makes many requests in a moment: the per-token rate is tested on its own
os.environ.setdefault("API_RATE", "1000000/minute")

from poc_tracker.settings import *  # noqa: E402, F403 - the settings under test, as they are
from poc_tracker.settings import STORAGES  # noqa: E402

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
