"""The API describes the postcodes it accepts with a pattern (so generated requests and
callers' own checks agree with it), but checks them itself to give the plain message: the two
must agree."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from heard.api.schemas import POSTCODE
from heard.cases.postcodes import normalise_or_none

#: The machine is shared: generating from a pattern may be slow, and that is not a failure.
PATIENT = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PATIENT
@given(st.from_regex(POSTCODE, fullmatch=True))
def test_every_postcode_the_description_allows_is_accepted(text):
    assert normalise_or_none(text) is not None


@PATIENT
@given(st.text(alphabet="AB1 2sw9ZQ\t", max_size=12))
def test_every_postcode_accepted_is_one_the_description_allows(text):
    if normalise_or_none(text) is not None:
        assert re.match(POSTCODE, text)
    else:
        assert not re.match(POSTCODE, text)
