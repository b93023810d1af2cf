import pytest


@pytest.fixture
def queued_jobs(settings, tmp_path):
    """The real database backend (as in production) and a private results folder: a download
    makes a job that waits for `heard worker`."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "jobs": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "jobs", "file_permissions_mode": 0o600},
        },
    }
    return tmp_path / "jobs"
