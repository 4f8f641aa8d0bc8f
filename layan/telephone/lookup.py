"""Read-only snapshots that the IVR state machine works on, taken once when a call starts."""

from __future__ import annotations

import datetime as dt

from layan.applications import tracking
from layan.applications.public import public_status, status_speech
from layan.applications.queries import find_by_tracking
from layan.catalogue import links
from layan.catalogue.cases import requirement_text
from layan.offices import ratelimit
from layan.offices.hours import hour_runs
from layan.offices.models import Office

from .ivr import LookupRefused, OfficeInfo, ServiceInfo, spell_digits


def _clock(t: dt.time) -> str:
    return f"{t:%H.%M}"


def spoken_hours(office: Office) -> tuple[str, ...]:
    """'Senin sampai Kamis pukul 08.00 sampai 15.30': consecutive days with equal hours joined."""
    return tuple(
        run.days(" sampai ") + " pukul " + " dan ".join(f"{_clock(o)} sampai {_clock(c)}" for o, c in run.spans)
        for run in hour_runs(office.opening_hours.all())
    )


def office_info(office: Office, *, now: dt.datetime | None = None) -> OfficeInfo:
    services = []
    for service in office.services.published().select_related("current_version"):
        v = service.current_version
        assert v is not None
        services.append(
            ServiceInfo(
                code=service.code,
                name=v.name,
                requirements=tuple(requirement_text(r).text() for r in v.requirements.all()),
                time=v.time_display(),
                fee=v.fee_display(),
                url=links.service_page_url(office.slug, service.code),
            )
        )
    return OfficeInfo(
        name=office.name,
        services=tuple(services),
        is_open_now=office.is_open_at(now),
        hours=spoken_hours(office),
        address=office.address,
    )


def lookup_application_status(office: Office, code: str, *, caller_key: str) -> str | None:
    """The spoken status of the application whose keypad digits (or code) are `code`, or None
    when unknown. Raises LookupRefused with what to say for a mistyped number or when
    `caller_key` (the caller's number, or the call when it is withheld) tried too often."""
    usage = ratelimit.hit(ratelimit.TRACKING, caller_key)
    if usage.limited:
        raise LookupRefused(f"Maaf, terlalu banyak percobaan. Silakan coba lagi dalam {usage.retry_minutes} menit.")
    try:
        tracking.parse(code)
    except tracking.TrackingCodeError:
        raise LookupRefused(
            f"Nomor {spell_digits(code)} salah ketik. Periksa lagi empat belas angka pada tanda terima."
        ) from None
    application = find_by_tracking(code)
    if application is None:
        return None
    return status_speech(public_status(application))
