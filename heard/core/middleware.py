"""Cross-cutting web hardening: whom to believe about the client, and the headers on every page.

``TrustedProxyMiddleware`` comes first. Behind a TLS proxy the real client address and scheme
arrive in ``X-Forwarded-For`` and ``X-Forwarded-Proto``; anyone can send those headers, so they
are believed only when the request comes from an address listed in ``HEARD_TRUSTED_PROXIES``
and are removed otherwise. Everything after it (Django's HTTPS redirect, sign-in throttling,
the public form's rate limit) reads ``REMOTE_ADDR`` and ``request.is_secure()`` as usual.

``SecurityHeadersMiddleware`` gives every page a Content Security Policy (scripts, styles and
fonts from Heard itself only, never inline), a Permissions-Policy that turns off the browser
features Heard never uses, and ``Cache-Control: no-store``, so that pages and downloads about
children are not kept by browsers or shared caches. Downloads (``Content-Disposition:
attachment``) get a stricter, sandboxed policy. Static files are served by WhiteNoise before
this middleware, with their own long-lived caching.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from django.conf import settings
from django.utils.cache import add_never_cache_headers

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

#: Proxy headers Heard understands, and the others it never believes from anyone.
FORWARDED_FOR = "HTTP_X_FORWARDED_FOR"
FORWARDED_PROTO = "HTTP_X_FORWARDED_PROTO"
PROXY_HEADERS = (
    FORWARDED_FOR,
    FORWARDED_PROTO,
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_FORWARDED_BY",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
)

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        # Report charts on screen may be data: URIs; Swagger UI's icons are data: SVGs.
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
#: For files sent as attachments: nothing in them may run or load anything, even if opened.
DOWNLOAD_POLICY = "default-src 'none'; sandbox; frame-ancestors 'none'"
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


def parse_networks(values: Iterable[str]) -> list[Network]:
    """Addresses or CIDR ranges (``10.0.0.5``, ``10.0.1.0/24``, ``::1``); raises ValueError."""
    return [ipaddress.ip_network(value.strip(), strict=False) for value in values if value.strip()]


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # 192.0.2.1:443
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def client_address(forwarded_for: str, peer: str, networks: list[Network]) -> str:
    """The first address, from the right of ``X-Forwarded-For``, that is not a trusted proxy.

    Each trusted proxy appends the address it was connected from, so reading from the right
    and stopping at the first address that is not one of ours gives the real client; anything
    further left was sent by the client and could be made up. An entry that is not an address
    stops the walk at the last good one.
    """
    client = peer
    for hop in reversed(forwarded_for.split(",")):
        address = _address(hop)
        if address is None:
            break
        client = str(address)
        if not any(address in network for network in networks):
            break
    return client


class TrustedProxyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.networks = parse_networks(settings.HEARD_TRUSTED_PROXIES)

    def _trusted(self, peer: str) -> bool:
        address = _address(peer)
        return address is not None and any(address in network for network in self.networks)

    def __call__(self, request):
        meta = request.META
        if self.networks and self._trusted(meta.get("REMOTE_ADDR", "")):
            forwarded_for = meta.get(FORWARDED_FOR, "")
            if forwarded_for:
                meta["REMOTE_ADDR"] = client_address(
                    forwarded_for, meta["REMOTE_ADDR"], self.networks
                )
            proto = meta.get(FORWARDED_PROTO, "").split(",")[-1].strip().lower()
            for header in PROXY_HEADERS:
                meta.pop(header, None)
            if proto in {"http", "https"}:
                meta[FORWARDED_PROTO] = proto  # read by SECURE_PROXY_SSL_HEADER
        else:
            for header in PROXY_HEADERS:
                meta.pop(header, None)
        return self.get_response(request)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "attachment" in response.get("Content-Disposition", ""):
            response["Content-Security-Policy"] = DOWNLOAD_POLICY
        else:
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response["Permissions-Policy"] = PERMISSIONS_POLICY
        response["Cross-Origin-Resource-Policy"] = "same-origin"
        add_never_cache_headers(response)
        return response
