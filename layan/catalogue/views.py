from django.http import HttpResponse


def office_list(request):
    return HttpResponse("Layan")
