"""The examples' pipeline: how the site's examples are read, run by Sybil and fixed.

- `examples_pipeline.reader`: the one reader of the grammar (stdlib only).
- `examples_pipeline.collect`: Sybil's collection, built from the reader.
- `examples_pipeline.fix`: `make fix-examples`, which rewrites the output of failing examples.

Build and test tooling: it is not part of the `vmconcepts` library and does not ship in it.
"""
