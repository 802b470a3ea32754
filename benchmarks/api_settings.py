"""Settings of the API benchmark's server: the project's, with the benchmark's URLs (which add
the bare view that is the floor); nothing here is deployed."""

from poc_tracker.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.api_urls"
