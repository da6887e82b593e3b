"""What sits in front of every app: the ASGI application, middleware, log filters and files served at the root."""
