"""Background work of the directory, run by django-tasks (`manage.py db_worker` in development)."""

from django_tasks import task


@task()
def send_freshness_reminders():
    """E-mail each organisation's editors a digest of its stale offers (at most weekly).

    Daily from cron or a systemd timer through `manage.py send_freshness_reminders`.
    """
    from . import services

    return services.send_freshness_reminders()
