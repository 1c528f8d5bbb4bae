"""Simplified Chinese by default, English on request; every string of the
console translated, and the compiled catalogues match their sources."""

import gettext
import json
import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils.html import strip_tags

from huying.cases import steps
from huying.console.tests.base import WebTestCase

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = [ROOT / "locale", ROOT / "web" / "locale", ROOT / "console" / "locale", ROOT / "public" / "locale",
              ROOT / "routing" / "locale", ROOT / "api" / "locale"]
# Words that stay as they are in a Chinese page.
LATIN_OK = {"Huying", "English", "YX", "Ctrl", "Enter", "JPEG", "PNG", "WebP", "MB", "j", "k", "API"}
PAGES = [
    ("operator", "console:intake", {}), ("dispatcher", "console:dispatch", {}), ("street", "console:inbox", {}),
    ("supervisor", "console:supervise", {}), ("operator", "console:followups", {}), ("leader", "console:cases", {}),
    ("operator", "console:search", {"q": "垃圾"}), (None, "home", {}), (None, "public:submit", {}),
    (None, "public:track", {}), (None, "login", {}),
]


def entries(po_path):
    """(context, msgid, msgstr, fuzzy) of a .po file, plural forms by their first form."""
    found, block = [], []
    for line in po_path.read_text(encoding="utf-8").split("\n") + [""]:
        if line.strip():
            block.append(line)
            continue
        if block:
            found.append(entry(block))
        block = []
    return [e for e in found if e[1]]


def entry(block):
    parts, current = {}, None
    for line in block:
        match = re.match(r"^(msgid|msgid_plural|msgstr|msgstr\[0\]|msgctxt)\s+(\".*\")$", line)
        if match:
            current = match.group(1)
            parts[current] = json.loads(match.group(2))
        elif line.startswith('"') and current:
            parts[current] += json.loads(line)
    fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in block)
    return parts.get("msgctxt"), parts.get("msgid", ""), parts.get("msgstr", parts.get("msgstr[0]", "")), fuzzy


def visible_latin(html):
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    text = strip_tags(html)
    return {w for w in re.findall(r"[A-Za-z]+", text) if w not in LATIN_OK}


class CatalogueTestCase(WebTestCase):
    def test_every_string_is_translated(self):
        for folder in CATALOGUES:
            po = folder / "zh_Hans" / "LC_MESSAGES" / "django.po"
            for _context, msgid, msgstr, fuzzy in entries(po):
                with self.subTest(catalogue=str(po.relative_to(ROOT)), msgid=msgid):
                    self.assertTrue(msgstr and not fuzzy)

    def test_compiled_catalogues_match_their_sources(self):
        for folder in CATALOGUES:
            base = folder / "zh_Hans" / "LC_MESSAGES"
            with open(base / "django.mo", "rb") as handle:
                compiled = gettext.GNUTranslations(handle)
            for context, msgid, msgstr, _fuzzy in entries(base / "django.po"):
                with self.subTest(catalogue=str(base.relative_to(ROOT)), msgid=msgid):
                    found = compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)
                    self.assertEqual(found, msgstr, "run: huying compilemessages -l zh_Hans -i .venv")


class LanguageTestCase(WebTestCase):
    def setUp(self):
        super().setUp()
        case = self.dispatched_case()
        steps.accept(case, self.street_handler)
        steps.reply(case, self.street_handler, text="已清理")
        self.dispatched_case(title="待签收")

    def open(self, who, name, params):
        if who:
            self.client.force_login(self.everyone[who])
        else:
            self.client.logout()
        return self.client.get(reverse(name), params, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()

    def test_chinese_by_default_with_nothing_left_in_english(self):
        self.assertEqual(settings.LANGUAGE_CODE, "zh-hans")
        for who, name, params in PAGES:
            with self.subTest(page=name, actor=who):
                html = self.open(who, name, params)
                self.assertIn('lang="zh-CN"', html)
                # The viewer's own name (a test user is called "operator") is data, not a label.
                self.assertEqual(visible_latin(html) - {who}, set())

    def test_hints_and_the_case_page_are_chinese_too(self):
        case = self.new_case(category=self.lifts)
        self.client.force_login(self.operator)
        hints = self.client.post(reverse("console:hints"), {
            "title": "垃圾", "text": "东风中路268号楼下垃圾堆放", "address": "东风中路268号", "citizen_phone": "13812345678",
            "category": "02.01.01",
        }).content.decode()
        self.assertIn("北京街道", hints)
        self.assertIn(case.number, hints)
        self.assertEqual(visible_latin(hints), set())
        for who in ("dispatcher", "supervisor"):
            with self.subTest(actor=who):
                self.client.force_login(self.everyone[who])
                page = self.client.get(reverse("console:case", args=[case.number])).content.decode()
                self.assertEqual(visible_latin(page) - {who, "operator"}, set())

    def test_the_switch_turns_pages_english_and_back(self):
        self.client.force_login(self.street_handler)
        inbox = reverse("console:inbox")
        self.client.post(reverse("set_language"), {"language": "en", "next": inbox})
        html = self.client.get(inbox).content.decode()
        self.assertIn('lang="en"', html)
        self.assertIn("Inbox", html)
        self.assertIn("Awaiting acceptance", html)
        self.client.post(reverse("set_language"), {"language": "zh-hans", "next": inbox})
        self.assertIn("待签收", self.client.get(inbox).content.decode())


class ErrorPageTestCase(WebTestCase):
    def test_not_found_and_not_allowed_in_the_console_language(self):
        self.client.force_login(self.street_handler)
        missing = self.client.get(reverse("console:case", args=["YX209901010001"]))
        self.assertContains(missing, "未找到", status_code=404)
        refused = self.client.get(reverse("console:intake"))
        self.assertContains(refused, "无权访问", status_code=403)
