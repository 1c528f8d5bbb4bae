"""A case's photos over REST, by the console's rules (`huying.cases.attachments`).

- `GET /cases/{number}/attachments/`: the photos this person may see (staff
  who see the case: all; a citizen on their own case: their request's and
  the reply's), with a download URL each.
- `POST /cases/{number}/attachments/`: one photo as multipart `file`, with
  an optional `note` and `version`; an `attach` event in the case's history.
- `GET /cases/{number}/attachments/{id}/download/`: the bytes, to those who
  may see them (404 to others, as `/files/{id}/` answers).

A case outside the person's scope is 404, as everywhere in the API.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from huying.api.rest import serializers as s
from huying.cases import attachments
from huying.cases.errors import BadInput, Conflict
from huying.web import uploads

ATTACHMENT_ID = OpenApiParameter("attachment_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The photo's id.")
PHOTO_TYPES = [content_type for content_type, _extension in attachments.FORMATS.values()]
ERROR = OpenApiResponse(description='`{"detail": …, "code": …}`')


class AttachmentsMixin:
    """Mixed into the case view set: `self.get_object()` is the case, in scope."""

    @extend_schema(
        responses={200: s.AttachmentSerializer(many=True), 404: ERROR}, summary="The case's photos", tags=["attachments"],
        description="Staff who may see the case get all its photos; a citizen on their own case those of the request and the reply.",
    )
    @action(detail=True, methods=["get"], url_path="attachments", url_name="attachments", parser_classes=[MultiPartParser],
            pagination_class=None)
    def attachment_list(self, request, number=None):
        case = self.get_object()
        rows = attachments.visible_to(request.user, case)
        return Response(s.AttachmentSerializer(rows, many=True, context={"request": request}).data)

    @extend_schema(
        request={"multipart/form-data": s.AttachmentIn},
        responses={201: s.AttachmentSerializer, 400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR, 413: ERROR, 415: ERROR},
        summary="Add a photo to the case", tags=["attachments"],
        description="One photo (JPEG, PNG or WebP; re-encoded without EXIF) as the multipart field `file`, with an optional "
                    "`note`; recorded as an `attach` event. The command centre, and handlers of the lead unit, a co-unit or "
                    "the case's street, community or grid, on an open case.",
    )
    @attachment_list.mapping.post
    def attach(self, request, number=None):
        case = self.get_object()
        # Before the body is read: the middleware's limit is for all of the API.
        if uploads.body_too_big(request, photos=1):
            raise attachments.TooLarge(_("The request is too large for one photo."))
        attachments.require_attachable(case, request.user)
        given = s.AttachmentIn(data=request.data)
        if len(request.FILES.getlist("file")) > 1:
            raise BadInput(_("One photo at a time."))
        given.is_valid(raise_exception=True)
        data = given.validated_data
        if data.get("version") not in (None, case.version):
            raise Conflict(_("Case %(number)s changed since you read it (version %(seen)s, now %(now)s).")
                           % {"number": case.number, "seen": data["version"], "now": case.version})
        photo = attachments.check_one(data["file"])
        attachment = attachments.attach(case, request.user, photo, note=data.get("note", ""))
        out = s.AttachmentSerializer(attachment, context={"request": request})
        return Response(out.data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[ATTACHMENT_ID],
        responses={**{(200, kind): OpenApiTypes.BINARY for kind in PHOTO_TYPES}, 404: ERROR},
        summary="Download a photo of the case", tags=["attachments"],
        description="The photo's bytes, to those who may see it (others get 404, as for a case outside their scope).",
    )
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_id>[0-9]+)/download",
            url_name="attachment-download")
    def download(self, request, number=None, attachment_id=None):
        case = self.get_object()
        attachment = case.attachments.select_related("case", "event").filter(pk=attachment_id).first()
        if attachment is None or not attachments.may_view(request.user, attachment):
            raise Http404
        return uploads.send(attachment)

    def perform_content_negotiation(self, request, force=False):
        # A download may be asked for with `Accept: image/jpeg`; its errors
        # are still JSON.
        return super().perform_content_negotiation(request, force=force or self.action == "download")
