"""The examples' pipeline: how the site's examples are read, run, rendered and fixed.

- `examples_pipeline.reader`: the one reader of the grammar (stdlib only).
- `examples_pipeline.collect`: Sybil's collection, built from the reader.
- `examples_pipeline.fix`: `make fix-examples`, which rewrites the output of failing examples.
- `examples_pipeline.markdown`: the Python-Markdown extension that gives each example on a
  page its Run data and copy text (`examples_pipeline.copy_text`), as the page renders.
- `examples_pipeline.bundle`: the plain command that puts Pyodide and vmconcepts in a built site.
- `examples_pipeline.protocol`: the names the page, the worker and the worker's Python share.
- `examples_pipeline.worker_prelude`: the worker's Python, which runs examples as Sybil does.

Build and test tooling: it is not part of the `vmconcepts` library and does not ship in it
(the worker's Python and the protocol are copied into the built site for the browser).
"""
