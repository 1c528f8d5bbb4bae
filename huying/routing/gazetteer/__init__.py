"""Place from words: address text → street (街道) and community (社区).

The data (`yuexiu.csv`) is the project's own compilation for Yuexiu District, Guangzhou;
a deployment for another district ships its own file and loads it with `Gazetteer.load(path)`.
"""

from huying.routing.gazetteer.resolve import (
    DEFAULT_PATH,
    Entry,
    Gazetteer,
    Match,
    chinese_number,
    default_gazetteer,
    normalize_text,
    other_area_marker,
    resolve,
)

__all__ = [
    "DEFAULT_PATH",
    "Entry",
    "Gazetteer",
    "Match",
    "chinese_number",
    "default_gazetteer",
    "normalize_text",
    "other_area_marker",
    "resolve",
]
