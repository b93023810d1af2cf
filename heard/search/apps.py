from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "heard.search"
    label = "search"
    verbose_name = "Search"

    def ready(self):
        # The one hook that keeps the search index and people's links current when a case
        # changes anywhere (see heard/search/hooks.py and docs/search.md).
        from heard.search import hooks

        hooks.connect()
