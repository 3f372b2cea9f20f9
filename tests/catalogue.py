"""A small zh-Hans catalogue made for a test, so a test can prove text is worded in
the reader's language whatever the project's own catalogue holds (it is written
by translators, and may not cover a string yet).

`zh_catalogue(settings, tmp_path, {msgid: msgstr, (singular, plural): msgstr})`
writes a compiled django.mo and puts it first in LOCALE_PATHS; Django drops its
cached catalogues when LOCALE_PATHS changes, and again when the test ends.
"""

import struct
from pathlib import Path

_HEADER = "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=1; plural=0;\n"


def _mo_bytes(messages: dict[str, str]) -> bytes:
    """GNU .mo bytes, as msgfmt writes them (the layout of CPython's Tools/i18n/msgfmt.py)."""
    entries = sorted((key.encode(), value.encode()) for key, value in messages.items())
    ids = strs = b""
    offsets = []
    for key, value in entries:
        offsets.append((len(ids), len(key), len(strs), len(value)))
        ids += key + b"\0"
        strs += value + b"\0"
    count = len(entries)
    keys_start = 7 * 4 + 16 * count
    values_start = keys_start + len(ids)
    key_table, value_table = [], []
    for id_offset, id_length, str_offset, str_length in offsets:
        key_table += [id_length, id_offset + keys_start]
        value_table += [str_length, str_offset + values_start]
    header = struct.pack("<7I", 0x950412DE, 0, count, 7 * 4, 7 * 4 + count * 8, 0, 0)
    return header + struct.pack(f"<{4 * count}I", *key_table, *value_table) + ids + strs


def zh_catalogue(settings, tmp_path: Path, messages: dict) -> None:
    flat = {"": _HEADER}
    for msgid, msgstr in messages.items():
        flat["\0".join(msgid) if isinstance(msgid, tuple) else msgid] = msgstr
    folder = tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "django.mo").write_bytes(_mo_bytes(flat))
    settings.LOCALE_PATHS = [tmp_path / "locale"]
