"""Error answers of the API: JSON, in Bahasa Indonesia, and never a 5xx for bad input."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from layan.offices.ratelimit import RateLimited, too_many_requests


def _issue_message(error: dict[str, Any]) -> str:
    """One pydantic error as an Indonesian phrase (the client shows it as is)."""
    ctx = error.get("ctx") or {}
    kind = error.get("type", "")
    if kind == "missing":
        return _("wajib diisi")
    if kind == "string_too_long":
        return _("paling banyak %(n)s karakter") % {"n": ctx.get("max_length")}
    if kind == "string_too_short":
        return _("paling sedikit %(n)s karakter") % {"n": ctx.get("min_length")}
    if kind == "string_pattern_mismatch":
        return _("hanya boleh berisi huruf, angka, tanda hubung (-) dan garis bawah (_)")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("harus berupa bilangan bulat")
    if kind == "greater_than_equal":
        return _("paling kecil %(n)s") % {"n": ctx.get("ge")}
    if kind == "less_than_equal":
        return _("paling besar %(n)s") % {"n": ctx.get("le")}
    if kind == "greater_than":
        return _("harus lebih dari %(n)s") % {"n": ctx.get("gt")}
    if kind == "less_than":
        return _("harus kurang dari %(n)s") % {"n": ctx.get("lt")}
    return _("nilainya tidak sah")


def validation_issues(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    issues = []
    for error in errors:
        # ninja puts the parameter source first: ("query", "q") or ("path", "slug").
        location, *rest = [str(part) for part in error.get("loc", ())] or ["request"]
        issues.append(
            {
                "location": location,
                "field": ".".join(rest) or location,
                "message": _issue_message(error),
                "type": str(error.get("type", "")),
            }
        )
    return issues


def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    issues = validation_issues(exc.errors)
    sentences = [_("Parameter '%(field)s' %(message)s.") % issue for issue in issues]
    detail = " ".join(sentences) or _("Permintaan tidak valid.")
    return JsonResponse({"detail": detail, "errors": issues}, status=422)


def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # Http404 messages in this project are already Indonesian ("Kantor tidak ditemukan").
    return JsonResponse({"detail": str(exc) or _("Tidak ditemukan")}, status=404)


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    detail = str(exc)
    if detail.startswith("Cannot parse request body"):
        # ninja's own words for a body that is not JSON (the only English HttpError it raises).
        detail = _("Isi permintaan bukan JSON yang sah.")
    return JsonResponse({"detail": detail}, status=exc.status_code)


def _unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = JsonResponse({"detail": _("Token API tidak ada atau tidak sah.")}, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


def _rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    return too_many_requests(request, exc.usage)


def api_path_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Catch-all under /api/v1/: a JSON 404 instead of falling through to the public pages."""
    return JsonResponse({"detail": _("Alamat API tidak ditemukan")}, status=404)


def install_error_handlers(api: NinjaAPI) -> None:
    # ninja types a handler's exception as "instance or class"; ours only ever get instances.
    api.add_exception_handler(ValidationError, _validation_error)  # type: ignore[arg-type]
    api.add_exception_handler(Http404, _not_found)  # type: ignore[arg-type]
    api.add_exception_handler(HttpError, _http_error)  # type: ignore[arg-type]
    api.add_exception_handler(AuthenticationError, _unauthorized)  # type: ignore[arg-type]
    api.add_exception_handler(RateLimited, _rate_limited)  # type: ignore[arg-type]
