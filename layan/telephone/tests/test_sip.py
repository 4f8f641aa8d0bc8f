"""A real SIP call: SIPp registers the pyVoIP IVR, calls it and types RFC 2833 digits."""

import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

from layan.applications.tests.helpers import submit
from layan.telephone.models import CallLog

pytestmark = [pytest.mark.slow, pytest.mark.real_component("sipp")]
SCENARIO = Path(__file__).parent / "sipp" / "regcall.xml"
DTMF_DIR = Path("/usr/share/sip-tester")


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def place_call(office, scenario: Path, tmp_path: Path) -> CallLog:
    """SIPp runs `scenario` against a pyVoIP IVR of `office`; the call as logged."""
    if not shutil.which("sipp") or not (DTMF_DIR / "dtmf_2833_1.pcap").exists():
        pytest.skip("sipp (Debian sip-tester) is not installed")
    from layan.telephone.drivers.sip import SipIvr

    sipp_port, ivr_port = free_udp_port(), free_udp_port()
    sipp = subprocess.Popen(
        ["sipp", "-sf", str(scenario), "-i", "127.0.0.1", "-p", str(sipp_port), "-mi", "127.0.0.1",
         "-mp", str(free_udp_port()), "-m", "1", "-nostdin", "-timeout", "90s", "-timeout_error",
         "-key", "ivr_port", str(ivr_port), "-trace_err",
         "-error_file", str(tmp_path / "sipp_errors.log")],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=tmp_path,
    )  # fmt: skip
    ivr = SipIvr(
        office, sip_host="127.0.0.1", sip_port=sipp_port, my_ip="127.0.0.1", local_port=ivr_port,
        rtp_low=21000, rtp_high=21100,
    )  # fmt: skip
    time.sleep(0.3)  # let SIPp bind before pyVoIP registers
    starter = threading.Thread(target=ivr.start, daemon=True)
    starter.start()
    try:
        assert sipp.wait(timeout=90) == 0, sipp.stderr.read().decode() if sipp.stderr else ""
        assert ivr.calls_done.wait(15), "the IVR did not finish the call"
    finally:
        ivr.stop()
        if sipp.poll() is None:
            sipp.kill()
    return CallLog.objects.get()


def typing(keys: list[tuple[str, int]]) -> str:
    """SIPp steps that type each key (RFC 2833) after a pause of the given milliseconds."""
    names = {"#": "pound", "*": "star"}
    return "\n".join(
        f'  <pause milliseconds="{pause}" />\n'
        f'  <nop><action><exec play_pcap_audio="{DTMF_DIR}/dtmf_2833_{names.get(key, key)}.pcap" /></action></nop>'
        for key, pause in keys
    )


def scenario_typing(keys: list[tuple[str, int]], tmp_path: Path) -> Path:
    """regcall.xml with its keys replaced by `keys`."""
    xml = SCENARIO.read_text(encoding="utf-8")
    start = xml.index("  <pause", xml.index("<!-- Listen to the welcome"))
    end = xml.index('  <send retrans="500">')
    path = tmp_path / "typed.xml"
    path.write_text(xml[:start] + typing(keys) + '\n  <pause milliseconds="2500" />\n\n' + xml[end:], encoding="utf-8")
    return path


@pytest.mark.django_db(transaction=True)
def test_sipp_call_navigates_requirements_and_hours(demo_office, fake_tts, tmp_path):
    call = place_call(demo_office, SCENARIO, tmp_path)
    first = demo_office.services.order_by("order", "code").first()
    assert call.driver == "sip" and call.caller == "+6281234567890"
    steps = [s for s in call.path if s in ("syarat", f"syarat:{first.code}", "sms", "jam")]
    assert steps == ["syarat", f"syarat:{first.code}", "sms", "jam"]
    assert call.path[-1] == "ditutup-penelepon" and call.ended_at is not None
    assert call.service == first


@pytest.mark.django_db(transaction=True)
def test_sipp_call_menu_2_types_the_tracking_digits_and_hears_the_status(demo_office, fake_tts, tmp_path):
    application = submit(demo_office, demo_office.services.get(code="ktp-el"))
    keys = [("2", 1500)] + [(d, 400) for d in application.tracking_digits] + [("#", 400)]
    call = place_call(demo_office, scenario_typing(keys, tmp_path), tmp_path)
    assert call.path[:3] == ["menu", "status", "status:ditemukan"]
    spoken = " ".join(fake_tts)
    assert f"Status permohonan {' '.join(application.tracking_digits)}: Pelayanan KTP-el" in spoken
    assert application.applicant_name not in spoken
