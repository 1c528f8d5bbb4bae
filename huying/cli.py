"""The `huying` command: Django's management commands under one name.

`huying load-deployment yuexiu` is `manage.py load_deployment yuexiu`.
"""

import os
import sys


def main(argv=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huying.settings")
    argv = list(argv or sys.argv)
    if len(argv) < 2 or argv[1] in ("-h", "--help", "help") and len(argv) == 2:
        print(overview())
        return
    argv[1] = argv[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


def commands():
    """(name, app, one-line help) for every command, Huying's first."""
    import django
    from django.core.management import get_commands, load_command_class

    django.setup()
    found = []
    for name, app in get_commands().items():
        text = (load_command_class(app, name).help or "").strip().splitlines()
        found.append((name.replace("_", "-"), app, text[0] if text else ""))
    return sorted(found, key=lambda c: (not c[1].startswith("huying"), c[0]))


def overview():
    lines = ["usage: huying COMMAND [options]   (huying COMMAND --help for its options)", "", "Huying commands:"]
    rest = []
    for name, app, text in commands():
        (lines if app.startswith("huying") else rest).append(f"  {name:<22} {text}")
    return "\n".join(lines + ["", "Django commands:"] + rest)


if __name__ == "__main__":
    main()
