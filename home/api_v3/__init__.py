"""The v3 content API: Wagtail's, with this site's types (see ``api``)."""
