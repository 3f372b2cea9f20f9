"""Sign-up with invitation codes, included by config.urls at accounts/signup/ before
allauth's own routes, under allauth's un-namespaced name `account_signup`."""

from django.urls import path

from accounts.views.invitations import signup

urlpatterns = [path("", signup, name="account_signup")]
