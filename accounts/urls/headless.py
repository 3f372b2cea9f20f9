"""The app's sign-up with invitation codes, included by config.urls at /_allauth/ before
allauth headless's own routes (same address, so allauth's links still point here)."""

from django.urls import path

from accounts.views.headless import app_signup

urlpatterns = [path("app/v1/auth/signup", app_signup, name="headless_app_signup")]
