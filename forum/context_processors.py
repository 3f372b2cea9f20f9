from django.conf import settings


def site(request):
    return {"SITE_NAME": settings.POPCORN["SITE_NAME"]}
