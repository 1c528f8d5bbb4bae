import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from huying.routing import store
from huying.sla import worker


class Command(BaseCommand):
    help = "Run the timed work (urge, supervise, follow-ups due) until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run every job once and exit")
        parser.add_argument("--interval", type=float, default=settings.WORKER_INTERVAL, help="seconds between rounds")

    def handle(self, *args, once=False, interval=10.0, **options):
        stop = threading.Event()
        # SIGTERM (and Ctrl-C) finish the round in progress, then exit.
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        version = store.warm()
        self.stdout.write(f"worker started (smart dispatch model v{version})" if version else "worker started")
        while True:
            close_old_connections()
            counts = worker.tick()
            if any(counts.values()):
                self.stdout.write(" ".join(f"{k}={v}" for k, v in counts.items()))
            if once or stop.wait(interval):
                break
        self.stdout.write("worker stopped")
