"""The load test's clients (run by benchmarks/load.py, never imported into the app or tests).

JOC clients send batches of incidents and of draft observations with an Idempotency-Key, and
retry a batch with the same key and body until it is acknowledged; each acknowledged answer is
written to the results folder, to be checked against the database afterwards. Readers pull the
lists and the Secretariat report.
"""

from __future__ import annotations

import datetime
import itertools
import json
import os
import random
import time
import uuid
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task

SETUP = json.loads(Path(os.environ["LOAD_SETUP"]).read_text())
RESULTS = Path(os.environ["LOAD_RESULTS"])
SLOTS = itertools.count()  # each JOC client logs observations for a place and weeks of its own
RETRIES = 5
CLIENTS = int(os.environ.get("LOAD_CLIENTS", "50"))
READERS = int(os.environ.get("LOAD_READERS", "10"))
DEMO_PASSWORD = "demo-pass-2026"  # the demo's logins (README)


class JocOfficer(HttpUser):
    fixed_count = CLIENTS
    wait_time = between(0.2, 1.0)

    def on_start(self) -> None:
        slot = next(SLOTS)
        self.device = SETUP["joc_tokens"][slot % len(SETUP["joc_tokens"])]
        self.area = SETUP["localities"][slot % len(SETUP["localities"])]
        # weeks of year 2000 + slot // localities: no two clients write the same observation
        self.week = datetime.date.fromisoformat(SETUP["first_monday"]).replace(
            year=2000 + slot // len(SETUP["localities"])
        )
        self.week -= datetime.timedelta(days=self.week.weekday())
        self.acknowledged = RESULTS / f"{uuid.uuid4()}.jsonl"

    def _send(self, path: str, rows: list[dict[str, Any]], name: str) -> None:
        """One batch, retried with its key until acknowledged (or given up after RETRIES)."""
        key = str(uuid.uuid4())
        headers = {"Authorization": f"Token {self.device}", "Idempotency-Key": key}
        for attempt in range(RETRIES):
            with self.client.post(
                path, json=rows, headers=headers, name=name, catch_response=True
            ) as response:
                if response.status_code == 201:
                    with self.acknowledged.open("a") as out:
                        out.write(json.dumps({"path": path, "key": key, "ids": response.json()}))
                        out.write("\n")
                    return
                if response.status_code in {429, 500, 502, 503, 504, 0}:
                    response.failure(f"{response.status_code}, retried")
                    time.sleep(0.2 * 2**attempt)
                    continue
                response.failure(f"{response.status_code}: {response.text[:200]}")
                return

    @task(3)
    def incidents(self) -> None:
        rows = [
            {
                "mission": SETUP["mission"],
                "area": self.area,
                "occurred_on": SETUP["today"],
                "incident_type": "killing_maiming",
                "perpetrator_category": random.choice(SETUP["perpetrators"]),
                "source_type": "un_patrol",
                "verification_status": "verified",
                "killed_women": random.randint(0, 2),
                "injured_boys": random.randint(0, 2),
                "client_id": str(uuid.uuid4()),
            }
            for _ in range(random.randint(1, 20))
        ]
        self._send("/api/v1/incidents/bulk/", rows, "/api/v1/incidents/bulk/")

    @task(2)
    def observations(self) -> None:
        rows = []
        for _ in range(4):
            end = self.week + datetime.timedelta(days=6)
            rows.append(
                {
                    "indicator": SETUP["weekly_indicator"],
                    "mission": SETUP["mission"],
                    "area": self.area,
                    "period_start": self.week.isoformat(),
                    "period_end": end.isoformat(),
                    "client_id": str(uuid.uuid4()),
                    "values": [{"value": str(random.randint(0, 40))}],
                }
            )
            self.week += datetime.timedelta(days=7)
        self._send("/api/v1/observations/bulk/", rows, "/api/v1/observations/bulk/")


class Reader(HttpUser):
    """The Secretariat's scripts: lists and the report, with a read-only token."""

    fixed_count = READERS - READERS // 3
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        self.headers = {"Authorization": f"Token {SETUP['reader_token']}"}

    @task(3)
    def lists(self) -> None:
        mission = SETUP["mission"]
        for name in ("incidents", "alerts", "observations", "threats"):
            self.client.get(
                f"/api/v1/{name}/?mission={mission}&page_size=100",
                headers=self.headers,
                name=f"/api/v1/{name}/",
            )

    @task(1)
    def report(self) -> None:
        self.client.get(SETUP["report_url"], headers=self.headers, name="/api/v1/reports/poc/")


class Leader(HttpUser):
    """Mission leadership in the browser: signs in, then opens the dashboard."""

    fixed_count = READERS // 3
    wait_time = between(1.0, 3.0)

    def on_start(self) -> None:
        self.client.get("/accounts/login/", name="/accounts/login/")
        self.client.post(
            "/accounts/login/",
            data={
                "username": SETUP["leadership"],
                "password": DEMO_PASSWORD,
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            },
            name="/accounts/login/",
        )

    @task
    def dashboard(self) -> None:
        self.client.get(SETUP["dashboard_url"], name="dashboard")


@events.quitting.add_listener
def _summary(environment: Any, **kwargs: Any) -> None:
    environment.process_exit_code = 0  # failures are reported and checked by load.py
