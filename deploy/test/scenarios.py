"""The deployment test's scenarios, against the site deploy/test/run set up by following
docs/deployment.md: nginx (TLS) in front of gunicorn, the task worker, PostgreSQL, Redis.
Standard library only. Prints PASS/FAIL with the evidence for each; exit status 1 if any
failed. Run by deploy/test/run, which passes the paths and names in the environment.
"""

# A test script: it prints what it finds and asks psql its own fixed questions.
# ruff: noqa: T201, S603, S608

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

HOST = os.environ.get("DEPLOY_HOST", "localhost")
CA_FILE = os.environ.get("DEPLOY_CA_FILE", "/etc/hrnet/tls/fullchain.pem")
DB = os.environ["DEPLOY_DB"]
PG = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", DB, "-tAq", "-v", "ON_ERROR_STOP=1"]
SYSTEMCTL = os.environ.get("DEPLOY_SYSTEMCTL", "systemctl")
WEB_LOG = Path(os.environ["DEPLOY_WEB_LOG"])
VAR_DIR = Path(os.environ.get("DEPLOY_VAR_DIR", "/var/lib/hrnet"))
FIXTURES = json.loads(Path(os.environ["DEPLOY_FIXTURES"]).read_text())
IMPORT_ROWS = int(os.environ.get("DEPLOY_IMPORT_ROWS", "100000"))
ONLY = set(filter(None, os.environ.get("DEPLOY_SCENARIOS", "").split(",")))
CONTEXT = ssl.create_default_context(cafile=CA_FILE)

results: list[tuple[str, bool, str]] = []


def say(text: str) -> None:
    print(f"   {text}", flush=True)


def record(name: str, ok: bool, detail: str) -> None:
    results.append((name, ok, detail))
    print(f"{'PASS' if ok else 'FAIL'} {name}: {detail}", flush=True)


# --- HTTP through nginx -----------------------------------------------------------------


class Answer:
    def __init__(self, status: int, headers: dict[str, str], body: bytes, seconds: float):
        self.status = status
        self.headers = headers
        self.body = body
        self.seconds = seconds

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    def json(self) -> Any:
        return json.loads(self.body)

    def short(self) -> str:
        text = self.body[:160].decode("utf-8", "replace").replace("\n", " ")
        return f"{self.status} {self.content_type} {text!r}"


def request(
    method: str,
    path: str,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 60,
) -> Answer:
    started = time.monotonic()
    connection = http.client.HTTPSConnection(HOST, 443, context=CONTEXT, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        return Answer(
            response.status,
            {k.lower(): v for k, v in response.getheaders()},
            data,
            time.monotonic() - started,
        )
    finally:
        connection.close()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for name, (filename, data) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: text/csv\r\n\r\n'.encode()
            + data
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class HealthPoller(threading.Thread):
    """Asks /api/v1/health every `every` seconds until stopped; keeps every answer."""

    def __init__(self, every: float = 0.5, timeout: float = 5):
        super().__init__(daemon=True)
        self.every = every
        self.timeout = timeout
        self.answers: list[tuple[int, float]] = []  # status (0: no answer), seconds
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                answer = request("GET", "/api/v1/health", timeout=self.timeout)
                self.answers.append((answer.status, answer.seconds))
            except (OSError, http.client.HTTPException):
                self.answers.append((0, self.timeout))
            self.stopped.wait(self.every)

    def stop(self) -> tuple[bool, str]:
        self.stopped.set()
        self.join()
        bad = [status for status, _ in self.answers if status != 200]
        slowest = max((seconds for _, seconds in self.answers), default=0)
        summary = (
            f"health polled {len(self.answers)} times, {len(bad)} not 200"
            f"{' ' + str(sorted(set(bad))) if bad else ''}, slowest {slowest:.2f} s"
        )
        return bool(self.answers) and not bad, summary


# --- the machine ------------------------------------------------------------------------


def sql(query: str) -> str:
    return subprocess.run(
        [*PG, "-c", query], check=True, capture_output=True, text=True
    ).stdout.strip()


def main_pid(unit: str) -> int:
    out = subprocess.run(
        [SYSTEMCTL, "show", "-p", "MainPID", "--value", unit],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return int(out or 0)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_for(check: Callable[[], Any], seconds: float, every: float = 0.5) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    return None


# --- 1. a killed worker's import ----------------------------------------------------------

IMPORT_SOURCE = "deploy test import"


def values_csv(rows: int) -> bytes:
    lines = ["country,period,indicator,value"]
    countries, codes = FIXTURES["countries"], FIXTURES["indicators"]
    year, month = 2025, 12
    while len(lines) <= rows:
        for iso2 in countries:
            for code in codes:
                lines.append(f"{iso2},{year}-{month:02d},{code},{(len(lines) * 7) % 5000}")
                if len(lines) > rows:
                    break
            if len(lines) > rows:
                break
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return ("\n".join(lines) + "\n").encode()


def imported_rows() -> int:
    return int(
        sql(
            "SELECT count(*) FROM evidence_datavalue "
            f"WHERE source = '{IMPORT_SOURCE}' AND period_kind = 'month'"
        )
    )


def files_under(folder: Path) -> list[str]:
    return [str(p.relative_to(VAR_DIR)) for p in folder.rglob("*") if p.is_file()]


def scenario_killed_import() -> None:
    name = "1 killed worker's import"
    token = FIXTURES["secretariat_token"]
    data = values_csv(IMPORT_ROWS)
    body, content_type = multipart(
        {"format": "csv", "source": IMPORT_SOURCE}, {"file": ("values.csv", data)}
    )
    answer = request(
        "POST",
        "/api/v1/evidence/imports",
        body=body,
        headers={**bearer(token), "Content-Type": content_type},
    )
    if answer.status != 202:
        record(name, False, f"upload of {IMPORT_ROWS} rows answered {answer.short()}")
        return
    job = answer.json()["id"]
    say(f"uploaded {IMPORT_ROWS} rows ({len(data) // 1024} KiB), job {job}")
    media_uploads = files_under(VAR_DIR / "media")

    def status() -> dict[str, Any]:
        return request("GET", f"/api/v1/evidence/imports/{job}", headers=bearer(token)).json()

    # Every row is validated first (the progress counts them), then all are written in
    # one transaction: the kill comes a moment into that write.
    validated = wait_for(
        lambda: (s := status())["status"] == "running" and s["total"] and s["done"] >= s["total"],
        float(os.environ.get("DEPLOY_IMPORT_WAIT", "240")),
        0.2,
    )
    if not validated:
        record(name, False, f"the job never got to writing: {status()}")
        return
    time.sleep(float(os.environ.get("DEPLOY_KILL_AFTER", "2")))
    writing = int(
        sql(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()"
        )
    )
    before = status()
    pid = main_pid("hrnet-worker")
    os.kill(pid, signal.SIGKILL)
    say(
        f"kill -9 worker {pid}, the job {before['status']} with {before['done']} rows "
        f"validated, {writing} writing transaction(s) open"
    )
    # Restart=always brings it back (systemd, or the stand-in systemctl in the test).
    new_pid = wait_for(lambda: (p := main_pid("hrnet-worker")) and p != pid and p, 30)
    say(f"worker back as {new_pid}")
    final = wait_for(
        lambda: (s := status())["status"] in ("done", "failed") and s,
        float(os.environ.get("DEPLOY_IMPORT_WAIT", "240")),
        1,
    )
    if not final:
        record(name, False, f"the job did not end after the restart: {status()}")
        return
    rows = imported_rows()
    whole = rows in (0, IMPORT_ROWS)
    consistent = (final["status"] == "done" and rows == IMPORT_ROWS) or (
        final["status"] == "failed" and rows == 0 and final["message"]
    )
    left = [p for p in files_under(VAR_DIR / "media") if p not in media_uploads] + files_under(
        VAR_DIR / "private" / "imports"
    )
    detail = (
        f"job {final['status']} ({final['message'] or 'no message'!r}), "
        f"{rows} of {IMPORT_ROWS} rows stored; upload files left: {left or 'none'}"
    )
    record(name, bool(whole and consistent and not left), detail)


# --- 2. contacts while every database connection is cut -----------------------------------

NAMES = ["Aigul", "Bakyt", "Cholpon", "Dana", "Erlan", "Farida", "Gulnara", "Hasan"]


def contact(client: int, day: int) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "site": FIXTURES["site"],
        "client": {
            "uic_parts": {
                "sex": "male",
                "birth_year": 1980 + client,
                "mother_name": NAMES[client],
                "father_name": NAMES[-1 - client],
            }
        },
        "date": f"2026-11-{day:02d}",
        "items": {FIXTURES["commodity"]: 3} if FIXTURES.get("commodity") else {},
        "counselling": True,
    }


def scenario_contacts_outage() -> None:
    name = "2 contacts while the database connections are terminated"
    token = FIXTURES["worker_token"]
    per_client = int(os.environ.get("DEPLOY_CONTACTS_EACH", "12"))
    sent = {i: [contact(i, 1 + n) for n in range(per_client)] for i in range(8)}
    worker_pid = main_pid("hrnet-worker")
    answers: list[tuple[dict[str, Any], Answer | None, str]] = []
    lock = threading.Lock()
    progress = threading.Semaphore(0)

    def post(payload: dict[str, Any]) -> tuple[Answer | None, str]:
        try:
            return (
                request(
                    "POST",
                    "/api/v1/outreach/contacts",
                    body=json.dumps(payload).encode(),
                    headers={**bearer(token), "Content-Type": "application/json"},
                    timeout=40,
                ),
                "",
            )
        except (OSError, http.client.HTTPException) as exc:
            return None, repr(exc)

    def phone(i: int) -> None:
        for payload in sent[i]:
            answer, error = post(payload)
            with lock:
                answers.append((payload, answer, error))
            progress.release()

    threads = [threading.Thread(target=phone, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    total = 8 * per_client
    terminated = 0
    for mark in (total // 4, total // 2, 3 * total // 4):
        while len(answers) < mark and any(t.is_alive() for t in threads):
            progress.acquire(timeout=1)
        terminated += int(
            sql(
                "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                f"WHERE datname = '{DB}' AND pid <> pg_backend_pid()) AS cut"
            )
        )
    for thread in threads:
        thread.join()

    def acceptable(answer: Answer | None) -> bool:
        if answer is None:
            return False
        if 200 <= answer.status < 300:
            return True
        if answer.status == 503 and answer.content_type.startswith("application/json"):
            return answer.json().get("code") == "unavailable" and "retry-after" in answer.headers
        return False

    bad = [(a.short() if a else err) for _, a, err in answers if not acceptable(a)]
    unavailable = [p for p, a, _ in answers if a is not None and a.status == 503]
    # The phone resends what was not stored: no answer, or a 5xx (a 4xx is the phone's error).
    resend = [p for p, a, _ in answers if a is None or a.status >= 500]
    still_failing = []
    for payload in resend:
        for _attempt in range(5):
            answer, _error = post(payload)
            if answer is not None and 200 <= answer.status < 300:
                break
            time.sleep(1)
        else:
            still_failing.append(payload["id"])
    ids = [p["id"] for batch in sent.values() for p in batch]
    id_list = ",".join(f"'{i}'" for i in ids)
    stored = int(sql(f"SELECT count(*) FROM outreach_contact WHERE id IN ({id_list})"))
    at_site = int(sql(f"SELECT count(*) FROM outreach_contact WHERE site_id = {FIXTURES['site']}"))
    clients = int(
        sql(f"SELECT count(*) FROM outreach_client WHERE first_site_id = {FIXTURES['site']}")
    )
    worker_ok = alive(worker_pid) and main_pid("hrnet-worker") == worker_pid
    detail = (
        f"{total} contacts from 8 clients, {terminated} connections terminated in 3 rounds; "
        f"{len(unavailable)} answered JSON 503, {len(bad)} other failures {bad[:3]}; "
        f"resent {len(resend)} ({len(still_failing)} still failing); stored {stored} of "
        f"{total} (site holds {at_site}, {clients} clients); worker {worker_pid} "
        f"{'kept running' if worker_ok else 'did NOT keep running'}"
    )
    ok = not bad and not still_failing and stored == total == at_site and clients == 8
    record(name, ok and worker_ok, detail)


# --- 3. slow clients ----------------------------------------------------------------------


def scenario_slow_clients() -> None:
    name = "3 ten slow clients vs /api/v1/health"
    seconds = float(os.environ.get("DEPLOY_SLOW_SECONDS", "30"))
    stop = threading.Event()
    cut_after: list[float] = []

    def slow_client() -> None:
        while not stop.is_set():
            started = time.monotonic()
            try:
                raw = socket.create_connection(("127.0.0.1", 443), timeout=30)
                with CONTEXT.wrap_socket(raw, server_hostname=HOST) as sock:
                    sock.sendall(f"GET /api/v1/health HTTP/1.1\r\nHost: {HOST}\r\n".encode())
                    line = 0
                    while not stop.wait(3):
                        line += 1
                        sock.sendall(f"X-Slow-{line}: {'x' * 10}\r\n".encode())
            except OSError:
                cut_after.append(time.monotonic() - started)
                stop.wait(0.2)

    clients = [threading.Thread(target=slow_client, daemon=True) for _ in range(10)]
    for client in clients:
        client.start()
    time.sleep(1)
    poller = HealthPoller()
    poller.start()
    time.sleep(seconds)
    ok, summary = poller.stop()
    stop.set()
    cut = (
        f"nginx cut slow clients after {min(cut_after):.0f}-{max(cut_after):.0f} s "
        f"({len(cut_after)} times)"
        if cut_after
        else "nginx never cut them"
    )
    record(name, ok, f"{summary}; {cut}")


# --- 4. sign-in lockout of one account ---------------------------------------------------------


class Browser:
    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def go(self, method: str, path: str, form: dict[str, str] | None = None) -> Answer:
        headers = {"Referer": f"https://{HOST}{path}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        answer = request(method, path, body=body, headers=headers)
        connection_cookies = answer.headers.get("set-cookie", "")
        for match in re.finditer(r"(?:^|, )(\w+)=([^;]*)", connection_cookies):
            self.cookies[match.group(1)] = match.group(2)
        return answer

    def sign_in(self, email: str, password: str) -> Answer:
        page = self.go("GET", "/en/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        if not token:
            raise RuntimeError(f"no sign-in form: {page.short()}")
        return self.go(
            "POST",
            "/en/accounts/login/",
            {"csrfmiddlewaretoken": token.group(1).decode(), "email": email, "password": password},
        )


def scenario_sign_in() -> None:
    name = "4 a locked account does not lock another"
    password = FIXTURES["password"]
    alice = Browser()
    wrong = [alice.sign_in("alice@deploy.test", "not-the-password").status for _ in range(20)]
    alice_right = Browser().sign_in("alice@deploy.test", password)
    bob = Browser().sign_in("bob@deploy.test", password)
    alice_locked = alice_right.status != 302
    bob_in = bob.status == 302 and "sessionid" in bob.headers.get("set-cookie", "")
    detail = (
        f"20 wrong passwords for A answered {sorted(set(wrong))}; A's right password then "
        f"{alice_right.status}; B's right password {bob.status}"
        f"{' (signed in)' if bob_in else ' ' + bob.short()}"
    )
    record(name, alice_locked and bob_in, detail)


# --- 5. anonymous exports ---------------------------------------------------------------------


def largest_xlsx_filter() -> str:
    """The indicator with the most values that still makes an anonymous XLSX (at most
    HRNET_ANONYMOUS_XLSX_MAX_ROWS, 50,000): the largest workbook the site builds for them."""
    bound = int(os.environ.get("DEPLOY_XLSX_MAX_ROWS", "50000"))
    code = sql(
        "SELECT code FROM (SELECT i.code, count(*) AS n FROM evidence_datavalue v "
        "JOIN evidence_indicator i ON i.id = v.indicator_id GROUP BY i.code) AS counts "
        f"WHERE n <= {bound} ORDER BY n DESC LIMIT 1"
    )
    return f"&indicator={code}" if code else ""


def scenario_exports() -> None:
    name = "5 anonymous exports vs gunicorn's timeout"
    everything = "/en/evidence/imports/export/?format="
    paths = [
        everything + "csv",
        everything + "csv",
        everything + "csv",
        everything + "csv",
        everything + "xlsx",
        everything + "xlsx" + largest_xlsx_filter(),
        everything + "xlsx" + largest_xlsx_filter(),
        "/en/evidence/funding/records/export.csv",
    ]
    log_start = WEB_LOG.stat().st_size
    answers: list[tuple[str, Answer | None, str, int]] = []

    def fetch(path: str) -> None:
        # A browser told 429 (nginx: two exports at a time) tries again a moment later.
        waits = 0
        try:
            while True:
                answer = request("GET", path, timeout=120)
                if answer.status != 429 or waits >= 60:
                    break
                waits += 1
                time.sleep(1)
            answers.append((path, answer, "", waits))
        except (OSError, http.client.HTTPException) as exc:
            answers.append((path, None, repr(exc), waits))

    poller = HealthPoller()
    poller.start()
    threads = [threading.Thread(target=fetch, args=(p,)) for p in paths]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    time.sleep(1)
    health_ok, summary = poller.stop()
    with WEB_LOG.open("rb") as log:
        log.seek(log_start)
        timeouts = log.read().count(b"WORKER TIMEOUT")
    shown = []
    failed = False
    for path, answer, error, waits in answers:
        kind = path.split("format=", 1)[-1] if "format=" in path else "funding csv"
        if answer is None:
            shown.append(f"{kind}: {error}")
            failed = True
            continue
        shown.append(
            f"{kind} {answer.status} {len(answer.body) // 1024} KiB {answer.seconds:.1f} s"
            f" (after {waits} x 429)"
        )
        failed = failed or answer.status >= 500 or answer.status == 429
    detail = f"{'; '.join(shown)}; {timeouts} WORKER TIMEOUT lines; {summary}"
    record(name, not failed and timeouts == 0 and health_ok, detail)


SCENARIOS = {
    "import": scenario_killed_import,
    "contacts": scenario_contacts_outage,
    "slow": scenario_slow_clients,
    "signin": scenario_sign_in,
    "exports": scenario_exports,
}


def warm_up() -> None:
    """After a release (`systemctl reload hrnet-web`) each new gunicorn worker loads the
    application on its first requests; the scenarios start once all answer quickly."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        answers: list[float] = []

        def ask(answers: list[float] = answers) -> None:
            try:
                answers.append(request("GET", "/en/", timeout=60).seconds)
            except (OSError, http.client.HTTPException):
                answers.append(60)

        threads = [threading.Thread(target=ask) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if max(answers) < 2:
            return
    say("the site is still slow after two minutes of warming up")


def main() -> int:
    warm_up()
    for key, scenario in SCENARIOS.items():
        if ONLY and key not in ONLY:
            continue
        print(f"-- {scenario.__name__}", flush=True)
        started = time.monotonic()
        try:
            scenario()
        except Exception as exc:  # a broken scenario is a failed one
            record(scenario.__name__, False, f"{type(exc).__name__}: {exc}")
        say(f"({time.monotonic() - started:.0f} s)")
    failed = [name for name, ok, _ in results if not ok]
    print(f"scenarios: {len(results) - len(failed)} passed, {len(failed)} failed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
