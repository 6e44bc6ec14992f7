"""The TauseStack example AI API: documents, an AI step, history, per-user data, e-mail."""
