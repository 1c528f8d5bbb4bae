"""Place from a map point: which street's boundary holds the point.

A deployment that has street boundaries ships them as
`huying/org/deployments/NAME/streets.geojson`: a FeatureCollection of
Polygon / MultiPolygon features whose `properties.code` is the street's unit
code, in the same coordinate system as the map points the deployment takes
(WGS84 unless its map tiles say otherwise). A deployment without polygons
may ship `centroids.csv` (`code,lat,lng`, streets or communities): then a
point goes to the nearest centroid within `CENTROID_RADIUS_M`, with a lower
confidence, because a nearest centre is only a guess near a boundary.

Yuexiu has no public street polygons, so it ships neither file and a map
point there says nothing about the street; the address text does.
"""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

DEPLOYMENTS = Path(__file__).resolve().parents[1] / "org" / "deployments"
POLYGON_CONFIDENCE = 0.95
CENTROID_CONFIDENCE = 0.6
CENTROID_RADIUS_M = 1500
EARTH_RADIUS_M = 6_371_000


@dataclass(frozen=True)
class PointMatch:
    code: str
    confidence: float
    reason: str


def ring_contains(ring, lng, lat):
    """Ray casting: is the point inside the closed ring of [lng, lat] pairs?"""
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > lat) != (yj > lat) and lng < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def polygon_contains(rings, lng, lat):
    """Inside the outer ring and outside every hole."""
    return ring_contains(rings[0], lng, lat) and not any(ring_contains(hole, lng, lat) for hole in rings[1:])


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    polygons: tuple  # each a list of rings
    bbox: tuple  # min_lng, min_lat, max_lng, max_lat

    def contains(self, lng, lat):
        x0, y0, x1, y1 = self.bbox
        if not (x0 <= lng <= x1 and y0 <= lat <= y1):
            return False
        return any(polygon_contains(rings, lng, lat) for rings in self.polygons)


def distance_m(lat1, lng1, lat2, lng2):
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


class Boundaries:
    """Street polygons and/or centroids of one deployment."""

    def __init__(self, areas=(), centroids=()):
        self.areas = list(areas)
        self.centroids = list(centroids)  # (code, lat, lng)

    @classmethod
    def load(cls, polygons=None, centroids=None):
        areas = read_geojson(polygons) if polygons and Path(polygons).exists() else []
        points = read_centroids(centroids) if centroids and Path(centroids).exists() else []
        return cls(areas, points)

    @classmethod
    def of_deployment(cls, name):
        folder = DEPLOYMENTS / name
        return cls.load(folder / "streets.geojson", folder / "centroids.csv")

    def __bool__(self):
        return bool(self.areas or self.centroids)

    def locate(self, lat, lng):
        """The street (or community) code at a point, or None."""
        if lat is None or lng is None:
            return None
        for area in self.areas:
            if area.contains(lng, lat):
                reason = _("map point inside the boundary of %(area)s") % {"area": area.name or area.code}
                return PointMatch(area.code, POLYGON_CONFIDENCE, reason)
        if not self.centroids:
            return None
        metres, code = min((distance_m(lat, lng, c_lat, c_lng), code) for code, c_lat, c_lng in self.centroids)
        if metres > CENTROID_RADIUS_M:
            return None
        reason = _("map point %(metres).0f m from the centre of %(code)s (nearest centroid)") % {"metres": metres, "code": code}
        return PointMatch(code, CENTROID_CONFIDENCE, reason)


def read_geojson(path):
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    areas = []
    for n, feature in enumerate(data.get("features", []), start=1):
        props = feature.get("properties") or {}
        geometry = feature.get("geometry") or {}
        code = str(props.get("code") or "").strip()
        if not code:
            raise ValueError(f"{path}: feature {n} has no properties.code")
        if geometry.get("type") == "Polygon":
            polygons = [geometry["coordinates"]]
        elif geometry.get("type") == "MultiPolygon":
            polygons = geometry["coordinates"]
        else:
            raise ValueError(f"{path}: feature {n} ({code}) is a {geometry.get('type')}, not a (Multi)Polygon")
        xs = [pt[0] for rings in polygons for pt in rings[0]]
        ys = [pt[1] for rings in polygons for pt in rings[0]]
        areas.append(Area(code, str(props.get("name") or ""), tuple(polygons), (min(xs), min(ys), max(xs), max(ys))))
    return areas


def read_centroids(path):
    with open(path, encoding="utf-8", newline="") as f:
        try:
            return [(row["code"].strip(), float(row["lat"]), float(row["lng"])) for row in csv.DictReader(f)]
        except (KeyError, ValueError) as error:
            raise ValueError(f"{path}: needs the columns code,lat,lng with numbers ({error})") from None


@lru_cache(maxsize=4)
def deployment_boundaries(name=None):
    return Boundaries.of_deployment(name or settings.DEPLOYMENT)
