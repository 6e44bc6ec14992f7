"""Cache backends: memory (default), disk (diskcache) and Redis; one file each."""
