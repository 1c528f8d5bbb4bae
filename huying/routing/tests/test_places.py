"""Place from a map point: street polygons where a deployment has them,
nearest centroid when it only has centres, nothing otherwise.

Yuexiu has no public street boundaries, so these polygons are made up: two
squares side by side, the western one with a hole."""

import json
import tempfile
from pathlib import Path
from unittest import mock

from django.test import SimpleTestCase

from huying.routing import location, places
from huying.routing.places import Boundaries, distance_m
from huying.test import BaseTestCase

WEST = [[[113.0, 23.0], [113.1, 23.0], [113.1, 23.1], [113.0, 23.1], [113.0, 23.0]],
        [[113.04, 23.04], [113.06, 23.04], [113.06, 23.06], [113.04, 23.06], [113.04, 23.04]]]  # a hole
EAST = [[[113.1, 23.0], [113.2, 23.0], [113.2, 23.1], [113.1, 23.1], [113.1, 23.0]]]
ISLAND = [[[113.3, 23.3], [113.31, 23.3], [113.31, 23.31], [113.3, 23.3]]]


def collection():
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "440104001", "name": "洪桥街道"}, "geometry": {"type": "Polygon", "coordinates": WEST}},
        {"type": "Feature", "properties": {"code": "440104003", "name": "北京街道"},
         "geometry": {"type": "MultiPolygon", "coordinates": [EAST, ISLAND]}},
    ]}


class Files:
    def write(self, name, text):
        path = Path(self.folder.name) / name
        path.write_text(text, encoding="utf-8")
        return path

    def setUp(self):
        super().setUp()
        self.folder = tempfile.TemporaryDirectory()
        self.addCleanup(self.folder.cleanup)
        self.polygons = self.write("streets.geojson", json.dumps(collection()))


class BoundariesTestCase(Files, SimpleTestCase):
    def test_a_point_inside_a_polygon(self):
        streets = Boundaries.load(self.polygons)
        self.assertEqual(streets.locate(23.02, 113.02).code, "440104001")
        self.assertEqual(streets.locate(23.05, 113.15).code, "440104003")
        self.assertEqual(streets.locate(23.302, 113.305).code, "440104003")  # the MultiPolygon's second part
        self.assertIn("inside the boundary of 洪桥街道", streets.locate(23.02, 113.02).reason)

    def test_holes_and_outside_points(self):
        streets = Boundaries.load(self.polygons)
        self.assertIsNone(streets.locate(23.05, 113.05))  # in the hole
        self.assertIsNone(streets.locate(22.5, 113.05))
        self.assertIsNone(streets.locate(None, None))

    def test_nearest_centroid_only_when_the_deployment_gives_centroids(self):
        self.assertIsNone(Boundaries.load(None, None).locate(23.02, 113.02))
        centroids = self.write("centroids.csv", "code,lat,lng\n440104001001,23.0,113.0\n440104003,23.0,113.01\n")
        streets = Boundaries.load(None, centroids)
        match = streets.locate(23.0, 113.002)
        self.assertEqual((match.code, match.confidence), ("440104001001", places.CENTROID_CONFIDENCE))
        self.assertIn("nearest centroid", match.reason)
        self.assertIsNone(streets.locate(23.1, 113.0))  # 11 km away: too far to guess

    def test_polygons_win_over_centroids(self):
        centroids = self.write("centroids.csv", "code,lat,lng\n440104003,23.02,113.02\n")
        match = Boundaries.load(self.polygons, centroids).locate(23.02, 113.02)
        self.assertEqual((match.code, match.confidence), ("440104001", places.POLYGON_CONFIDENCE))

    def test_bad_files_are_refused_with_the_reason(self):
        data = collection()
        data["features"][0]["properties"] = {}
        with self.assertRaisesRegex(ValueError, "feature 1 has no properties.code"):
            Boundaries.load(self.write("bad.geojson", json.dumps(data)))
        data = collection()
        data["features"][1]["geometry"] = {"type": "Point", "coordinates": [113, 23]}
        with self.assertRaisesRegex(ValueError, r"feature 2 \(440104003\) is a Point"):
            Boundaries.load(self.write("bad.geojson", json.dumps(data)))
        with self.assertRaisesRegex(ValueError, "code,lat,lng"):
            Boundaries.load(None, self.write("bad.csv", "code,lat\n1,2\n"))

    def test_yuexiu_ships_no_boundaries(self):
        self.assertFalse(Boundaries.of_deployment("yuexiu"))

    def test_distance(self):
        self.assertAlmostEqual(distance_m(23.0, 113.0, 23.0, 113.01), 1023, delta=2)


class PointAtIntakeTestCase(Files, BaseTestCase):
    def test_a_map_point_gives_the_street_before_the_address_does(self):
        streets = Boundaries.load(self.polygons)
        with mock.patch.object(location, "deployment_boundaries", return_value=streets):
            place = location.place_of({"lat": 23.05, "lng": 113.15, "address": "越秀区洪桥街道"})
            self.assertEqual((place.street, place.confidence), (self.other_street, places.POLYGON_CONFIDENCE))
            # Outside every polygon the address decides.
            place = location.place_of({"lat": 22.5, "lng": 113.15, "address": "越秀区洪桥街道"})
            self.assertEqual(place.street, self.street)
            self.assertIn("address:", place.reason)

    def test_a_centroid_of_a_community_gives_both(self):
        centroids = self.write("centroids.csv", "code,lat,lng\n440104001001,23.0,113.0\n")
        with mock.patch.object(location, "deployment_boundaries", return_value=Boundaries.load(None, centroids)):
            place = location.place_of({"lat": 23.0005, "lng": 113.0})
        self.assertEqual((place.street, place.community), (self.street, self.community))

    def test_a_person_s_choice_stands(self):
        place = location.place_of({"street": self.other_street, "address": "越秀区洪桥街道"})
        self.assertEqual((place.street, place.confidence, place.given), (self.other_street, 1.0, True))


class AddressAloneTestCase(BaseTestCase):
    """The typing-time hint: the place an address names, by the same gazetteer as routing."""

    def test_found_with_the_words_that_decided(self):
        place = location.address_place("北京路步行街")
        self.assertEqual(place.street, self.other_street)
        self.assertIn("北京路步行街", place.matched)
        self.assertGreater(place.confidence, 0.6)

    def test_another_district_is_no_place_and_says_why(self):
        place = location.address_place("天河区天河路385号")
        self.assertIsNotNone(place)
        self.assertFalse(place)
        self.assertIn("天河区", place.reason)

    def test_a_street_the_deployment_lacks_is_no_place(self):
        place = location.address_place("登峰街道")  # a real Yuexiu street, not in this test district
        self.assertFalse(place)
        self.assertEqual(place.reason, "address: not a street of this deployment")

    def test_no_address_is_no_answer(self):
        self.assertIsNone(location.address_place("  "))
