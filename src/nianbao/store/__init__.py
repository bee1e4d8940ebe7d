"""The store: many reports in SQLite (default) or PostgreSQL, queried for the CLI, web and exports.

``db.connect(url)`` opens (and creates or migrates) a database, ``db.Store`` saves
reports, ``queries`` reads them back as plain dicts, ``ingest`` loads files in bulk."""
