from django.http import HttpResponse
from django.urls import path

# 30 KB of HTML, about what a rendered forum page weighs.
ROW = "<tr><td><a href='/t/1-x/'>A thread title of usual length</a></td><td>42</td></tr>\n"
PAGE = (
    "<!doctype html><html><head><title>floor</title></head><body><table>\n"
    + ROW * (30 * 1024 // len(ROW))
    + "</table></body></html>\n"
).encode()


def page(request):
    return HttpResponse(PAGE)


urlpatterns = [path("", page)]
