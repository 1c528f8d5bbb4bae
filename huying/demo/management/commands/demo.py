"""`huying demo`: from nothing to a running platform with a year of cases.

It builds a fresh SQLite database, loads the deployment, creates the demo
logins and cases, then runs the web server and the worker as child processes
until Ctrl-C or SIGTERM, which stop both.
"""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from huying.demo import generator, users
from huying.org import deployment

SQLITE = "django.db.backends.sqlite3"
STOP_SECONDS = 15  # how long a child may take to stop before it is killed


class Command(BaseCommand):
    help = "Fresh demo database (Yuexiu, demo logins, a year of cases), served with the worker until Ctrl-C."
    # The checks would look at the database this command is about to replace.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=2000, help="how many demo cases (default 2000)")
        parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 to serve (default 8000)")
        parser.add_argument("--seed", type=int, default=2021, help="random seed of the demo cases (default 2021)")
        parser.add_argument("--no-serve", action="store_true", help="stop after building the database")
        parser.add_argument("--force", action="store_true",
                            help="use a non-SQLite DATABASE_URL anyway: EVERYTHING in that database is deleted")

    def handle(self, *args, cases, port, seed, no_serve, force, **options):
        started = time.monotonic()
        database = settings.DATABASES["default"]
        if database["ENGINE"] != SQLITE and not force:
            raise CommandError(
                f"DATABASE_URL points to a {database['ENGINE'].rsplit('.', 1)[-1]} database; the demo would delete "
                "everything in it. Unset DATABASE_URL to use the demo's own SQLite file, or add --force."
            )
        if cases < 0:
            raise CommandError("--cases must be 0 or more")
        if not no_serve:
            require_free_port(port)  # before a minute of work, not after

        self.say("Fresh database")
        if database["ENGINE"] == SQLITE:
            fresh_sqlite(database["NAME"])
            call_command("migrate", verbosity=0)
        else:
            call_command("migrate", verbosity=0)
            call_command("flush", interactive=False, verbosity=0)
        self.say(f"Loading the {settings.DEPLOYMENT} deployment")
        deployment.load(settings.DEPLOYMENT)
        table = users.ensure()
        if cases:
            self.say(f"Generating {cases} demo cases (seed {seed})")
            summary = generator.generate(cases, seed=seed, progress=True)
            for line in summary.lines():
                self.stdout.write(f"  {line}")
            self.train_router()
        call_command("collectstatic", interactive=False, verbosity=0)

        self.stdout.write(f"\nDemo logins (every one reaches the admin pages):\n{users.table_text(table)}\n")
        if no_serve:
            self.say(f"Ready in {time.monotonic() - started:.0f} s; serve it with: huying demo (or gunicorn + huying worker)")
            return
        self.serve(port, started)

    def train_router(self):
        """Smart dispatch learns from the demo's closed cases, as a deployment
        learns from its own history, so text alone finds a unit in the demo."""
        self.say("Training smart dispatch on the demo's closed cases")
        try:
            call_command("router", "train", "--from-cases", "--no-progress", stdout=self.stdout)
        except CommandError as error:  # too few cases: the demo still runs, with the category rules only
            self.stdout.write(f"  not trained: {error}")

    def say(self, text):
        self.stdout.write(self.style.SUCCESS(f"==> {text}"))

    def serve(self, port, started):
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        children = {
            "web": start([sys.executable, "-m", "gunicorn", "huying.wsgi:application",
                          "--bind", f"127.0.0.1:{port}", "--workers", "2"]),
            "worker": start([sys.executable, "-m", "huying.cli", "worker"]),
        }
        try:
            if wait_until_listening(port, children["web"], stop):
                self.say(f"Serving http://127.0.0.1:{port}/admin/ (ready {time.monotonic() - started:.0f} s after start); "
                         "Ctrl-C stops web and worker")
            ended = watch(children, stop)
        finally:
            stop_all(children)
        if ended:
            raise CommandError(f"the {ended} process stopped unexpectedly; the demo is down")
        self.say("Stopped")


def fresh_sqlite(name):
    """Remove the SQLite file (and its WAL files) so migrate starts clean."""
    name = str(name)
    if name == ":memory:" or "mode=memory" in name:
        raise CommandError("the demo needs a database file, not an in-memory SQLite database")
    connections.close_all()
    path = Path(name)
    for leftover in (path, Path(f"{name}-wal"), Path(f"{name}-shm"), Path(f"{name}-journal")):
        leftover.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)


def require_free_port(port):
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            raise CommandError(f"port {port} is in use (another demo?); stop it or choose another with --port") from None


def start(command):
    # The children inherit the environment, so they use the same database.
    return subprocess.Popen(command, env=os.environ.copy())


def wait_until_listening(port, web, stop, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not stop.is_set() and web.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            stop.wait(0.2)
    return False


def watch(children, stop):
    """Wait for Ctrl-C / SIGTERM; return the name of a child that died first, if any."""
    while not stop.wait(0.5):
        for name, process in children.items():
            if process.poll() is not None:
                return name
    return None


def stop_all(children):
    """SIGTERM both (each stops cleanly on it), then kill what is still running."""
    for process in children.values():
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_SECONDS
    for process in children.values():
        try:
            process.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
