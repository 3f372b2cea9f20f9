from django.db import models
from django.utils.translation import gettext_lazy as _


class City(models.Model):
    """A city fans meet in (爆米花 / 同城会): a seeded list staff extend in the admin."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    # Most members first: the picker and the meetups page list cities in this order.
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")

    def __str__(self):
        return self.name
