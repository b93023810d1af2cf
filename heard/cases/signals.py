"""Signals other apps listen to. ``cases_written`` is sent by ``bulk.BulkWriter`` inside its
transaction, with the ids of the cases it has just written (no ``post_save`` is sent for
them): heard.search.hooks links their people and indexes them."""

from django.dispatch import Signal

cases_written = Signal()  # kwargs: case_ids
