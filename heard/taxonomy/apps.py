from django.apps import AppConfig


class TaxonomyConfig(AppConfig):
    name = "heard.taxonomy"
    label = "taxonomy"
    verbose_name = "Vocabularies"
