"""Where Heard keeps files (``settings.STORAGES``), read from the environment.

Five storages, all reached through Django's storage API and nothing else:

- ``default``: documents on cases, correspondence files and letter templates;
- ``jobs``: the results of background jobs and uploads waiting to be imported;
- ``spool``: online forms kept while the database could not take them;
- ``uploads``: files a visitor attached to the online form, waiting for it to be sent;
- ``staticfiles``: the compiled GOV.UK assets, always served from the package by WhiteNoise.

``HEARD_FILE_STORAGE=local`` (the default) keeps the first four in folders under the data
directory, readable by Heard's user only. ``HEARD_FILE_STORAGE=s3`` keeps them in one bucket of
S3-compatible object storage through django-storages, each under its own prefix
(``documents/``, ``jobs/``, ``spool/``, ``uploads/``), so that several machines share them
(docs/operations.md, decision 34).
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from heard.envconfig import env, env_choice

KINDS = ("local", "s3")
#: The prefix of each storage inside the bucket.
PREFIXES = {"default": "documents", "jobs": "jobs", "spool": "spool", "uploads": "uploads"}
STATIC = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}


def _private_folder(location: Path) -> dict:
    """A folder only Heard's user can read: 0700 folders, 0600 files."""
    return {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": location,
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    }


def _local(data_dir: Path) -> dict:
    return {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": STATIC,
        "jobs": _private_folder(data_dir / "jobs"),
        "spool": _private_folder(data_dir / "spool"),
        "uploads": _private_folder(data_dir / "public-uploads"),
    }


def s3_options() -> dict:
    """The options every S3 storage shares, from ``HEARD_S3_*``; refuses an incomplete set."""
    bucket = env("HEARD_S3_BUCKET", "")
    if not bucket:
        raise ImproperlyConfigured(
            "HEARD_FILE_STORAGE=s3 needs HEARD_S3_BUCKET: the bucket Heard keeps its files in."
        )
    access_key = env("HEARD_S3_ACCESS_KEY_ID", "") or None
    secret_key = env("HEARD_S3_SECRET_ACCESS_KEY", "") or None
    if bool(access_key) != bool(secret_key):
        raise ImproperlyConfigured(
            "Set both HEARD_S3_ACCESS_KEY_ID and HEARD_S3_SECRET_ACCESS_KEY, or neither "
            "(to use the machine's own credentials, such as an instance role)."
        )
    endpoint = env("HEARD_S3_ENDPOINT_URL", "") or None
    if endpoint and not endpoint.startswith(("https://", "http://")):
        raise ImproperlyConfigured(
            f"HEARD_S3_ENDPOINT_URL must be an http(s):// address, not {endpoint!r}."
        )
    options = {
        "bucket_name": bucket,
        "endpoint_url": endpoint,
        "region_name": env("HEARD_S3_REGION", "") or None,
        "access_key": access_key,
        "secret_key": secret_key,
        "addressing_style": env_choice(
            "HEARD_S3_ADDRESSING_STYLE", "auto", ("auto", "path", "virtual")
        ),
        # Never replace a file that has the same name: a free name is found, as on disk.
        "file_overwrite": False,
        # Objects stay private (the bucket's own policy); Heard hands files out itself, through
        # views that check permission, and never links to the bucket.
        "default_acl": None,
        "querystring_auth": True,
    }
    encryption = env_choice("HEARD_S3_ENCRYPTION", "", ("", "AES256", "aws:kms"))
    if encryption:
        options["object_parameters"] = {"ServerSideEncryption": encryption}
    return options


def _s3() -> dict:
    shared = s3_options()
    return {
        "staticfiles": STATIC,
        **{
            name: {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {**shared, "location": prefix},
            }
            for name, prefix in PREFIXES.items()
        },
    }


def storages_setting(data_dir: Path) -> dict:
    """``settings.STORAGES`` for the environment Heard runs in."""
    kind = env_choice("HEARD_FILE_STORAGE", "local", KINDS)
    return _s3() if kind == "s3" else _local(data_dir)


def is_local(storage) -> bool:
    """Whether ``storage`` keeps its files in a folder on this machine."""
    try:
        storage.path("probe")
    except NotImplementedError:
        return False
    return True
