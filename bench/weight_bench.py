"""Weight: the bytes Chromium transfers to show the home page, the evidence overview and
the outreach entry page, served as production serves them, against their budgets.

    uv run python bench/weight_bench.py                  # builds a demo database first
    uv run python bench/weight_bench.py --database sqlite:////tmp/demo.sqlite3

Production's way: DEBUG off, static files collected into a temporary STATIC_ROOT by
whitenoise's CompressedManifestStaticFilesStorage (hashed names, .gz beside each file),
gunicorn serving the WSGI application, pages compressed by GZipMiddleware. Each page is
loaded in headless Chromium (Playwright, /usr/bin/chromium; HRNET_CHROMIUM to change)
with the browser cache off, as on a first visit; "transferred" adds up, for every request
of the page (HTML, CSS, scripts, images, fonts), the response's headers and its body as
sent (Playwright's `request.sizes()`). The baseline is the same loads in the same run with
`Accept-Encoding: identity`, so the ratio says what compression saves on this machine's
pages whatever their content. Budgets (1 KB = 1,000 bytes): home <= 60 KB, evidence
overview <= 150 KB, outreach entry page <= 60 KB. Exits 1 when a page is over budget.

The home page and the evidence overview are measured for a visitor and for the site
staff demo user (a longer menu); the outreach entry page for site staff (only they may
open it). Uses a copy of --database when given (the bench changes nothing in it).
"""

from __future__ import annotations

import argparse
import base64
import datetime
import hashlib
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
KB = 1000
BUDGETS = {"home": 60 * KB, "evidence": 150 * KB, "outreach": 60 * KB}
PASSWORD = "hrnet-demo"  # noqa: S105 - the public demo password (hrnet demo)
SITESTAFF = "sitestaff@demo.example"
BIN = Path(sys.executable).parent  # the project's environment (uv run)
HRNET = str(BIN / "hrnet")

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--database", help="an SQLite URL of a demo database (copied, not changed)")
parser.add_argument(
    "--media",
    default=str(ROOT / "var" / "media"),
    help="the media folder of --database (default: the demo's, ./var/media)",
)
parser.add_argument("--port", type=int, default=0, help="default: a free port")
parser.add_argument("--detail", action="store_true", help="list every request's size")
parser.add_argument("--chromium", default=os.environ.get("HRNET_CHROMIUM", "/usr/bin/chromium"))


ARGS_DETAIL = False


@dataclass
class Load:
    requests: int = 0
    html: int = 0  # the page itself: headers and body as sent
    total: int = 0  # everything the page loaded
    encoded: set[str] = field(default_factory=set)  # Content-Encoding values seen
    rows: list[tuple[int, str]] = field(default_factory=list)  # (bytes, url) of each request


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def production_env(work: Path, database: str, media: Path) -> dict[str, str]:
    """Settings as production has them, over plain HTTP on the loopback: no TLS redirect,
    cookies not marked secure, two-factor sign-in off for the demo users."""
    secret = "weight-bench-" + hashlib.sha256(str(work).encode()).hexdigest()
    rights_key = base64.urlsafe_b64encode(hashlib.sha256(secret.encode()).digest()).decode()
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hrnet.settings",
        "DATABASE_URL": database,
        "HRNET_VAR_DIR": str(work),
        "STATIC_ROOT": str(work / "static"),
        "MEDIA_ROOT": str(media),
        "DEBUG": "false",
        "SECRET_KEY": secret,
        "HRNET_RIGHTS_KEYS": rights_key,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "HRNET_2FA_REQUIRED": "false",
        "LOG_LEVEL": "ERROR",
    }


def run(command: list[str], env: dict[str, str]) -> None:
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603


def prepare(work: Path, source: str | None, media: str) -> dict[str, str]:
    target = work / "weight.sqlite3"
    media_root = Path(media) if source else work / "media"
    env = production_env(work, f"sqlite:///{target}", media_root)
    if source:
        if not source.startswith("sqlite:///"):
            sys.exit("--database: an sqlite:/// URL (the bench works on a copy)")
        for suffix in ("", "-wal", "-shm"):
            if Path(source.removeprefix("sqlite:///") + suffix).exists():
                shutil.copyfile(source.removeprefix("sqlite:///") + suffix, f"{target}{suffix}")
        run([HRNET, "migrate", "--no-input", "-v", "0"], env)
    else:
        print("building the demo database…", flush=True)
        run([HRNET, "demo", "--no-serve"], {**env, "DEBUG": "true"})
    print("collecting static files (hashed, compressed)…", flush=True)
    run([HRNET, "collectstatic", "--no-input", "-v", "0"], env)
    return env


# Production's reverse proxy (or object storage) serves uploaded media; here WhiteNoise
# stands in for it around the application, as files, uncompressed (photos are JPEG).
MEDIA_WSGI = """
import os
from whitenoise import WhiteNoise
from hrnet.wsgi import application as django_application
application = WhiteNoise(django_application, autorefresh=False)
application.add_files(os.environ["MEDIA_ROOT"], prefix="media/")
"""


def start_server(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    (Path(env["HRNET_VAR_DIR"]) / "weight_wsgi.py").write_text(MEDIA_WSGI, encoding="utf-8")
    server = subprocess.Popen(  # noqa: S603 - our own command line
        [
            str(BIN / "gunicorn"),
            "--pythonpath",
            env["HRNET_VAR_DIR"],
            "weight_wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/en/", timeout=5):
                return server
        except OSError:
            if server.poll() is not None:
                sys.exit("the server stopped while starting")
            time.sleep(0.5)
    server.terminate()
    sys.exit("the server did not answer within 60 s")


def measure(context: Any, url: str) -> Load:
    """Load `url` in a new tab with the cache off; add up what was transferred."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    finished: list[Any] = []
    failed: list[str] = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.on("requestfailed", lambda request: failed.append(request.url))
    response = page.goto(url, wait_until="networkidle")
    if response is None or response.status != 200:
        sys.exit(f"{url}: {response.status if response else 'no response'}")
    if page.url != url:
        sys.exit(f"{url} redirected to {page.url}: not signed in?")
    load = Load()
    for request in finished:
        sizes = request.sizes()
        size = sizes["responseHeadersSize"] + sizes["responseBodySize"]
        load.requests += 1
        load.total += size
        load.rows.append((size, request.url))
        if request.url == url:
            load.html = size
        encoding = request.response() and request.response().headers.get("content-encoding")
        if encoding:
            load.encoded.add(encoding)
    if failed:
        print(f"  note: {len(failed)} requests failed on {url}: {failed[:3]}")
    page.close()
    return load


def sign_in(context: Any, base: str, email: str) -> None:
    page = context.new_page()
    page.goto(f"{base}/en/accounts/login/")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_load_state("networkidle")
    if "/accounts/login" in page.url:
        sys.exit(f"could not sign in as {email}")
    page.close()


def outreach_entry_url(env: dict[str, str]) -> str:
    """The entry page of the first site the site staff demo user works at."""
    code = (
        "from hrnet.outreach.models import SiteStaff;"
        f"print(SiteStaff.objects.filter(user__email={SITESTAFF!r}).order_by('pk')"
        ".values_list('site_id', flat=True).first())"
    )
    out = subprocess.run(  # noqa: S603 - our own command line
        [HRNET, "shell", "-c", code], cwd=ROOT, env=env, check=True, capture_output=True
    )
    site_id = out.stdout.decode().strip().splitlines()[-1]
    if not site_id.isdigit():
        sys.exit(f"no site for {SITESTAFF}")
    return f"/en/sites/{site_id}/entry/"


def main() -> int:
    args = parser.parse_args()
    global ARGS_DETAIL
    ARGS_DETAIL = args.detail
    work = Path(tempfile.mkdtemp(prefix="hrnet-weight-"))
    server = None
    try:
        env = prepare(work, args.database, args.media)
        entry = outreach_entry_url(env)
        port = args.port or free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(env, port)

        from playwright.sync_api import sync_playwright

        pages = [  # (name, budget key, path, signed in)
            ("home, visitor", "home", "/en/", False),
            ("home, site staff", "home", "/en/", True),
            ("evidence overview, visitor", "evidence", "/en/evidence/", False),
            ("evidence overview, site staff", "evidence", "/en/evidence/", True),
            ("outreach entry, site staff", "outreach", entry, True),
        ]
        results: list[tuple[str, str, Load, Load]] = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=args.chromium,
                headless=True,
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--disable-background-networking",
                    "--no-first-run",
                ],
            )
            version = browser.version
            contexts = {}
            for mode, headers in (
                ("compressed", {}),
                ("identity", {"Accept-Encoding": "identity"}),
            ):
                for signed_in in (False, True):
                    context = browser.new_context(extra_http_headers=headers)
                    if signed_in:
                        sign_in(context, base, SITESTAFF)
                    contexts[mode, signed_in] = context
            for name, budget_key, path, signed_in in pages:
                compressed = measure(contexts["compressed", signed_in], base + path)
                plain = measure(contexts["identity", signed_in], base + path)
                results.append((name, budget_key, compressed, plain))
            browser.close()
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)

    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC")
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, load average {load}")
    print(f"python {platform.python_version()}, Chromium {version}, gunicorn, SQLite, DEBUG off")
    print()
    header = (
        f"{'page':<31} {'requests':>8} {'HTML':>9} {'transferred':>12} "
        f"{'uncompressed':>13} {'ratio':>6} {'budget':>8}"
    )
    print(header)
    over = 0
    for name, budget_key, compressed, plain in results:
        budget = BUDGETS[budget_key]
        verdict = "ok" if compressed.total <= budget else "OVER"
        over += verdict == "OVER"
        print(
            f"{name:<31} {compressed.requests:>8} {compressed.html / KB:>7.1f}KB "
            f"{compressed.total / KB:>10.1f}KB {plain.total / KB:>11.1f}KB "
            f"{compressed.total / plain.total:>6.2f} {budget / KB:>6.0f}KB  {verdict}"
        )
        if ARGS_DETAIL:
            for size, request_url in sorted(compressed.rows, reverse=True):
                print(f"    {size / KB:>7.1f}KB  {request_url.split('/', 3)[-1]}")
        if plain.encoded:
            print(f"  note: the baseline was still encoded ({', '.join(sorted(plain.encoded))})")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
