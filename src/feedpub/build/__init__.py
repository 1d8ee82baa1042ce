"""Running a build: the pipeline that is the library's front door (`pipeline`), and what makes
a rebuild cost what changed (the cache, the lock, the quick check that nothing did)."""
