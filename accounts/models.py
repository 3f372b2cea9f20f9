from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class FirmwareChannel(models.TextChoices):
    STABLE = "stable", _("Stable")
    BETA = "beta", _("Beta")
    DEVELOPER = "developer", _("Developer")


class Device(models.Model):
    """A phone model in the catalogue; threads are tagged with it and fans own it."""

    brand = models.CharField(_("brand"), max_length=60)
    model = models.CharField(_("model"), max_length=100)
    codename = models.SlugField(_("codename"), max_length=40, unique=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "brand", "model"]
        verbose_name = _("device")
        verbose_name_plural = _("devices")

    def __str__(self):
        return f"{self.brand} {self.model}"


class User(AbstractUser):
    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    avatar = models.ImageField(_("avatar"), upload_to="avatars/%Y/%m/", blank=True)
    signature = models.CharField(_("signature"), max_length=500, blank=True)
    devices = models.ManyToManyField(
        Device, verbose_name=_("devices owned"), blank=True, related_name="owners"
    )
    # Kept by forum services in the same transaction as the post, with F().
    post_count = models.PositiveIntegerField(_("posts"), default=0)
    thread_count = models.PositiveIntegerField(_("threads"), default=0)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self):
        return self.username

    @property
    def shown_name(self) -> str:
        return self.display_name or self.username

    def get_absolute_url(self):
        return reverse("forum:member", kwargs={"username": self.username})
