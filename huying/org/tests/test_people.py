"""Roles and scopes: a person acts only within their unit's subtree; the
centre works for the whole district."""

from huying.org import people
from huying.org.models import Membership as M
from huying.test import BaseTestCase


class PeopleTestCase(BaseTestCase):
    def test_scope_of_the_centre_is_the_district(self):
        self.assertTrue(people.has_role(self.operator, M.OPERATOR, over=self.grid_unit))
        self.assertTrue(people.has_role(self.dispatcher, M.DISPATCHER, over=self.housing))

    def test_a_street_covers_its_communities_and_grids_only(self):
        self.assertTrue(people.has_role(self.street_handler, M.HANDLER, over=self.community))
        self.assertTrue(people.has_role(self.street_handler, M.HANDLER, over=self.grid_unit))
        self.assertFalse(people.has_role(self.street_handler, M.HANDLER, over=self.other_community))
        self.assertFalse(people.has_role(self.community_handler, M.HANDLER, over=self.street))

    def test_roles_are_not_interchangeable(self):
        self.assertFalse(people.has_role(self.street_handler, M.SUPERVISOR))
        self.assertFalse(people.has_role(self.leader, M.HANDLER))

    def test_citizen_and_centre(self):
        self.assertTrue(people.is_citizen(self.citizen))
        self.assertFalse(people.is_citizen(self.street_handler))
        self.assertFalse(people.is_citizen(self.admin))
        self.assertTrue(people.is_centre(self.supervisor))
        self.assertFalse(people.is_centre(self.leader))

    def test_unit_paths_follow_the_tree(self):
        self.assertEqual(self.grid_unit.path, "/440104/440104001/440104001001/440104001001-01/")
        self.assertTrue(self.district.contains(self.grid_unit))
        self.assertFalse(self.other_street.contains(self.grid_unit))
