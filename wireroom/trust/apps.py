from django.apps import AppConfig


class TrustConfig(AppConfig):
    name = "wireroom.trust"

    def ready(self) -> None:
        from wireroom.releases import keys, signing
        from wireroom.trust import contentkeys, signatures

        # The lifecycle checks issuers' signatures through this port, so releases never imports trust.
        signing.register(signatures)
        # Content keys of pre-positioned versions are made, released and forgotten through this one.
        keys.register(contentkeys)
