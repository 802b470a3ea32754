#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys
from pathlib import Path


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "poc_tracker.settings")
    # manage.py is the developer's entry point: debug unless the environment or .env (read
    # first, so it outranks this default) says otherwise, so makemigrations, check or seed_demo
    # need no secret. The server (wsgi/asgi) and Celery keep the production default.
    import environ

    environ.Env.read_env(Path(__file__).resolve().parent / ".env", overwrite=False)
    os.environ.setdefault("DEBUG", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
