import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wireroom.settings")
django_application = get_asgi_application()

from django.conf import settings  # noqa: E402 -- after Django is set up

from wireroom.api.hub import start_publisher  # noqa: E402
from wireroom.web.asgi import BodyLimit  # noqa: E402

application = BodyLimit(django_application, max_bytes=lambda: settings.MAX_BODY_BYTES, on_startup=start_publisher)
