import csv
import datetime as dt
import sys

from django.core.management.base import BaseCommand, CommandError

from huying.analytics.hotspots import Message, find

COLUMNS = ["id", "title", "body", "created_at", "likes"]


class Command(BaseCommand):
    help = "Print the hottest groups of messages in a CSV (id,title,body,created_at,likes[,dislikes])."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV file with the columns id,title,body,created_at,likes (dislikes optional)")
        parser.add_argument("--top", type=int, default=5, help="how many groups to print (default %(default)s)")
        parser.add_argument("--ids", type=int, default=20, help="at most this many ids per group (default %(default)s; 0: all)")

    def handle(self, *args, file, top, ids, **opts):
        messages = read(file)
        spots = find(messages, top=max(top, 1))
        if not spots:
            self.stdout.write("No two messages are about the same problem in the same place and time.")
            return
        for n, spot in enumerate(spots, start=1):
            shown = spot.ids if not ids else spot.ids[:ids]
            more = f" … (+{len(spot.ids) - len(shown)})" if len(shown) < len(spot.ids) else ""
            self.stdout.write(f"{n}. {spot.title}")
            self.stdout.write(f"   place: {spot.place or '-'}   period: {spot.first:%Y-%m-%d} – {spot.last:%Y-%m-%d}")
            self.stdout.write(f"   size: {spot.size}   people: {spot.people}   likes: {spot.likes}   "
                              f"pace: {spot.pace:.1f}/week   heat: {spot.heat:.1f}")
            self.stdout.write(f"   ids: {', '.join(shown)}{more}")


def read(path):
    try:
        f = open(path, encoding="utf-8-sig", newline="")
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror}") from None
    with f:
        reader = csv.DictReader(f)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise CommandError(f"{path} lacks the columns {', '.join(missing)}; it needs {','.join(COLUMNS)}")
        messages, bad = [], []
        try:
            for row in reader:
                try:
                    at = dt.datetime.fromisoformat(row["created_at"].strip())
                    likes = int(row["likes"] or 0)
                except ValueError:
                    bad.append(reader.line_num)
                    continue
                messages.append(Message(id=row["id"].strip(), title=row["title"] or "", body=row["body"] or "", at=at, likes=likes))
        except UnicodeDecodeError:
            raise CommandError(f"{path} is not UTF-8.") from None
    if bad:
        print(f"skipped {len(bad)} rows with a bad created_at or likes (lines {', '.join(map(str, bad[:10]))}"
              f"{' …' if len(bad) > 10 else ''})", file=sys.stderr)
    return messages
