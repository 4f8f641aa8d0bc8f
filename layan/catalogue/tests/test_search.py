from layan.catalogue.models import Service
from layan.catalogue.search import clear_match, search_services
from layan.catalogue.search_text import analyse
from layan.catalogue.services import publish_service_version, start_draft, update_service
from layan.offices.models import Office
from layan.regions.models import District
from testkit.personas import create_office, create_service


def reload(office: Office) -> Office:
    """The office as the next request or message would load it."""
    return Office.objects.get(pk=office.pk)


def top_code(office: Office, query: str) -> str | None:
    hits = search_services(office, query)
    return hits[0].code if hits else None


# Text normalisation and stemming


def test_citizen_spelling_reduces_to_the_same_terms_as_the_catalogue():
    assert analyse("Tolooong, gmn bikin AKTE kelahiran anak2 sy??") == analyse("akta lahir anak")


def test_ktp_spellings_are_one_term():
    for spelling in ["e-KTP", "ektp", "E KTP", "ktp-el", "KTP el", "KTPel"]:
        assert analyse(spelling) == ["ktp"], spelling


def test_words_with_one_meaning_share_a_term():
    assert analyse("meninggal") == analyse("wafat") == analyse("kematian")
    assert analyse("menikah") == analyse("kawin") == analyse("pernikahan")
    assert analyse("ilang") == analyse("kehilangan")


def test_phrases_keep_their_meaning():
    assert analyse("surat tidak mampu") == analyse("surat tdk mampu") == analyse("surat miskin")
    assert analyse("belum pernah menikah") == analyse("blm nikah") == ["lajang"]


def test_stop_words_go_but_words_that_tell_services_apart_stay():
    assert analyse("assalamualaikum pak, sy mau tanya syaratnya apa ya min") == []
    terms = analyse("ktp baru hilang datang beda")
    assert {"ktp", "baru", "hilang", "datang", "beda"} <= set(terms)


# Ranking on the demo catalogue


def test_typos_still_find_the_service(demo_office):
    # One test for several queries: loading the demo catalogue is the slow part.
    typos = {
        "ktpp sy hilang": "ktp-el",
        "akta kelahran anak": "pengantar-akta-kelahiran",
        "surat domisil perorangan": "domisili",
        "sktn buat berobat": "sktm",
        "sporadk tanah": "sporadik-tanah",
    }
    assert {query: top_code(demo_office, query) for query in typos} == typos


def test_the_action_outweighs_the_document_it_acts_on(demo_office):
    assert top_code(demo_office, "legalisir akta kelahiran bisa?") == "legalisasi"
    assert top_code(demo_office, "tanggal lahir di kk beda dgn akta") == "beda-data"


def test_a_common_word_is_not_taken_for_a_typo(demo_office):
    # "harga" is one letter from "warga" (pindah-datang), "naik" from "baik" (SKCK).
    assert clear_match(search_services(demo_office, "harga cabai naik")) is None


def test_nonsense_or_greeting_gives_no_hit_and_vague_query_no_clear_match(demo_office):
    for query in ["", "   ", "asdfgh", "halo", "selamat pagi pak", "?!", "terima kasih bu"]:
        assert search_services(demo_office, query) == [], query
    for query in ["jalan desa rusak parah", "kapan kantor buka", "syarat surat keterangan", "qwerty ktp akta kk"]:
        assert clear_match(search_services(demo_office, query)) is None, query


def test_clear_question_gives_a_clear_match(demo_office):
    hit = clear_match(search_services(demo_office, "sy mau tanya syarat bikin surat keterangan tidak mampu"))
    assert hit is not None
    assert hit.code == "sktm"


def test_clitics_and_words_run_together_find_the_service(demo_office):
    assert top_code(demo_office, "ktpnya kapan jadi") == "ktp-el"
    assert top_code(demo_office, "ahliwaris") == "ahli-waris"
    assert top_code(demo_office, "kartukeluarga") == "kartu-keluarga"
    assert top_code(demo_office, "aktenya anak baru lahir") == "pengantar-akta-kelahiran"


def test_common_english_queries_find_the_service(demo_office):
    for query, code in [
        ("birth certificate", "pengantar-akta-kelahiran"),
        ("ID card", "ktp-el"),
        ("family card", "kartu-keluarga"),
        ("moving letter", "pindah-keluar"),
        ("certificate of poverty", "sktm"),
    ]:
        assert top_code(demo_office, query) == code, query


def test_hits_far_below_the_best_are_left_out(demo_office):
    assert [h.code for h in search_services(demo_office, "surat pindah", limit=10)] == [
        "pindah-keluar",
        "pindah-datang",
    ]
    codes = [h.code for h in search_services(demo_office, "akte kelahiran anak", limit=10)]
    assert codes[0] == "pengantar-akta-kelahiran" and "ajb-ppat-sementara" not in codes


def test_hits_are_ranked_scored_and_limited(demo_office):
    hits = search_services(demo_office, "surat keterangan", limit=3)
    assert len(hits) == 3
    assert all(0 <= h.score <= 1 for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    current = {s.code: s.current_version_id for s in demo_office.services.all()}
    assert all(h.version_id == current[h.code] for h in hits)


def test_a_repeated_question_gets_the_same_hits_whatever_the_caller_did_with_the_first(demo_office):
    first = search_services(demo_office, "surat keterangan", limit=3)
    expected = list(first)
    first.clear()  # the caller owns its list; the remembered answer is not touched

    assert search_services(demo_office, "surat keterangan", limit=3) == expected
    assert len(search_services(demo_office, "surat keterangan", limit=2)) == 2


# Index: freshness, tenancy, cost


def test_newly_published_keyword_is_found_at_once(demo_office):
    assert top_code(demo_office, "surat bidikmisi") != "keterangan-penghasilan"  # the index is warm now
    service = demo_office.services.get(code="keterangan-penghasilan")
    draft = start_draft(service)
    draft.keywords = [*draft.keywords, "bidikmisi"]
    draft.save()
    published = publish_service_version(draft)

    hit = clear_match(search_services(reload(demo_office), "surat bidikmisi"))

    assert hit is not None
    assert (hit.code, hit.version_id) == ("keterangan-penghasilan", published.pk)


def test_renamed_service_shows_its_new_name(demo_office):
    search_services(demo_office, "sktm")
    draft = start_draft(demo_office.services.get(code="sktm"))
    draft.name = "Surat Keterangan Tidak Mampu (SKTM) untuk sekolah dan berobat"
    draft.save()
    publish_service_version(draft)

    assert search_services(reload(demo_office), "sktm")[0].name == draft.name


def test_services_of_another_office_never_appear(demo_office):
    other = create_office(District.objects.get(code="16.09.11"), "muaradua-kisam")
    create_service(other, "surat-jalan-ternak", "Surat Keterangan Jalan Ternak", keywords=["jual sapi", "ternak"])
    other = reload(other)

    assert top_code(other, "surat jalan ternak sapi") == "surat-jalan-ternak"
    assert all(h.code != "surat-jalan-ternak" for h in search_services(demo_office, "surat jalan ternak sapi"))
    assert all(h.code == "surat-jalan-ternak" for h in search_services(other, "sktm ktp kk akta"))


def test_inactive_services_never_appear(demo_office):
    assert top_code(demo_office, "surat miskin") == "sktm"
    update_service(Service.objects.get(office=demo_office, code="sktm"), is_active=False)

    assert all(h.code != "sktm" for h in search_services(reload(demo_office), "surat miskin sktm"))


def test_index_is_built_with_two_queries_and_then_reused(demo_office, django_assert_num_queries):
    with django_assert_num_queries(2):
        search_services(demo_office, "ktp hilang")
    with django_assert_num_queries(0):
        search_services(demo_office, "akte anak")
