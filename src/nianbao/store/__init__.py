"""The store: many reports in SQLite (default) or PostgreSQL, queried for the CLI, web and exports.

``db.connect(url)`` opens (and creates or migrates) a database, ``db.Store`` saves reports
and loads them back whole (``load_report``), ``queries`` reads them as plain dicts. It is a
sink: files are read and checked by ``nianbao.pipeline``, which also loads them in bulk."""


class StoreError(Exception):
    """The database cannot be opened or used. The message is one Chinese line."""
