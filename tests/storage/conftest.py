"""A real S3-compatible server for the suite: moto's server (an emulation of Amazon S3, the
only S3-compatible server that installs here), started in this process on a free loopback
port, with a fresh bucket for each test and Heard's storages pointed at it through the same
environment variables a council sets (heard/filestorage.py)."""

import uuid

import boto3
import pytest
from moto.server import ThreadedMotoServer

from heard import filestorage

REGION = "eu-west-2"
KEY_ID, SECRET = "heard-test-key", "heard-test-secret"


@pytest.fixture(scope="session")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


class Bucket:
    """The test's bucket, read directly (not through Heard) to see what was stored."""

    def __init__(self, endpoint: str, name: str):
        self.name = name
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name=REGION,
            aws_access_key_id=KEY_ID,
            aws_secret_access_key=SECRET,
        )
        self.client.create_bucket(
            Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION}
        )

    def keys(self, prefix: str = "") -> list[str]:
        listing = self.client.list_objects_v2(Bucket=self.name, Prefix=prefix)
        return sorted(entry["Key"] for entry in listing.get("Contents", ()))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def head(self, key: str) -> dict:
        return self.client.head_object(Bucket=self.name, Key=key)


@pytest.fixture
def object_storage(s3_endpoint, settings, monkeypatch, tmp_path):
    """Heard configured for object storage, with an empty data folder of its own: returns the
    bucket and the data folder, to show what went where."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    bucket = Bucket(s3_endpoint, f"heard-{uuid.uuid4().hex[:12]}")
    for name, value in {
        "HEARD_FILE_STORAGE": "s3",
        "HEARD_S3_BUCKET": bucket.name,
        "HEARD_S3_ENDPOINT_URL": s3_endpoint,
        "HEARD_S3_REGION": REGION,
        "HEARD_S3_ACCESS_KEY_ID": KEY_ID,
        "HEARD_S3_SECRET_ACCESS_KEY": SECRET,
        "HEARD_S3_ADDRESSING_STYLE": "path",
        "HEARD_S3_ENCRYPTION": "AES256",
    }.items():
        monkeypatch.setenv(name, value)
    data = tmp_path / "data"
    data.mkdir()
    settings.DATA_DIR = data
    settings.MEDIA_ROOT = data / "documents"
    settings.STORAGES = filestorage.storages_setting(data)
    bucket.data_dir = data
    return bucket
