"""`feedpub serve`: a preview of the feeds over HTTP, built again whenever an article changes.

`preview` runs it (build, serve, watch, rebuild); `server` answers HTTP from the output folder;
`watch` tells which files changed (the only importer of watchfiles).
"""
