"""A real SIP call: SIPp registers the pyVoIP IVR, calls it and types RFC 2833 digits."""

import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

from layan.telephone.models import CallLog

pytestmark = [pytest.mark.slow, pytest.mark.real_component("sipp")]
SCENARIO = Path(__file__).parent / "sipp" / "regcall.xml"
DTMF_DIR = Path("/usr/share/sip-tester")


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.django_db(transaction=True)
def test_sipp_call_navigates_requirements_and_hours(demo_office, fake_tts, tmp_path):
    if not shutil.which("sipp") or not (DTMF_DIR / "dtmf_2833_1.pcap").exists():
        pytest.skip("sipp (Debian sip-tester) is not installed")
    from layan.telephone.drivers.sip import SipIvr

    sipp_port, ivr_port = free_udp_port(), free_udp_port()
    sipp = subprocess.Popen(
        ["sipp", "-sf", str(SCENARIO), "-i", "127.0.0.1", "-p", str(sipp_port), "-mi", "127.0.0.1",
         "-mp", str(free_udp_port()), "-m", "1", "-nostdin", "-timeout", "60s", "-timeout_error",
         "-key", "ivr_port", str(ivr_port), "-trace_err",
         "-error_file", str(tmp_path / "sipp_errors.log")],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=tmp_path,
    )  # fmt: skip
    ivr = SipIvr(
        demo_office, sip_host="127.0.0.1", sip_port=sipp_port, my_ip="127.0.0.1", local_port=ivr_port,
        rtp_low=21000, rtp_high=21100,
    )  # fmt: skip
    time.sleep(0.3)  # let SIPp bind before pyVoIP registers
    starter = threading.Thread(target=ivr.start, daemon=True)
    starter.start()
    try:
        assert sipp.wait(timeout=60) == 0, sipp.stderr.read().decode() if sipp.stderr else ""
        assert ivr.calls_done.wait(15), "the IVR did not finish the call"
    finally:
        ivr.stop()
        if sipp.poll() is None:
            sipp.kill()
    call = CallLog.objects.get()
    first = demo_office.services.order_by("order", "code").first()
    assert call.driver == "sip" and call.caller == "+6281234567890"
    steps = [s for s in call.path if s in ("syarat", f"syarat:{first.code}", "sms", "jam")]
    assert steps == ["syarat", f"syarat:{first.code}", "sms", "jam"]
    assert call.path[-1] == "ditutup-penelepon" and call.ended_at is not None
    assert call.service == first
