"""The office's own voice for the board (/staf/<office>/antrian/suara/): which words of the
spoken call are recorded, an upload per word, removal, and a sample call to listen to.

Anyone on the office's staff may listen; only an office admin changes the recordings.
"""

from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from layan.offices.access import get_office_for_user, user_is_office_admin

from . import services, slips, speech
from .devices import CallClip

CLIP_MAX_BYTES = 5 * 1024 * 1024
SAMPLE_CALL = ("A012", 2)


class ClipForm(forms.Form):
    word = forms.ChoiceField(label=_("Kata"), choices=[(w, w) for w in speech.VOCABULARY])
    audio = forms.FileField(label=_("Rekaman (WAV, MP3 atau OGG)"))

    def clean_audio(self):
        audio = self.cleaned_data["audio"]
        if audio.size > CLIP_MAX_BYTES:
            raise forms.ValidationError(_("Rekaman satu kata paling besar 5 MB."))
        return audio


@login_required
def voice(request: HttpRequest, office: str) -> HttpResponse:
    office_obj = get_office_for_user(request, office, admin=request.method == "POST")
    form = ClipForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            word = form.cleaned_data["word"]
            try:
                services.save_call_clip(office_obj, word=word, upload=form.cleaned_data["audio"])
            except (speech.SpeechError, services.QueueError) as exc:
                form.add_error("audio", str(exc))
            else:
                messages.success(request, _("Rekaman kata “%(word)s” disimpan.") % {"word": word})
                return redirect("queue:voice", office=office_obj.slug)
        status = 400
    clips = {c.word: c for c in CallClip.objects.filter(office=office_obj)}
    context = {
        "office": office_obj,
        "form": form,
        "rows": [(word, clips.get(word)) for word in speech.VOCABULARY],
        "missing": speech.missing_words(clips),
        "can_admin": user_is_office_admin(request.user, office_obj),
        "sample_text": speech.spoken_call(*SAMPLE_CALL).text,
    }
    return render(request, "queue/voice.html", context, status=status)


@login_required
@require_POST
def delete_clip(request: HttpRequest, office: str, word: str) -> HttpResponse:
    office_obj = get_office_for_user(request, office, admin=True)
    if not services.delete_call_clip(office_obj, word=word):
        raise Http404(_("Rekaman tidak ditemukan"))
    messages.success(request, _("Rekaman kata “%(word)s” dihapus.") % {"word": word})
    return redirect("queue:voice", office=office_obj.slug)


@login_required
def listen(request: HttpRequest, office: str, word: str) -> HttpResponse:
    """One recorded word, or ("contoh") the sample call as the board would speak it now."""
    office_obj = get_office_for_user(request, office)
    if word == "contoh":
        try:
            audio = speech.call_audio(*SAMPLE_CALL, clips=slips.office_clips(office_obj))
        except speech.SpeechError as exc:
            raise Http404(str(exc)) from exc
    else:
        clip = CallClip.objects.filter(office=office_obj, word=word).exclude(audio="").first()
        if clip is None:
            raise Http404(_("Rekaman tidak ditemukan"))
        audio = Path(clip.audio.path).read_bytes()
    response = HttpResponse(audio, content_type="audio/wav")
    response["Cache-Control"] = "private, no-cache"
    return response
