"""API of imports: upload a file, follow the import, confirm a dry run."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from api.viewsets import CursorReadOnlyViewSet
from missions.permissions import Verb

from . import services
from .filters import IncidentImportFilterSet
from .models import IncidentImport
from .serializers import ImportUploadSerializer, IncidentImportSerializer


class IncidentImportViewSet(mixins.CreateModelMixin, CursorReadOnlyViewSet):
    queryset = IncidentImport.objects.all()
    serializer_class = IncidentImportSerializer
    filterset_class = IncidentImportFilterSet
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    ordering_fields = ["id", "created_at"]
    ordering = ["-id"]

    @extend_schema(request=ImportUploadSerializer, responses={202: IncidentImportSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Upload a file of events; the import (or its dry run) runs as a background job.

        Follow it at the run's URL: its progress while it runs, then what it did.
        """
        upload = ImportUploadSerializer(data=request.data, context=self.get_serializer_context())
        upload.is_valid(raise_exception=True)
        data = dict(upload.validated_data)
        file = data.pop("file")
        run = services.import_create(
            by=self.caller, file=file, file_name=file.name, run_later=True, **data
        )
        return self._accepted(run)

    @extend_schema(request=None, responses={202: IncidentImportSerializer})
    @action(detail=True, methods=["post"], verb=Verb.CREATE)
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        """Import for real the file of a finished dry run, with the same choices."""
        return self._accepted(services.import_confirm(by=self.caller, run=self.get_object()))

    @property
    def caller(self) -> User:
        user = self.request.user
        assert isinstance(user, User), "signed in: the permission class let nobody else through"
        return user

    def _accepted(self, run: IncidentImport) -> Response:
        run.refresh_from_db()  # an in-process run (no broker) has finished by now
        self.answered = run
        return Response(self.get_serializer(run).data, status=status.HTTP_202_ACCEPTED)
