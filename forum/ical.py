"""A small iCalendar (RFC 5545) writer for the meetups' per-city feeds.

Text values are escaped (backslash, semicolon, comma, newline: 3.3.11), lines
end in CRLF and are folded at 75 octets without splitting a UTF-8 character
(3.1), and times are UTC ("…Z", 3.3.5).
"""

from collections.abc import Iterable
from datetime import UTC, datetime

CRLF = "\r\n"


def escape_text(value: str) -> str:
    return (
        str(value)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """One content line, folded so no physical line passes 75 octets."""
    out, current, size = [], [], 0
    for char in line:
        width = len(char.encode())
        if size + width > 75:
            out.append("".join(current))
            current, size = [" "], 1  # a continuation starts with one space
        current.append(char)
        size += width
    out.append("".join(current))
    return CRLF.join(out)


def calendar(*, name: str, events: Iterable[dict], prodid: str) -> str:
    """`events`: dicts with uid, start, end, summary, location, url, description, stamp."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{prodid}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event['uid']}",
            f"DTSTAMP:{utc(event['stamp'])}",
            f"DTSTART:{utc(event['start'])}",
            f"DTEND:{utc(event['end'])}",
            f"SUMMARY:{escape_text(event['summary'])}",
            f"LOCATION:{escape_text(event['location'])}",
            f"URL:{event['url']}",
            f"DESCRIPTION:{escape_text(event['description'])}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
