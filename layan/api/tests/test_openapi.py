"""The OpenAPI document is part of the product: integrators generate clients from it."""

import pytest


@pytest.fixture
def openapi(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(openapi):
    for path, methods in openapi["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_openapi_describes_the_layan_api_in_indonesian(openapi):
    assert openapi["info"]["title"] == "Layan API"
    assert "standar pelayanan" in openapi["info"]["description"]
    assert {t["name"] for t in openapi["tags"]} >= {"kantor", "layanan"}
    assert set(openapi["paths"]) >= {
        "/api/v1/offices",
        "/api/v1/offices/{slug}",
        "/api/v1/offices/{slug}/services",
        "/api/v1/offices/{slug}/services/{code}",
    }


def test_every_operation_is_tagged_named_and_documents_its_errors(openapi):
    for path, _method, operation in operations(openapi):
        assert operation["tags"], path
        assert operation["operationId"] and operation["summary"], path
        responses = operation["responses"]
        assert responses["422"]["content"]["application/json"]["schema"]["$ref"].endswith("/ValidationErrorResponse")
        if "{slug}" in path:
            assert responses["404"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorResponse")
            assert responses["404"]["description"] != "Not Found", path


def test_path_parameters_carry_working_examples(openapi, demo_office, client):
    """The examples (used by the docs and by the fuzz test) point at real demo data."""
    path = "/api/v1/offices/{slug}/services/{code}/versions/{number}"
    params = {p["name"]: p["example"] for p in openapi["paths"][path]["get"]["parameters"]}

    response = client.get(path.format(**params))

    assert response.status_code == 200
    assert response.json()["code"] == params["code"]


def test_response_schemas_are_named_for_clients(openapi):
    names = set(openapi["components"]["schemas"])

    assert {"OfficeSummary", "OfficeDetail", "ServiceSummary", "ServiceDetail", "ErrorResponse"} <= names
    assert not [n for n in names if n.endswith(("Out", "In"))]


def test_unknown_api_path_is_a_json_404(client):
    response = client.get("/api/v1/kantor")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Alamat API tidak ditemukan"}


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/offices?offset=-1", "offset"),
        ("/api/v1/offices?limit=banyak", "limit"),
        ("/api/v1/offices/kisam%20tinggi", "slug"),
        ("/api/v1/offices/kisam-tinggi/services/ktp-el/versions/0", "number"),
        ("/api/v1/offices/kisam-tinggi/services/ktp-el/versions/99999999999999999999", "number"),
        ("/api/v1/offices?offset=9999999999999999999999", "offset"),
    ],
)
def test_invalid_parameters_are_a_readable_422(client, db, url, field):
    response = client.get(url)

    assert response.status_code == 422
    body = response.json()
    assert [e["field"] for e in body["errors"]] == [field]
    assert body["detail"].startswith(f"Parameter '{field}' ")
