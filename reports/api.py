"""`GET /api/v1/reports/poc/`: the POC report, as JSON, CSV, HXL or XLSX, answered conditionally."""

from __future__ import annotations

import hashlib
from typing import Any

from django.http import FileResponse
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_standardized_errors.openapi_serializers import ValidationErrorResponseSerializer
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from api.permissions import ReadOnlyTokenPermission
from api.viewsets import ReadOnlyViewSet

from . import services
from .choices import ExportStatus
from .models import ReportExport
from .renderers import CSVRenderer, HXLRenderer, PDFRenderer, XLSXRenderer
from .selectors import cleared_missions, freshness, leaves_mission, poc_report, report_missions
from .serializers import PocReportSerializer, ReportExportSerializer, ReportQuerySerializer
from .tables import report_data


class PocReportView(APIView):
    """Every mission the caller may read, side by side, for one period, from rollups only."""

    permission_classes = [ReadOnlyTokenPermission]
    renderer_classes = [JSONRenderer, CSVRenderer, XLSXRenderer, HXLRenderer, PDFRenderer]

    @extend_schema(
        tags=["reports"],
        parameters=[
            ReportQuerySerializer,
            OpenApiParameter(
                "format",
                str,
                enum=["json", "csv", "xlsx", "hxl"],
                description="The format, instead of the Accept header.",
            ),
        ],  # fmt: skip
        responses={
            (200, "application/json"): PocReportSerializer,
            (200, "text/csv"): OpenApiTypes.STR,
            (200, XLSXRenderer.media_type): OpenApiTypes.BINARY,
            (200, PDFRenderer.media_type): OpenApiTypes.BINARY,
            304: OpenApiResponse(description="Nothing changed since the ETag or date given."),
            400: ValidationErrorResponseSerializer,
        },
    )
    def get(self, request: Request) -> Response:
        query = ReportQuerySerializer(
            data={"period": request.query_params.get("period", ""),
                  "mission": request.query_params.getlist("mission")},
            context={"request": request},
        )  # fmt: skip
        query.is_valid(raise_exception=True)
        period, wanted = query.validated_data["period"], query.validated_data["mission"]
        missions = report_missions(request.user, wanted)
        hxl = request.accepted_renderer.format == "hxl"
        changed = freshness(missions)
        cleared = cleared_missions(request.user, missions)
        protected = leaves_mission(missions, cleared, hxl=hxl)
        tag = _etag(period.label, missions, changed, protected, request)
        last_modified = int(changed.timestamp()) if changed else None
        unchanged = get_conditional_response(
            request._request, etag=tag, last_modified=last_modified
        )
        headers = {"ETag": tag, "Vary": "Accept, Accept-Language, Authorization, Cookie"}
        if changed is not None:
            headers["Last-Modified"] = http_date(changed.timestamp())
        if unchanged is not None:
            return Response(status=unchanged.status_code, headers=headers)
        report = poc_report(
            user=request.user, period=period, missions=missions, hxl=hxl, cleared=cleared
        )
        fmt = request.accepted_renderer.format
        if fmt != "json":
            extension = "csv" if fmt == "hxl" else fmt
            name = f"poc-report-{period.label}{'-hxl' if hxl else ''}.{extension}"
            headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return Response(report_data(report), headers=headers)

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        # an error is JSON, whatever format was asked for
        if response.status_code >= 400:
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


def _etag(
    label: str, missions: list[Any], changed: Any, protected: set[int], request: Request
) -> str:
    """The version of the answer: the period, the missions and when their figures last changed,
    what is hidden, the format and the language."""
    parts = [
        label,
        ",".join(str(m.pk) for m in missions),
        changed.isoformat() if changed else "",
        ",".join(str(pk) for pk in sorted(protected)),
        request.accepted_renderer.format or "",
        translation.get_language() or "",
    ]
    return '"' + hashlib.sha256("|".join(parts).encode()).hexdigest()[:32] + '"'


class ReportExportViewSet(mixins.CreateModelMixin, ReadOnlyViewSet):
    """The all-missions, all-years, locality-level export: ask for it, poll it, download it.

    Each user's own: another user's export is a 404, whatever their role.
    """

    queryset = ReportExport.objects.select_related("requested_by")
    serializer_class = ReportExportSerializer
    permission_classes = [ReadOnlyTokenPermission]

    @extend_schema(tags=["reports"], responses={202: ReportExportSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Ask for the export; a job makes it. Poll the export, then download its file."""
        given = ReportExportSerializer(data=request.data, context=self.get_serializer_context())
        given.is_valid(raise_exception=True)
        user = request.user
        assert isinstance(user, User), "signed in: the permission class let nobody else through"
        export = services.export_request(by=user, format=given.validated_data["format"])
        export.refresh_from_db()  # an in-process job (no broker) has finished by now
        return Response(self.get_serializer(export).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        tags=["reports"],
        responses={(200, "text/csv"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str | None = None) -> FileResponse:
        """The export's file, while it is ready and not expired (404 otherwise)."""
        export = self.get_object()
        if export.status != ExportStatus.READY or not export.file:
            raise NotFound(_("This export is not ready, or has expired."))
        return FileResponse(
            export.file.open("rb"),
            as_attachment=True,
            filename=export.file.name.rsplit("/", 1)[-1],
            content_type="text/csv",
        )
