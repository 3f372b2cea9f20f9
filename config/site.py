"""The site's one public address (settings.SITE_URL): every link that leaves the site,
in an email or a feed, is built from it, never from a request's Host header."""

from urllib.parse import urlsplit

from django.conf import settings


def site_url(path: str = "") -> str:
    """SITE_URL joined with a path on the site ("/t/3/" -> "https://forum.example/t/3/").

    An absolute URL keeps only its path, query and fragment: it is rebased onto SITE_URL.
    """
    bits = urlsplit(path)
    path = bits.path or "/"
    if not path.startswith("/"):
        path = "/" + path
    if bits.query:
        path += "?" + bits.query
    if bits.fragment:
        path += "#" + bits.fragment
    return settings.SITE_URL + path


def site_domain() -> str:
    """SITE_URL's host (and port): what the Sites framework's domain is set to."""
    return urlsplit(settings.SITE_URL).netloc


def site_sync(*, using: str = "default", **kwargs) -> None:
    """Set the Sites framework's current site from SITE_URL and SITE_NAME (post_migrate).

    allauth and any other app reading Site see the configured address, never
    the example.com Django creates.
    """
    from django.contrib.sites.models import Site

    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID,
        defaults={"domain": site_domain()[:100], "name": settings.POPCORN["SITE_NAME"][:50]},
    )
    Site.objects.clear_cache()
