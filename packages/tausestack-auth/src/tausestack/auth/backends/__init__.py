"""Auth backends, one per module: ``local``, ``firebase``, ``supabase`` (imported on use)."""
