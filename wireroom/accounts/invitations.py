"""The invitation e-mail: a link with which an invited person chooses a password, through the password reset
pages (the same one-time token). Sent through Django's mail API, so through the wire's mail server."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from wireroom.accounts.models import Membership, Role, User


def invitation_send(*, membership: Membership, by: User) -> None:
    user = membership.user
    link = settings.BASE_URL + reverse("accounts:password_reset_confirm", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)})
    context = {"organization": membership.organization.name, "inviter": by.get_full_name() or by.get_username(),
               "wire_name": settings.WIRE_NAME, "link": link, "username": user.get_username()}
    subject = " ".join(render_to_string("accounts/invitation_subject.txt", context).split())
    # An outlet's member receives releases rather than publishing them: the message says so.
    body = "accounts/invitation_outlet_email.txt" if membership.role == Role.OUTLET_MEMBER else \
        "accounts/invitation_email.txt"
    send_mail(subject, render_to_string(body, context), None, [user.email])
