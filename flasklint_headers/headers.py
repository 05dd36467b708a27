"""Header registries (catalogue §5.4), all lower-case for case-insensitive lookups."""

from __future__ import annotations

import re

# IANA permanent response fields and the de-facto ones the catalogue lists.
KNOWN_RESPONSE_HEADERS = frozenset(
    h.lower()
    for h in (
        "Accept-Patch",
        "Accept-Ranges",
        "Age",
        "Allow",
        "Alt-Svc",
        "Cache-Control",
        "Clear-Site-Data",
        "Connection",
        "Content-Disposition",
        "Content-Encoding",
        "Content-Language",
        "Content-Length",
        "Content-Location",
        "Content-MD5",
        "Content-Range",
        "Content-Security-Policy",
        "Content-Security-Policy-Report-Only",
        "Content-Type",
        "Cross-Origin-Embedder-Policy",
        "Cross-Origin-Opener-Policy",
        "Cross-Origin-Resource-Policy",
        "Date",
        "Deprecation",
        "Document-Policy",
        "ETag",
        "Expect-CT",
        "Expires",
        "Feature-Policy",
        "Keep-Alive",
        "Last-Modified",
        "Link",
        "Location",
        "NEL",
        "Permissions-Policy",
        "Pragma",
        "Proxy-Authenticate",
        "Public-Key-Pins",
        "Public-Key-Pins-Report-Only",
        "Referrer-Policy",
        "Refresh",
        "Report-To",
        "Reporting-Endpoints",
        "Retry-After",
        "Server",
        "Server-Timing",
        "Set-Cookie",
        "Sourcemap",
        "Strict-Transport-Security",
        "Sunset",
        "Timing-Allow-Origin",
        "Trailer",
        "Transfer-Encoding",
        "Upgrade",
        "Vary",
        "Via",
        "Warning",
        "WWW-Authenticate",
        "X-Content-Type-Options",
        "X-DNS-Prefetch-Control",
        "X-Download-Options",
        "X-Frame-Options",
        "X-Permitted-Cross-Domain-Policies",
        "X-Powered-By",
        "X-Robots-Tag",
        "X-XSS-Protection",
        "X-Accel-Redirect",
        "X-Sendfile",
    )
)
KNOWN_HEADER_PREFIXES = ("x-", "access-control-", "content-", "cross-origin-")

HOP_BY_HOP = frozenset(
    h.lower()
    for h in (
        "Connection",
        "Keep-Alive",
        "Proxy-Authenticate",
        "Proxy-Authorization",
        "TE",
        "Trailer",
        "Trailers",
        "Transfer-Encoding",
        "Upgrade",
    )
)
# Fields that must appear at most once (FLH104 (c)).
SINGLETONS = frozenset(
    h.lower()
    for h in (
        "Content-Type",
        "Content-Length",
        "Content-Disposition",
        "Location",
        "X-Frame-Options",
        "Strict-Transport-Security",
        "X-Content-Type-Options",
        "Access-Control-Allow-Origin",
        "Access-Control-Allow-Credentials",
        "ETag",
        "Last-Modified",
        "Expires",
        "Date",
        "Age",
        "Retry-After",
    )
)
# A duplicate of these is an error, not a warning (FLH104).
SEVERE_DUPLICATES = frozenset({"content-type", "location", "access-control-allow-origin"})
# Headers that legitimately carry several lines / values (FLH109).
MULTI_VALUE = frozenset({"set-cookie", "vary", "link", "www-authenticate"})

SECURITY_HEADERS = frozenset(
    h.lower()
    for h in (
        "Content-Security-Policy",
        "X-Frame-Options",
        "Strict-Transport-Security",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Permissions-Policy",
        "Cross-Origin-Opener-Policy",
        "Cross-Origin-Resource-Policy",
        "Cross-Origin-Embedder-Policy",
    )
)
DEPRECATED_HEADERS = frozenset(
    h.lower()
    for h in (
        "Feature-Policy",
        "Expect-CT",
        "Public-Key-Pins",
        "Public-Key-Pins-Report-Only",
        "X-Content-Security-Policy",
        "X-WebKit-CSP",
        "Pragma",
    )
)
# OSHP headers_remove.json (subset that Flask apps set by hand).
INFORMATION_DISCLOSURE = frozenset(
    h.lower()
    for h in (
        "Server",
        "X-Powered-By",
        "X-AspNet-Version",
        "X-AspNetMvc-Version",
        "X-Generator",
        "X-Runtime",
        "X-Version",
        "X-Drupal-Cache",
        "X-Drupal-Dynamic-Cache",
        "X-Backend-Server",
        "X-Server",
        "X-Powered-CMS",
        "X-Mod-Pagespeed",
    )
)

TOKEN_RE = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")


def is_known_header(name: str) -> bool:
    """True for registered response header names and the ``X-*``/``Content-*``/… families."""
    lower = name.lower()
    if lower in KNOWN_RESPONSE_HEADERS:
        return True
    return lower.startswith(KNOWN_HEADER_PREFIXES) and bool(TOKEN_RE.match(name))


def is_valid_token(name: str) -> bool:
    return bool(TOKEN_RE.match(name))
