"""Routers, one package each, discovered by tausestack.web and mounted under /api."""
