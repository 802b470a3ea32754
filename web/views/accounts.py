"""Signing in and out on the app's own pages (django-axes counts failures on the sign-in), and
confirming a sign-in with an authenticator app where two-factor sign-in applies."""

from __future__ import annotations

import base64
from typing import Any

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from django_otp import devices_for_user, verify_token
from django_otp import login as otp_login

from accounts import services
from accounts.middleware import must_confirm
from accounts.models import User


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class TwoFactorView(LoginRequiredMixin, FormView[CodeForm]):
    """Set up an authenticator app (scan the code, type one code), or confirm a sign-in with it."""

    form_class = CodeForm
    template_name = "registration/two_factor.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        device = self._device
        context.update(setting_up=device is None, required=must_confirm(self._user()))
        if device is None:
            pending = services.two_factor_start(user=self._user())
            context["qr_code"] = segno.make(pending.config_url, error="m").svg_data_uri(scale=4)
            key = base64.b32encode(pending.bin_key).decode()
            context["secret"] = " ".join(key[i : i + 4] for i in range(0, len(key), 4))
        return context

    def form_valid(self, form: CodeForm) -> HttpResponse:
        user, code = self._user(), form.cleaned_data["code"].replace(" ", "")
        device = self._device
        if device is None:
            pending = services.two_factor_start(user=user)
            if services.two_factor_confirm(device=pending, token=code):
                device = pending
                messages.success(self.request, _("Two-factor sign-in is on for your account."))
        else:
            device = verify_token(user, device.persistent_id, code)
        if device is None:
            form.add_error(
                "code", _("This code is not right, or it has expired. Try the current one.")
            )
            return self.form_invalid(form)
        otp_login(self.request, device)
        return HttpResponseRedirect(self._next())

    def _user(self) -> User:
        user = self.request.user
        assert isinstance(user, User)
        return user

    @cached_property
    def _device(self) -> Any:
        """The user's authenticator, once turned on (read once a request)."""
        return next(iter(devices_for_user(self._user(), confirmed=True)), None)

    def _next(self) -> str:
        wanted = self.request.POST.get("next") or self.request.GET.get("next", "")
        if url_has_allowed_host_and_scheme(wanted, {self.request.get_host()}):
            return wanted
        return reverse("web:home")


urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("two-factor/", TwoFactorView.as_view(), name="two-factor"),
]
