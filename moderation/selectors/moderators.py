"""Reads for the staff page that lists and appoints moderators."""

from dataclasses import dataclass

from accounts.models import User
from forum.models import Board, BoardModerator, Section, SectionModerator


@dataclass
class ModeratorRoster:
    board_moderators: list[BoardModerator]
    section_moderators: list[SectionModerator]
    global_moderators: list[User]


def board_moderator_rows():
    """Board moderators with their user, board and section (one query for any number)."""
    return BoardModerator.objects.select_related("user", "board__section")


def section_moderator_rows():
    return SectionModerator.objects.select_related("user", "section")


def global_moderator_rows():
    return User.objects.filter(is_global_moderator=True)


def moderator_roster() -> ModeratorRoster:
    """Every board, section and global moderator: three queries, however many there are."""
    return ModeratorRoster(
        board_moderators=list(
            board_moderator_rows().order_by(
                "board__section__position", "board__position", "board_id", "user__username"
            )
        ),
        section_moderators=list(
            section_moderator_rows().order_by("section__position", "section_id", "user__username")
        ),
        global_moderators=list(global_moderator_rows().order_by("username")),
    )


def appointment_boards():
    """The boards offered when appointing (a queryset, read when the form renders)."""
    return Board.objects.select_related("section").order_by("section__position", "position", "id")


def appointment_sections():
    return Section.objects.order_by("position", "id")
