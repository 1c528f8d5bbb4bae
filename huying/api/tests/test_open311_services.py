"""Open311 discovery, GET services and GET service definition, in JSON and XML."""

from django.test import override_settings

from huying.api.tests.base import ApiTestCase, as_json, as_xml
from huying.cases.models import Category


class DiscoveryTest(ApiTestCase):
    def test_json(self):
        doc = as_json(self.o311_get("discovery"))
        endpoint = doc["endpoints"][0]
        self.assertEqual(endpoint["specification"], "http://wiki.open311.org/GeoReport_v2")
        self.assertEqual(endpoint["url"], "http://testserver/open311/v2")
        self.assertEqual(endpoint["formats"], ["text/xml", "application/json"])
        self.assertTrue(doc["changeset"] and doc["contact"] and doc["key_service"])

    def test_xml(self):
        root = as_xml(self.o311_get("discovery", "xml"))
        self.assertEqual(root.tag, "discovery")
        self.assertEqual([f.text for f in root.findall("endpoints/endpoint/formats/format")], ["text/xml", "application/json"])


class ServiceListTest(ApiTestCase):
    def test_json_lists_leaf_categories_as_services(self):
        services = as_json(self.o311_get("services"))
        codes = [s["service_code"] for s in services]
        self.assertEqual(codes, ["01.01.01", "02.01.01"])  # leaves only, not 01 or 01.01
        rubbish = services[1]
        self.assertEqual(rubbish, {
            "service_code": "02.01.01", "service_name": "垃圾清运", "description": "市容环境 › 环境卫生 › 垃圾清运",
            "metadata": True, "type": "realtime", "keywords": "", "group": "市容环境",
        })

    def test_xml(self):
        root = as_xml(self.o311_get("services", "xml"))
        self.assertEqual(root.tag, "services")
        first = root.find("service")
        self.assertEqual(first.findtext("service_code"), "01.01.01")
        self.assertEqual(first.findtext("metadata"), "true")
        self.assertEqual(first.findtext("group"), "城乡建设")

    def test_inactive_category_is_no_service(self):
        Category.objects.filter(code="02.01.01").update(active=False)
        self.assertEqual([s["service_code"] for s in as_json(self.o311_get("services"))], ["01.01.01"])

    def test_keywords_are_comma_separated(self):
        Category.objects.filter(code="02.01.01").update(keywords="垃圾|清运")
        self.assertEqual(as_json(self.o311_get("services"))[1]["keywords"], "垃圾, 清运")

    @override_settings(OPEN311_SERVICE_TYPE="batch")
    def test_batch_type(self):
        self.assertEqual({s["type"] for s in as_json(self.o311_get("services"))}, {"batch"})

    def test_jurisdiction(self):
        self.assertEqual(self.o311_get("services", jurisdiction_id="yuexiu.gov.cn").status_code, 200)
        self.assertEqual(self.o311_get("services", jurisdiction_id="").status_code, 200)  # empty = not given
        response = self.o311_get("services", jurisdiction_id="sfgov.org")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(as_json(response), [{"code": 404, "description": "未找到 jurisdiction_id sfgov.org。"}])
        root = as_xml(self.o311_get("services", "xml", jurisdiction_id="sfgov.org"))
        self.assertEqual(root.tag, "errors")
        self.assertEqual(root.findtext("error/code"), "404")

    def test_accept_header_does_not_override_the_suffix(self):
        response = self.client.get("/open311/v2/services.xml", headers={"Accept": "application/json"})
        as_xml(response)


class ServiceDefinitionTest(ApiTestCase):
    def test_json(self):
        doc = as_json(self.o311_get("services/02.01.01"))
        self.assertEqual(doc["service_code"], "02.01.01")
        codes = [a["code"] for a in doc["attributes"]]
        self.assertEqual(codes, ["kind", "urgency", "title", "confidential", "external_id"])
        kind = doc["attributes"][0]
        self.assertEqual((kind["variable"], kind["datatype"], kind["required"], kind["order"]), (True, "singlevaluelist", False, 1))
        self.assertEqual([v["key"] for v in kind["values"]], ["consult", "help", "complaint", "report", "suggestion", "praise"])
        self.assertTrue(all(v["name"] for v in kind["values"]))
        self.assertEqual([a["order"] for a in doc["attributes"]], [1, 2, 3, 4, 5])

    def test_xml(self):
        root = as_xml(self.o311_get("services/02.01.01", "xml"))
        self.assertEqual(root.tag, "service_definition")
        self.assertEqual(root.findtext("service_code"), "02.01.01")
        attribute = root.find("attributes/attribute")
        self.assertEqual(attribute.findtext("variable"), "true")
        self.assertEqual(len(attribute.findall("values/value")), 6)
        self.assertEqual(attribute.find("values/value").findtext("key"), "consult")

    def test_unknown_service(self):
        for fmt in ("json", "xml"):
            with self.subTest(fmt=fmt):
                response = self.o311_get("services/99.99.99", fmt)
                self.assertEqual(response.status_code, 404)
        self.assertEqual(as_json(self.o311_get("services/99.99.99"))[0]["description"], "未找到 service_code 99.99.99。")

    def test_a_branch_is_no_service(self):
        self.assertEqual(self.o311_get("services/02.01").status_code, 404)

    def test_invalid_url_is_400(self):
        response = self.client.get("/open311/v2/nothing.json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(as_json(response)[0]["code"], 400)
        as_xml(self.client.get("/open311/v2/services.html"))
