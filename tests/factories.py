import factory
from allauth.account.models import EmailAddress

from accounts.models import Device, User
from forum import services
from forum.models import Board, Section


class DeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Device
        django_get_or_create = ["codename"]

    brand = "Xiaomi"
    model = factory.Sequence(lambda n: f"{14 + n % 3} Pro #{n}")
    codename = factory.Sequence(lambda n: f"device{n}")


class UserFactory(factory.django.DjangoModelFactory):
    """A member whose email is confirmed, so they may post."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"fan{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


class StaffFactory(UserFactory):
    username = factory.Sequence(lambda n: f"staff{n}")
    is_staff = True


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")


class BoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Board

    section = factory.SubFactory(SectionFactory)
    name = factory.Sequence(lambda n: f"Board {n}")
    slug = factory.Sequence(lambda n: f"board-{n}")


def make_thread(
    *, board=None, author=None, title="Battery drain on 14.0.3", body="It drains.", **kw
):
    """A thread made the only way threads are made: through the service."""
    return services.thread_create(
        board=board or BoardFactory(),
        author=author or UserFactory(),
        title=title,
        body=body,
        **kw,
    )


def make_reply(*, thread, author=None, body="Same here."):
    return services.post_reply(thread=thread, author=author or UserFactory(), body=body)
