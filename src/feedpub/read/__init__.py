"""Reading the articles: files in, `Article` values out (load → parse).

`sources` finds and reads the files; `frontmatter` splits each into metadata and body for its
dialect; `fields` and `dates` read the values; `articles` makes the `Article`; `newsroom` reads
the plain-text layout of newsroom stories.
"""
