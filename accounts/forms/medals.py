from django import forms
from django.utils.translation import gettext_lazy

from accounts.models import City


class CityForm(forms.Form):
    city = forms.ModelChoiceField(
        label=gettext_lazy("My city"),
        queryset=City.objects.order_by("position", "id"),
        required=False,
        empty_label=gettext_lazy("Not set"),
    )
