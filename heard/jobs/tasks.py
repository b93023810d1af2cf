"""The task ``heard worker`` runs for every job (Django's tasks API: the same code moves to
``django.tasks`` in Django 6)."""

from django_tasks import TaskContext, task

from heard.jobs import services


@task(takes_context=True)
def run_job(context: TaskContext, job_id: str) -> None:
    worker_ids = getattr(context.task_result, "worker_ids", None) or [""]
    services.run(job_id, worker_id=worker_ids[-1])
