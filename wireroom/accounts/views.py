"""Signing in and out, the language of the pages, and the password reset by e-mail (Django's views)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from wireroom.accounts.access import in_user_language
from wireroom.accounts.forms import LanguageForm, ResetForm
from wireroom.accounts.navigation import home_path
from wireroom.accounts.selectors import memberships_of
from wireroom.accounts.services import user_language_set


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"

    def get_default_redirect_url(self) -> str:
        # Without a `next`, each role lands on its own home.
        user = self.request.user
        return home_path(user=user, memberships=memberships_of(user_id=user.pk))  # type: ignore[arg-type]


@require_POST
def language(request: HttpRequest) -> HttpResponse:
    """Saves the chosen language in the user's profile (a cookie for a visitor) and goes back."""
    form = LanguageForm(request.POST)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    if not form.is_valid():
        return response
    code = form.cleaned_data["language"]
    if request.user.is_authenticated:
        user_language_set(user=request.user, language=code)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code, max_age=365 * 24 * 3600, samesite="Lax",
                        secure=settings.SERVED_OVER_HTTPS)
    return response


sign_in = in_user_language(SignInView.as_view())
sign_out = auth_views.LogoutView.as_view()
password_reset = in_user_language(auth_views.PasswordResetView.as_view(
    form_class=ResetForm,
    template_name="accounts/password_reset.html",
    email_template_name="accounts/password_reset_email.txt",
    subject_template_name="accounts/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
    # The link names the wire's public address, not whichever host name the request came by.
    extra_email_context={"base_url": settings.BASE_URL, "wire_name": settings.WIRE_NAME},
))
password_reset_done = in_user_language(auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"))
password_reset_confirm = in_user_language(auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
))
password_reset_complete = in_user_language(auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"))
