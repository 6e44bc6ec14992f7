"""Repository tooling for the TauseStack monorepo (not shipped)."""
