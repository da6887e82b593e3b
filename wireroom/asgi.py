import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wireroom.settings")
django_application = get_asgi_application()

from django.conf import settings  # noqa: E402 -- after Django is set up

from wireroom.api.hub import start_publisher  # noqa: E402
from wireroom.web.asgi import BodyLimit, SharedThread  # noqa: E402

# The stream's requests last for hours: they must not hold a thread each (see SharedThread).
application = BodyLimit(SharedThread(django_application, paths={"/api/v1/stream"}),
                        max_bytes=lambda: settings.MAX_BODY_BYTES, on_startup=start_publisher)
