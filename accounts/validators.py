from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# Usernames appear in @mentions and /u/<username>/ URLs: letters (any script),
# digits, and _ . - only, so a mention never swallows punctuation.
username_validators = [
    RegexValidator(
        r"^[\w.-]+\Z",
        _("Use only letters, digits and the characters _ . -"),
        code="invalid_username",
    )
]
