"""Which deploy this process runs: a short version that names the code, templates and
translations, so what is cached from one deploy (whole anonymous pages) is never served
by the next. DEPLOY_VERSION (a release tag, a commit) wins; otherwise it is computed at
start from the files that shape a page: a different build gives a different version."""

import hashlib
from pathlib import Path

SHAPING = ("*.py", "*.html", "*.txt", "*.mo", "*.css", "*.js", "*.svg")
FOLDERS = ("config", "accounts", "forum", "moderation", "templates", "static", "locale")


def computed_version(root: Path) -> str:
    digest = hashlib.blake2b(digest_size=6)
    for folder in FOLDERS:
        for pattern in SHAPING:
            for path in sorted((root / folder).rglob(pattern)):
                stat = path.stat()
                digest.update(
                    f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns};".encode()
                )
    return digest.hexdigest()
