"""The invitation e-mails. A new account gets a link with which to choose a password, through the password reset
pages (the same one-time token); an existing account gets a signed link to a page where its owner, signed in,
accepts the invitation. Sent through Django's mail API, so through the wire's mail server, in the language of the
person invited."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from wireroom.accounts.models import Role, User
from wireroom.accounts.services import Invited

SALT = "wireroom.accounts.invitation"
# How long an invitation's link is good for; asking again sends a new one.
INVITATION_LIFETIME = dt.timedelta(days=14)


def invitation_token(*, invitation_id: int) -> str:
    return signing.dumps(invitation_id, salt=SALT, compress=False)


def invitation_from_token(token: str) -> int | None:
    """The invitation a link names, or None for a link that was altered or is too old."""
    try:
        found = signing.loads(token, salt=SALT, max_age=INVITATION_LIFETIME)
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return None
    return found if isinstance(found, int) else None


def invitation_send(*, invited: Invited, by: User) -> None:
    user = invited.user
    if invited.invitation is not None:
        link = settings.BASE_URL + reverse("accounts:invitation", args=[
            invitation_token(invitation_id=invited.invitation.pk)])
        template = "accounts/invitation_accept_email.txt"
    else:
        link = settings.BASE_URL + reverse("accounts:password_reset_confirm", kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)})
        role = invited.membership.role if invited.membership is not None else None
        # An outlet's member receives releases rather than publishing them: the message says so.
        template = ("accounts/invitation_outlet_email.txt" if role == Role.OUTLET_MEMBER
                    else "accounts/invitation_email.txt")
    context = {"organization": invited.organization.name, "inviter": by.get_full_name() or by.get_username(),
               "wire_name": settings.WIRE_NAME, "link": link, "username": user.get_username()}
    # Theirs if they chose one; else the page's, which is the inviter's.
    with translation.override(user.language or translation.get_language() or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string("accounts/invitation_subject.txt", context).split())
        body = render_to_string(template, context)
    send_mail(subject, body, None, [user.email])
