"""Who may use the console: the wire's staff (wire editors and wire admins), as on the desk."""

from __future__ import annotations

from wireroom.accounts.access import member_required
from wireroom.accounts.navigation import works_the_desk

staff_only = member_required(works_the_desk)
