"""A real IMAP server for the mailbox tests: Debian's Dovecot, started by the suite on a free
loopback port with a certificate made for the run (IMAP over TLS, as councils' mail servers
require). `make test` installs the package (scripts/install-system-deps.sh)."""

import imaplib
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"


@dataclass
class Mailbox:
    host: str
    port: int
    user: str
    password: str
    ca_file: str

    def context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.ca_file)

    def deliver(self, raw: bytes) -> None:
        """Put a message in the mailbox, as a mail server delivering it would."""
        with imaplib.IMAP4_SSL(self.host, self.port, ssl_context=self.context()) as imap:
            imap.login(self.user, self.password)
            imap.append("INBOX", None, None, raw)

    def count(self) -> int:
        with imaplib.IMAP4_SSL(self.host, self.port, ssl_context=self.context()) as imap:
            imap.login(self.user, self.password)
            imap.select("INBOX")
            status, data = imap.uid("SEARCH", None, "ALL")
            return len((data[0] or b"").split())

    def empty(self) -> None:
        with imaplib.IMAP4_SSL(self.host, self.port, ssl_context=self.context()) as imap:
            imap.login(self.user, self.password)
            imap.select("INBOX")
            status, data = imap.uid("SEARCH", None, "ALL")
            for uid in (data[0] or b"").split():
                imap.uid("STORE", uid, "+FLAGS", "(\\Deleted)")
            imap.expunge()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def imap_server():
    if not os.path.exists(DOVECOT):
        pytest.fail("Debian's dovecot-imapd is not installed; `make test` installs it as root.")
    root = Path(tempfile.mkdtemp(prefix="heard-dovecot-"))
    root.chmod(0o755)
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(root / "key.pem"), "-out", str(root / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    if os.geteuid() == 0:
        mail_user = pwd.getpwnam("nobody")
        internal, login = "dovecot", "dovenull"
    else:
        mail_user = pwd.getpwuid(os.geteuid())
        internal = login = mail_user.pw_name
    home = root / "home"
    home.mkdir()
    if os.geteuid() == 0:
        os.chown(home, mail_user.pw_uid, mail_user.pw_gid)
    (root / "passwd").write_text("complaints:{PLAIN}mailbox-password-for-tests\n")
    # Heard's processes write files readable by their owner only (umask 077, heard/settings.py);
    # dovecot's auth process runs as another user and must read this one.
    (root / "passwd").chmod(0o644)
    port = _free_port()
    config = root / "dovecot.conf"
    config.write_text(
        f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
default_internal_user = {internal}
default_login_user = {login}
first_valid_uid = 1
ssl = required
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
ssl_min_protocol = TLSv1.2
auth_mechanisms = plain
mail_location = maildir:~/Maildir
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_user.pw_uid} gid={mail_user.pw_gid} home={home}/%u
}}
service imap-login {{
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"""
    )
    process = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(config)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
            pytest.fail(f"Dovecot did not start: {process.stdout.read().decode()} {log}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("Dovecot did not listen in time")
    yield Mailbox(
        "127.0.0.1", port, "complaints", "mailbox-password-for-tests", str(root / "cert.pem")
    )
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def mailbox(imap_server, settings):
    """The test mailbox, empty, and Heard set to read it."""
    imap_server.empty()
    settings.HEARD_IMAP_HOST = imap_server.host
    settings.HEARD_IMAP_PORT = imap_server.port
    settings.HEARD_IMAP_USER = imap_server.user
    settings.HEARD_IMAP_PASSWORD = imap_server.password
    settings.HEARD_IMAP_CA_FILE = imap_server.ca_file
    settings.HEARD_IMAP_FOLDER = "INBOX"
    return imap_server
