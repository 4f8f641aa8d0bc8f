from django.db import models


class RateCounter(models.Model):
    """One rate-limit counter (see layan/ops/ratecache.py): the number of attempts one client made
    in one time window. The key is a hash (django-ratelimit's), so no address or phone number is
    stored; a row lives until its window ends and is then swept by a later window's first write."""

    key = models.CharField(max_length=250, primary_key=True)
    count = models.BigIntegerField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "penghitung batas permintaan"
        verbose_name_plural = "penghitung batas permintaan"

    def __str__(self) -> str:
        return f"{self.key[:16]}… = {self.count}"
