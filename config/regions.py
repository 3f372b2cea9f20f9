"""Where a post was written from, as Chinese sites show it ("IP属地：广东").

Off unless POPCORN["IP_REGION_ENABLED"]. The operator provides a MaxMind DB file
(GeoLite2-City, or DB-IP's "IP to City Lite", which has the same layout) at
POPCORN["IP_REGION_DB"]; Popcorn ships none. Posts and members keep a short code,
taken at write time: "CN-GD" for a province of mainland China, "HK", "MO" and "TW"
for Hong Kong, Macao and Taiwan, the ISO country code elsewhere. Never the address.
Pages render the code in the reader's language: 广东 for Chinese readers, Guangdong
for English ones. Private, loopback and unknown addresses have no region: nothing
is shown.
"""

import ipaddress
import logging
import threading
from functools import cache

import maxminddb
from django.conf import settings
from django.core import checks
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

logger = logging.getLogger(__name__)

# ISO 3166-2:CN, the provinces, municipalities and autonomous regions by the short
# names Weibo and Bilibili show (广东, not 广东省; 新疆, not 新疆维吾尔自治区).
PROVINCES = {
    "BJ": _("Beijing"),
    "TJ": _("Tianjin"),
    "HE": _("Hebei"),
    "SX": _("Shanxi"),
    "NM": _("Inner Mongolia"),
    "LN": _("Liaoning"),
    "JL": _("Jilin"),
    "HL": _("Heilongjiang"),
    "SH": _("Shanghai"),
    "JS": _("Jiangsu"),
    "ZJ": _("Zhejiang"),
    "AH": _("Anhui"),
    "FJ": _("Fujian"),
    "JX": _("Jiangxi"),
    "SD": _("Shandong"),
    "HA": _("Henan"),
    "HB": _("Hubei"),
    "HN": _("Hunan"),
    "GD": _("Guangdong"),
    "GX": _("Guangxi"),
    "HI": _("Hainan"),
    "CQ": _("Chongqing"),
    "SC": _("Sichuan"),
    "GZ": _("Guizhou"),
    "YN": _("Yunnan"),
    "XZ": _("Tibet"),
    "SN": _("Shaanxi"),
    "GS": _("Gansu"),
    "QH": _("Qinghai"),
    "NX": _("Ningxia"),
    "XJ": _("Xinjiang"),
}
# The numeric codes ISO 3166-2:CN used before 2017, which older files still carry.
_NUMERIC = {
    "11": "BJ", "12": "TJ", "13": "HE", "14": "SX", "15": "NM", "21": "LN", "22": "JL",
    "23": "HL", "31": "SH", "32": "JS", "33": "ZJ", "34": "AH", "35": "FJ", "36": "JX",
    "37": "SD", "41": "HA", "42": "HB", "43": "HN", "44": "GD", "45": "GX", "46": "HI",
    "50": "CQ", "51": "SC", "52": "GZ", "53": "YN", "54": "XZ", "61": "SN", "62": "GS",
    "63": "QH", "64": "NX", "65": "XJ", "71": "TW", "91": "HK", "92": "MO",
}  # fmt: skip
# Shown as Weibo shows them (中国香港, 中国澳门, 中国台湾), whether a file has them as
# countries or as subdivisions of China.
SPECIAL = {
    "HK": _("Hong Kong, China"),
    "MO": _("Macao, China"),
    "TW": _("Taiwan, China"),
}
CODE_MAX_LENGTH = 8

_lock = threading.Lock()
_readers: dict[str, maxminddb.Reader | None] = {}


def enabled() -> bool:
    return bool(settings.POPCORN["IP_REGION_ENABLED"])


def _reader() -> maxminddb.Reader | None:
    """The database's reader, opened once per process and file; None if unreadable.

    maxminddb's reader is safe to share between threads once open.
    """
    path = settings.POPCORN["IP_REGION_DB"]
    if path in _readers:
        return _readers[path]
    with _lock:
        if path not in _readers:
            _readers[path] = _open(path)
    return _readers[path]


def _open(path: str) -> maxminddb.Reader | None:
    if not path:
        return None
    try:
        return maxminddb.open_database(path)
    except (OSError, ValueError, maxminddb.InvalidDatabaseError) as exc:
        logger.warning("IP region database %s cannot be read: %s", path, exc)
        return None


@cache
def _provinces_by_english_name() -> dict[str, str]:
    # DB-IP's lite file names subdivisions (in English) but gives no ISO code.
    with translation.override("en"):
        found = {str(label).lower(): code for code, label in PROVINCES.items()}
        found.update({"inner mongolia autonomous region": "NM", "tibet autonomous region": "XZ"})
        return found


def _chinese_subdivision(record: dict) -> str:
    for subdivision in record.get("subdivisions") or ():
        iso = str(subdivision.get("iso_code") or "").upper()
        iso = _NUMERIC.get(iso, iso)
        if iso in PROVINCES or iso in SPECIAL:
            return iso
        english = str((subdivision.get("names") or {}).get("en") or "").lower()
        english = english.removesuffix(" province").removesuffix(" sheng").strip()
        if english in _provinces_by_english_name():
            return _provinces_by_english_name()[english]
    return ""


def code_from_record(record) -> str:
    """The region code of one record of the database ("" if it names none we show)."""
    if not isinstance(record, dict):
        return ""
    country = str((record.get("country") or {}).get("iso_code") or "").upper()
    if country == "CN":
        province = _chinese_subdivision(record)
        if province in SPECIAL:
            return province
        return f"CN-{province}" if province else "CN"
    return country if label(country) else ""


def region_of(address: str | None) -> str:
    """The region code of an address, to store; "" when off, unknown or not public.

    Nothing is looked up (nor the file opened) while the feature is off.
    """
    if not enabled() or not address:
        return ""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return ""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if not ip.is_global:
        return ""
    reader = _reader()
    if reader is None:
        return ""
    try:
        return code_from_record(reader.get(str(ip)))
    except (ValueError, maxminddb.InvalidDatabaseError):
        # An IPv6 address in an IPv4-only file, or a damaged file.
        return ""


def label(code: str) -> str:
    """A stored code as the reader reads it: 广东 / Guangdong; "" for a code we don't know."""
    if not code:
        return ""
    if code.startswith("CN-"):
        province = PROVINCES.get(code[3:])
        return str(province) if province is not None else ""
    if code in SPECIAL:
        return str(SPECIAL[code])
    return str(countries.name(code)) if len(code) == 2 else ""


def shown(code: str) -> str:
    """What a page or the API shows for a stored code: its label, only while it is on."""
    return label(code) if enabled() else ""


def shown_text(code: str) -> str:
    """ "IP属地：广东", or "" when off or unknown."""
    where = shown(code)
    return gettext("IP location: %(region)s") % {"region": where} if where else ""


def check_database(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """`manage.py check`: the feature is on but its database cannot be read."""
    if not enabled():
        return []
    path = settings.POPCORN["IP_REGION_DB"]
    if not path:
        problem = "IP_REGION_DB is not set"
    else:
        reader = _open(path)
        if reader is not None:
            reader.close()
            return []
        problem = f"{path} is missing or not a MaxMind DB file"
    return [
        checks.Warning(
            f"IP_REGION_ENABLED is on but {problem}: posts and profiles get no IP location.",
            hint="Point IP_REGION_DB at a GeoLite2-City or DB-IP City Lite .mmdb file.",
            id="popcorn.W001",
        )
    ]
