"""Time the staff console's member CSV export as its job writes it, in its own process.

    DATABASE_URL=postgres://... .venv/bin/python -m bench.export [--sort -reputation]

Records a pending UserExport of every member (no filter, the console's default
sort), runs the job's service (moderation.services.export_write: pages by key,
each page's extra columns fetched for the page), and prints one JSON line:
rows, seconds, rows/s and the process's peak resident memory (VmHWM), then
deletes the file. bench/run.py runs it after the jobs.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")


def peak_rss_mb() -> float:
    """The process's high-water resident set (Linux /proc), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sort", default="-reputation")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.files.storage import default_storage

    from moderation import services
    from moderation.models import UserExport

    before = peak_rss_mb()
    export = UserExport.objects.create(
        requested_by_name="bench", filters={"sort": args.sort}, total_rows=0
    )
    started = time.monotonic()
    export = services.export_write(export_id=export.pk, filters={}, sort=args.sort)
    seconds = time.monotonic() - started
    size = export.file.size if export.file else 0
    if export.file:
        default_storage.delete(export.file.name)
    UserExport.objects.filter(pk=export.pk).delete()
    print(
        "BENCH_JSON "
        + json.dumps(
            {
                "sort": args.sort,
                "rows": export.rows_written,
                "seconds": round(seconds, 2),
                "rows_per_s": round(export.rows_written / seconds) if seconds else 0,
                "file_mb": round(size / 2**20, 1),
                "peak_rss_mb_before": round(before, 1),
                "peak_rss_mb": round(peak_rss_mb(), 1),
                "status": export.status,
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
