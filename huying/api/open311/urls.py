from django.urls import re_path

from huying.api.open311 import views

FMT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    re_path(r"^discovery" + FMT, views.Discovery.as_view(), name="open311-discovery"),
    re_path(r"^services" + FMT, views.ServiceList.as_view(), name="open311-services"),
    re_path(r"^services/(?P<service_code>[^/]+?)" + FMT, views.ServiceDefinition.as_view(), name="open311-service"),
    re_path(r"^requests" + FMT, views.Requests.as_view(), name="open311-requests"),
    re_path(r"^requests/(?P<service_request_id>[^/]+?)" + FMT, views.RequestDetail.as_view(), name="open311-request"),
    re_path(r"^tokens/(?P<token>[^/]+?)" + FMT, views.Token.as_view(), name="open311-token"),
    # Anything else under /open311/v2/ is the spec's "URL request is invalid" (400).
    re_path(r"^(?P<rest>.*)$", views.invalid_url),
]
