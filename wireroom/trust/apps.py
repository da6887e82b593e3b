from django.apps import AppConfig


class TrustConfig(AppConfig):
    name = "wireroom.trust"

    def ready(self) -> None:
        from wireroom.releases import signing
        from wireroom.trust import signatures

        # The lifecycle checks issuers' signatures through this port, so releases never imports trust.
        signing.register(signatures)
