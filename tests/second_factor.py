"""Real TOTP codes for a device, computed as an authenticator app computes them (RFC 6238)."""

import time

from django_otp.oath import TOTP


def code_for(device, *, steps_later: int = 0) -> str:
    """The code the app shows now (or ``steps_later`` periods of 30 seconds from now)."""
    totp = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    totp.time = time.time() + steps_later * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_code_for(device) -> str:
    """Six digits that no window django-otp accepts (one step either side) would give."""
    near = {code_for(device, steps_later=n) for n in (-1, 0, 1)}
    return next(f"{n:06d}" for n in range(1000000) if f"{n:06d}" not in near)
