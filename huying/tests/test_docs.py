"""Every setting and every command is documented (in the manner of
Datasette's documentation tests): adding one without docs fails here."""

import re
from pathlib import Path

import pytest

from huying import cli

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = (ROOT / "huying" / "settings.py").read_text(encoding="utf-8")
CONFIG_DOC = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
COMMANDS_DOC = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")

ENV_NAMES = sorted(set(re.findall(r'(?:getenv|envbool|envint)\("([A-Z_]+)"', SETTINGS)))
DOCUMENTED_SETTINGS = set(re.findall(r"^### ([A-Z_]+)$", CONFIG_DOC, re.M))


def huying_commands():
    return [name for name, app, _ in cli.commands() if app.startswith("huying")]


def test_settings_were_found():
    assert "DATABASE_URL" in ENV_NAMES and len(ENV_NAMES) > 10


@pytest.mark.parametrize("name", ENV_NAMES)
def test_setting_is_documented(name):
    assert name in DOCUMENTED_SETTINGS, f"add a '### {name}' section to docs/configuration.md"


def test_no_documented_setting_is_gone():
    assert DOCUMENTED_SETTINGS <= set(ENV_NAMES)


def test_every_command_is_documented():
    documented = set(re.findall(r"^### huying ([a-z0-9-]+)", COMMANDS_DOC, re.M))
    commands = set(huying_commands())
    assert {"load-deployment", "worker", "demo"} <= commands
    assert commands - documented == set(), "document these in docs/commands.md"
    assert documented - commands == set(), "docs/commands.md names commands that do not exist"


def test_every_command_has_a_one_line_help():
    for name, app, text in cli.commands():
        if app.startswith("huying"):
            assert text and len(text) < 100, name


def test_help_lists_huying_commands(capsys):
    cli.main(["huying", "--help"])
    out = capsys.readouterr().out
    for name in huying_commands():
        assert re.search(rf"^  {name} +\S", out, re.M), name


def test_readme_gives_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
