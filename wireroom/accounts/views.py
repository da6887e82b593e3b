"""Signing in and out, the language of the pages, and the password reset by e-mail (Django's views)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from wireroom.accounts.access import in_user_language
from wireroom.accounts.forms import LanguageForm, ResetForm
from wireroom.accounts.invitations import invitation_from_token
from wireroom.accounts.models import Invitation, Role
from wireroom.accounts.navigation import home_path
from wireroom.accounts.selectors import memberships_of
from wireroom.accounts.services import invitation_accept, user_language_set
from wireroom.lib.errors import IllegalTransition, NotAllowed, NotFound, WireroomError


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


INVITATION_STATUS = {NotFound: 400, NotAllowed: 403, IllegalTransition: 409}


@require_http_methods(["GET", "HEAD", "POST"])
@in_user_language
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """An invitation to an organization for an existing account: its owner, signed in, sees who asked and for
    which role, and accepts with a POST. A link altered or too old, someone else's, or used already changes
    nothing and says why."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    invitation_id = invitation_from_token(token)
    found = (Invitation.objects.select_related("organization", "invited_by").filter(pk=invitation_id).first()
             if invitation_id is not None else None)
    error: WireroomError | None = None
    if found is None:
        error = NotFound(_("This invitation link is not valid, or it has expired. Ask for a new one."))
    elif found.user_id != request.user.pk:
        # Someone else's invitation: not even the organization's name is shown.
        error = NotAllowed(_("This invitation is for another account: sign in as the person it was sent to."))
    elif found.accepted_at is not None:
        error = IllegalTransition(_("This invitation was already accepted."))
    elif request.method == "POST":
        try:
            membership = invitation_accept(invitation_id=found.pk, user=request.user)
        except WireroomError as refused:
            error = refused
        else:
            messages.success(request, _("You are now a member of %(organization)s.") % {
                "organization": membership.organization.name})
            return HttpResponseRedirect(home_path(user=request.user,
                                                  memberships=memberships_of(user_id=request.user.pk)))
    status = next((code for kind, code in INVITATION_STATUS.items() if isinstance(error, kind)), 200)
    inviter = found.invited_by if found is not None else None
    return render(request, "accounts/invitation.html", {
        "invitation": found if error is None else None, "error": error.message if error else "",
        "inviter": (inviter.get_full_name() or inviter.get_username()) if inviter else settings.WIRE_NAME,
        "role": Role(found.role).label if found is not None and error is None else "",
    }, status=status)
