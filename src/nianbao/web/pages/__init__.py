"""One module per page; each handler builds a context dict and returns it as HTML or JSON."""
