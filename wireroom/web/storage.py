"""Static files under fingerprinted names, once `collectstatic` (which `wireroom serve` runs) has written them."""

from __future__ import annotations

from django.contrib.staticfiles.storage import ManifestStaticFilesStorage


class FingerprintedStorage(ManifestStaticFilesStorage):
    """Django's manifest storage: `{% static 'newsroom/newsroom.css' %}` names `newsroom.3f2a9c0b1d4e.css`,
    which ServeStatic answers with a cache lifetime of years (`immutable`), since a change makes a new name.

    Where nothing was collected (the tests' fresh data folders, `wireroom runserver`-style use), the plain
    name, which ServeStatic finds in the apps' folders; Django's own storage would refuse to render the page.
    """

    def stored_name(self, name: str) -> str:
        if not self.hashed_files:
            return name
        return super().stored_name(name)
