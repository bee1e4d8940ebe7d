"""The web app (``nianbao serve``): ``app.create_app(db_url)``; one module per page under ``pages``."""
