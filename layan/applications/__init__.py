"""Applications (permohonan): a citizen's request for one published service version, its
requirement checklist, its status workflow with a working-day SLA, and its tracking code."""
