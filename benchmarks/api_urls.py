"""The project's URLs plus the benchmark's floor: a bare Django view answering the same 100
incidents as the API's first page, read with `values()` and dumped as JSON, with no
authentication, permission class, serializer, filter or pagination machinery."""

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, JsonResponse
from django.urls import path

from accounts.models import User
from incidents.models import Incident
from poc_tracker.urls import urlpatterns as project

FIELDS = [f.attname for f in Incident._meta.concrete_fields]


def bare_incidents(request: HttpRequest) -> JsonResponse:
    # the caller's scope as the API applies it, so the rows are the same rows
    user = User.objects.get(username=request.GET["as"])
    rows = list(Incident.objects.visible_to(user).order_by("-pk").values(*FIELDS)[:100])
    return JsonResponse({"results": rows}, encoder=DjangoJSONEncoder)


urlpatterns = [path("bare/incidents/", bare_incidents), *project]
