"""The public services API: what an integrator reads about one office's catalogue."""

from layan.catalogue.models import ServiceVersion
from layan.catalogue.services import publish_service_version, start_draft
from testkit.personas import create_service

BASE = "/api/v1/offices/kisam-tinggi/services"


def test_service_list_shows_every_published_service_in_catalogue_order(client, demo_office):
    body = client.get(BASE + "?limit=100").json()

    expected = [s.code for s in demo_office.services.all()]
    assert body["count"] == 24
    assert [s["code"] for s in body["items"]] == expected
    assert body["query"] is None
    ktp = body["items"][expected.index("ktp-el")]
    assert ktp["time"]["display"] == "1 hari kerja"
    assert ktp["fee"] == {"idr": 0, "note": "", "display": "Gratis (tidak dipungut biaya)"}
    assert ktp["score"] is None
    assert ktp["url"].endswith("/kisam-tinggi/layanan/ktp-el/")


def test_service_list_pages_do_not_overlap(client, demo_office):
    first = client.get(BASE + "?limit=10").json()["items"]
    third = client.get(BASE + "?limit=10&offset=20").json()["items"]

    assert len(first) == 10
    assert len(third) == 4
    assert not {s["code"] for s in first} & {s["code"] for s in third}


def test_service_list_costs_a_fixed_number_of_queries(client, demo_office, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert len(client.get(BASE + "?limit=100").json()["items"]) == 24


def test_search_ranks_results_best_first_and_finds_ktp(client, demo_office):
    body = client.get(BASE, {"q": "bikin ktp"}).json()

    codes = [s["code"] for s in body["items"]]
    scores = [s["score"] for s in body["items"]]
    assert "ktp-el" in codes
    assert scores == sorted(scores, reverse=True)
    assert all(0 < score <= 1 for score in scores)
    assert body["query"] == "bikin ktp"
    assert all(s["url"].endswith(f"/kisam-tinggi/layanan/{s['code']}/") for s in body["items"])


def test_search_query_count_is_bounded(client, demo_office, django_assert_max_num_queries):
    client.get(BASE, {"q": "akta kelahiran"})  # let the search engine warm any per-process index

    with django_assert_max_num_queries(6):
        assert client.get(BASE, {"q": "akta kelahiran"}).status_code == 200


def test_search_query_over_200_characters_is_refused_in_indonesian(client, demo_office):
    response = client.get(BASE, {"q": "ktp " * 51})

    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "Parameter 'q' paling banyak 200 karakter."
    assert body["errors"][0]["field"] == "q"


def test_blank_search_lists_everything(client, demo_office):
    body = client.get(BASE, {"q": "   "}).json()

    assert body["query"] is None
    assert body["count"] == 24


def test_search_with_control_characters_is_not_a_server_error(client, demo_office):
    response = client.get(BASE, {"q": "ktp\x00\x1b[31m\tel"})

    assert response.status_code == 200
    assert response.json()["query"] == "ktp [31m el"


def test_service_detail_has_all_fourteen_components(client, demo_office):
    service = demo_office.services.get(code="ktp-el")
    version = service.current_version

    body = client.get(BASE + "/ktp-el").json()

    assert body["name"] == version.name
    assert body["category"] == "non-perizinan"
    # 1 requirements, in order, with their conditions
    documents = [r["document"] for r in body["requirements"]]
    assert documents == [r.document for r in version.requirements.all()]
    lost = next(r for r in body["requirements"] if r["condition"] == "jika hilang")
    assert lost["upload_accepted"] is False
    assert set(body["requirements"][0]) == {
        "order",
        "document",
        "form",
        "count",
        "condition",
        "upload_accepted",
        "note",
    }
    # 2 procedure
    assert [s["order"] for s in body["steps"]] == sorted(s["order"] for s in body["steps"])
    assert body["steps"][0]["actor"] == "Pemohon"
    # 3 time, 4 fee, 5 output, 6 complaints, 7 legal basis
    assert body["time"] == {
        "value": version.time_value,
        "unit": "working_days",
        "note": version.time_note,
        "display": "1 hari kerja",
    }
    assert body["fee"]["idr"] == 0
    assert body["output"] == version.output
    assert body["complaint_handling"] == version.complaint_handling
    assert body["legal_basis"] == version.legal_basis and body["legal_basis"]
    # 8–14 management
    assert body["management"]["staff_count"] == version.staff_count
    assert body["management"]["evaluation"] == version.evaluation
    assert body["keywords"] == version.keywords
    assert body["version"]["number"] == 1
    assert body["version"]["is_current"] is True
    assert body["version"]["published_at"].endswith("+07:00")  # the office's WIB, not UTC
    assert body["urls"]["web"].endswith("/kisam-tinggi/layanan/ktp-el/")
    assert body["urls"]["poster_pdf"].endswith("/kisam-tinggi/layanan/ktp-el/poster.pdf")
    assert body["urls"]["guidebook_pdf"].endswith("/kisam-tinggi/panduan.pdf")


def test_service_detail_costs_a_fixed_number_of_queries(client, demo_office, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        assert client.get(BASE + "/ktp-el").status_code == 200


def test_fee_set_by_regional_regulation_is_null(client, personas):
    create_service(personas.office, "imb", fee_idr=None, category="perizinan")

    fee = client.get("/api/v1/offices/kisam-tinggi/services/imb").json()["fee"]

    assert fee == {"idr": None, "note": "", "display": "Sesuai peraturan daerah"}


def test_drafts_are_never_exposed(client, personas):
    create_service(personas.office, "belum-terbit", "Layanan rahasia", publish=False)
    base = "/api/v1/offices/kisam-tinggi/services"

    assert client.get(base).json()["count"] == 0
    assert client.get(base, {"q": "rahasia"}).json()["items"] == []
    assert client.get(base + "/belum-terbit").json() == {"detail": "Layanan tidak ditemukan"}
    assert client.get(base + "/belum-terbit/versions").status_code == 404


def test_open_draft_does_not_change_what_the_public_sees(client, personas):
    service = create_service(personas.office, "skck", "Pengantar SKCK")
    draft = start_draft(service)
    draft.name = "Pengantar SKCK (draf baru)"
    draft.save()
    base = "/api/v1/offices/kisam-tinggi/services"

    assert client.get(base + "/skck").json()["name"] == "Pengantar SKCK"
    assert [v["number"] for v in client.get(base + "/skck/versions").json()["items"]] == [1]
    assert client.get(base, {"q": "skck"}).json()["items"][0]["name"] == "Pengantar SKCK"


def test_inactive_service_is_hidden_everywhere(client, demo_office):
    demo_office.services.filter(code="ktp-el").update(is_active=False)

    assert "ktp-el" not in [s["code"] for s in client.get(BASE + "?limit=100").json()["items"]]
    assert "ktp-el" not in [s["code"] for s in client.get(BASE, {"q": "ktp el"}).json()["items"]]
    assert client.get(BASE + "/ktp-el").status_code == 404
    assert client.get(BASE + "/ktp-el/versions/1").status_code == 404


def test_another_office_service_is_not_reachable_under_the_wrong_slug(client, personas):
    create_service(personas.other_office, "khusus-b", "Layanan kantor B")
    create_service(personas.office, "khusus-a", "Layanan kantor A")

    wrong = client.get("/api/v1/offices/kisam-tinggi/services/khusus-b")
    right = client.get("/api/v1/offices/muaradua-kisam/services/khusus-b")
    search_a = client.get("/api/v1/offices/kisam-tinggi/services", {"q": "layanan kantor"}).json()

    assert wrong.status_code == 404
    assert wrong.json() == {"detail": "Layanan tidak ditemukan"}
    assert right.status_code == 200
    assert [s["code"] for s in search_a["items"]] == ["khusus-a"]


def test_unknown_office_or_service_is_404_in_indonesian(client, demo_office):
    assert client.get("/api/v1/offices/tidak-ada/services").json() == {"detail": "Kantor tidak ditemukan"}
    assert client.get("/api/v1/offices/tidak-ada/services/ktp-el").json() == {"detail": "Kantor tidak ditemukan"}
    response = client.get(BASE + "/tidak-ada")
    assert response.status_code == 404
    assert response.json() == {"detail": "Layanan tidak ditemukan"}


def test_earlier_versions_stay_readable(client, personas):
    service = create_service(personas.office, "domisili", "Surat keterangan domisili")
    draft = start_draft(service)
    draft.name = "Surat keterangan domisili (baru)"
    draft.save()
    publish_service_version(draft, note="Nama diperbarui")
    start_draft(service)  # an open draft never shows up in the history
    base = "/api/v1/offices/kisam-tinggi/services/domisili"

    history = client.get(base + "/versions").json()["items"]
    old = client.get(base + "/versions/1").json()

    assert [(v["number"], v["status"], v["is_current"]) for v in history] == [
        (2, "published", True),
        (1, "superseded", False),
    ]
    assert history[0]["change_note"] == "Nama diperbarui"
    assert old["name"] == "Surat keterangan domisili"
    assert old["version"]["is_current"] is False
    assert old["urls"]["web"].endswith("/kisam-tinggi/layanan/domisili/versi/1/")
    assert client.get(base).json()["name"] == "Surat keterangan domisili (baru)"
    assert client.get(base + "/versions/3").json() == {"detail": "Versi layanan tidak ditemukan"}
    assert ServiceVersion.objects.filter(service=service, status="draft").exists()
