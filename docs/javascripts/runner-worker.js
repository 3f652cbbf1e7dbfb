// The Web Worker that runs the site's examples: CPython (Pyodide) compiled to WebAssembly.
// It is started by runner.js on the first Run, never before. Every file it loads comes from
// this site: the Pyodide runtime and the vmconcepts wheel that the build made from the
// checkout the tests ran on (with its bytecode, compiled at build time by this same Pyodide).
// The build writes their names and sizes over the placeholder.
const CONFIG = /*VMC_CONFIG*/ null;

// Runs a block the way doctest and Sybil do: each doctest example is compiled in "single"
// mode (so a bare expression prints its repr), a plain block is exec'd, and one namespace
// is shared by the page's blocks until runner.js asks for a fresh one.
const PRELUDE = `
import ast, importlib, io, json, sys, traceback

sys.path.insert(0, LIBRARY)
_ns = {}

class _Capture(io.TextIOBase):
    def __init__(self, parts, stream):
        self.parts, self.stream = parts, stream
    def writable(self):
        return True
    def write(self, text):
        if text:
            if self.parts and self.parts[-1][0] == self.stream:
                self.parts[-1][1] += text
            else:
                self.parts.append([self.stream, text])
        return len(text)

def _execute(mode, chunk):
    if mode == "exec":
        exec(compile(chunk, "<stdin>", "exec", dont_inherit=True), _ns)
    elif mode == "cli":
        import shlex
        from vmconcepts.__main__ import main
        main(shlex.split(chunk))
    else:
        for statement in ast.parse(chunk, "<stdin>").body:
            tree = ast.Interactive(body=[statement])
            exec(compile(tree, "<stdin>", "single", dont_inherit=True), _ns)

def _run(mode, chunk):
    parts, result = [], {"parts": None, "tb": "", "exc": None}
    saved = sys.stdout, sys.stderr, sys.displayhook
    sys.stdout, sys.stderr = _Capture(parts, "out"), _Capture(parts, "err")
    sys.displayhook = sys.__displayhook__
    named = mode == "repl" and "__name__" not in _ns
    if named:
        _ns["__name__"] = "__test__"
    try:
        _execute(mode, chunk)
    except BaseException as error:
        frames = error.__traceback__
        while frames is not None and frames.tb_frame.f_code.co_filename == "<exec>":
            frames = frames.tb_next
        if isinstance(error, SyntaxError) and error.filename == "<stdin>":
            lines = traceback.format_exception_only(type(error), error)
        else:
            lines = traceback.format_exception(type(error), error, frames)
        only = "".join(traceback.format_exception_only(type(error), error))
        full = "".join(lines)
        result["tb"], result["exc"] = full[: len(full) - len(only)], only
        # What doctest compares with an expected exception: the last line of that part.
        result["last"] = traceback.format_exception_only(type(error), error)[-1]
    finally:
        sys.stdout, sys.stderr, sys.displayhook = saved
        if named:
            _ns.pop("__name__", None)
    result["parts"] = parts
    return json.dumps(result)

def _step(text):
    step = json.loads(text)
    if step[0] == "clear":
        _ns.clear()
    elif step[0] == "module":
        _ns.update(vars(importlib.import_module(step[1])))
`;

let pyodide = null;
let loadError = null;

async function load() {
  const started = performance.now();
  if (!CONFIG) throw new Error("the site was built without the runner's settings");
  const base = new URL(CONFIG.runtime, import.meta.url);
  // Count the bytes as they arrive, for the progress bar on the first Run.
  let loaded = 0;
  let reported = 0;
  const report = (force) => {
    const now = performance.now();
    if (force || now - reported > 60) {
      reported = now;
      postMessage({ type: "progress", loaded: Math.min(loaded, CONFIG.bytes), total: CONFIG.bytes });
    }
  };
  // Pyodide can hang when a runtime file fails to arrive: give up at the first failure.
  let giveUp;
  const failed = new Promise((_, reject) => {
    giveUp = reject;
  });
  let gaveUp = false;
  failed.catch(() => {
    gaveUp = true;
  });
  // Pyodide's own promises then reject unhandled too; the reader has been told already.
  self.addEventListener("unhandledrejection", (event) => {
    if (gaveUp) event.preventDefault();
  });
  const plainFetch = self.fetch.bind(self);
  self.fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input).split("?")[0];
    const name = url.slice(url.lastIndexOf("/") + 1);
    let response;
    try {
      response = await plainFetch(input, init);
    } catch (error) {
      giveUp(new Error(`${name} could not be downloaded`));
      throw error;
    }
    if (!response.ok) giveUp(new Error(`${name} could not be downloaded (HTTP ${response.status})`));
    if (!response.ok || !response.body) return response;
    const counter = new TransformStream({
      transform(chunk, controller) {
        loaded += chunk.byteLength;
        report(false);
        controller.enqueue(chunk);
      },
    });
    return new Response(response.body.pipeThrough(counter), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
  try {
    // vmconcepts downloads while the runtime starts.
    const library = fetch(new URL(CONFIG.library, base)).then((response) => {
      if (!response.ok) throw new Error(`the vmconcepts archive answered HTTP ${response.status}`);
      return response.arrayBuffer();
    });
    library.catch(() => {});
    const { loadPyodide } = await import(new URL("pyodide.mjs", base).href);
    const runtimeStarted = performance.now();
    const loading = loadPyodide({ indexURL: base.href });
    loading.catch(() => {}); // after a failed download, its own error comes too late to matter
    const py = await Promise.race([loading, failed]);
    const runtimeMs = performance.now() - runtimeStarted;
    // The wheel's files and their bytecode, in a zip that Python imports from: nothing to unpack.
    py.FS.writeFile(CONFIG.mount, new Uint8Array(await library));
    py.globals.set("LIBRARY", CONFIG.mount);
    py.runPython(PRELUDE);
    loaded = CONFIG.bytes;
    report(true);
    return { py, runtimeMs, totalMs: performance.now() - started };
  } finally {
    self.fetch = plainFetch;
  }
}

const ready = load().then(
  (loadedRuntime) => {
    pyodide = loadedRuntime.py;
    postMessage({
      type: "ready",
      version: CONFIG.version,
      runtimeMs: loadedRuntime.runtimeMs,
      totalMs: loadedRuntime.totalMs,
    });
  },
  (error) => {
    loadError = String((error && error.message) || error);
    postMessage({ type: "failed", message: loadError });
  },
);

// Jobs run one after another, in the order runner.js sends them.
let queue = ready;
self.onmessage = (event) => {
  const job = event.data;
  queue = queue.then(() => handle(job));
};

function handle(job) {
  if (!pyodide) {
    postMessage({ type: "done", id: job.id, failed: loadError });
    return;
  }
  const step = pyodide.globals.get("_step");
  const run = pyodide.globals.get("_run");
  try {
    if (job.type === "reset") {
      step('["clear"]');
    } else {
      for (const before of job.before || []) {
        if (before[0] === "code") {
          for (const chunk of before[2]) {
            const result = JSON.parse(run(before[1], chunk));
            postMessage({ type: "chunk", id: job.id, hidden: true, ...result });
          }
        } else {
          step(JSON.stringify(before));
        }
      }
      job.chunks.forEach((chunk, index) => {
        const result = JSON.parse(run(job.mode, chunk));
        postMessage({ type: "chunk", id: job.id, index, ...result });
      });
    }
  } finally {
    step.destroy();
    run.destroy();
  }
  postMessage({ type: "done", id: job.id });
}
