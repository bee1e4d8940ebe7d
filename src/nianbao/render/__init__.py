"""Renderers: a report (or findings) as JSON, terminal text, spreadsheets and the official DOCX layout."""
