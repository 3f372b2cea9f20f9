from django.conf import settings


def site(request):
    return {
        "SITE_NAME": settings.POPCORN["SITE_NAME"],
        # The live polls' interval (header counts, new replies); tests shorten it.
        "LIVE_POLL_SECONDS": settings.POPCORN["LIVE_POLL_SECONDS"],
    }
