"""A user's own API tokens: issue (the secret shown once), list, revoke."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user, verify_token
from drf_spectacular.utils import OpenApiParameter, extend_schema
from knox.auth import TokenAuthentication
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.authentication import BasicAuthentication, SessionAuthentication
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.middleware import must_confirm

from . import services
from .models import ApiToken
from .permissions import ReadOnlyTokenPermission


class TokenSerializer(serializers.ModelSerializer[ApiToken]):
    id = serializers.UUIDField(source="uuid", read_only=True)

    class Meta:
        model = ApiToken
        fields = ["id", "name", "read_only", "created", "expiry"]
        read_only_fields = ["created"]


class IssuedTokenSerializer(TokenSerializer):
    token = serializers.CharField(read_only=True, help_text="The secret: shown this once only.")

    class Meta(TokenSerializer.Meta):
        fields = [*TokenSerializer.Meta.fields, "token"]


OTP_HEADER = "OTP-Token"


class PasswordAuthentication(BasicAuthentication):
    """HTTP Basic, refused with a 429 while the username is locked out from this address
    (django-axes counts the failures, as for every other sign-in)."""

    def authenticate_credentials(
        self, userid: str, password: str, request: Request | None = None
    ) -> tuple[Any, None]:
        from axes.handlers.proxy import AxesProxyHandler

        if request is not None:
            django_request = request._request
            AxesProxyHandler.update_request(django_request)
            if AxesProxyHandler.is_locked(django_request, credentials={"username": userid}):
                raise exceptions.Throttled(detail=_("Too many failed sign-ins: try again later."))
        user, auth = super().authenticate_credentials(userid, password, request)
        if request is not None and must_confirm(user):
            self._confirm_second_factor(user, request.headers.get(OTP_HEADER, ""))
        return user, auth

    @staticmethod
    def _confirm_second_factor(user: Any, code: str) -> None:
        """Where two-factor sign-in applies, the password alone issues no token."""
        device = next(iter(devices_for_user(user, confirmed=True)), None)
        if device is None or verify_token(user, device.persistent_id, code.strip()) is None:
            raise exceptions.AuthenticationFailed(
                _(
                    "This account confirms its sign-in with a second factor: send the current "
                    "code of its authenticator app in the %(header)s header (set the app up by "
                    "signing in once in the browser)."
                )
                % {"header": OTP_HEADER}
            )


class TokenViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[ApiToken],
):
    """The caller's own tokens; anyone else's is a 404.

    Here alone a script may also sign in with its user's password (HTTP Basic), to get its
    first token.
    """

    authentication_classes = [TokenAuthentication, PasswordAuthentication, SessionAuthentication]
    serializer_class = TokenSerializer
    permission_classes = [ReadOnlyTokenPermission]
    lookup_field = "uuid"
    ordering_fields = ["created", "name"]
    filterset_fields = ["read_only"]

    def get_queryset(self) -> QuerySet[ApiToken]:
        user = self.request.user
        tokens: QuerySet[ApiToken] = ApiToken.objects.all()
        return tokens.filter(user=user) if user.is_authenticated else tokens.none()

    @extend_schema(
        request=TokenSerializer,
        responses={201: IssuedTokenSerializer},
        parameters=[
            OpenApiParameter(
                OTP_HEADER,
                str,
                OpenApiParameter.HEADER,
                description=_(
                    "With a password (HTTP Basic), for an account with two-factor sign-in: the "
                    "current code of its authenticator app."
                ),
            )
        ],
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = TokenSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        token, secret = services.token_create(by=request.user, **given.validated_data)  # type: ignore[arg-type]  # signed in: the permission class let nobody else through
        token.token = secret  # type: ignore[attr-defined]  # shown in this response only
        return Response(IssuedTokenSerializer(token).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: ApiToken) -> None:
        services.token_revoke(token=instance, by=self.request.user)  # type: ignore[arg-type]  # signed in, as above
