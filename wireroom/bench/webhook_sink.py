"""A webhook sink for the benchmark: answers 204 to every POST and notes when the first one came."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from aiohttp import web


def main() -> None:
    port, first_file = int(sys.argv[1]), Path(sys.argv[2])
    seen = {"first": False}

    async def receive(request: web.Request) -> web.Response:
        await request.read()
        if not seen["first"] and request.path == "/hook":
            seen["first"] = True
            first_file.write_text(repr(time.time()))
        return web.Response(status=204)

    app = web.Application()
    app.router.add_post("/{tail:.*}", receive)
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=None)


if __name__ == "__main__":
    main()
