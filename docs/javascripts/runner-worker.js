// The Web Worker that runs the site's examples: CPython (Pyodide) compiled to WebAssembly.
// It is started by runner.js on the first Run, never before. Every file it loads comes from
// this site: the Pyodide runtime and the vmconcepts wheel that the build made from the
// checkout the tests ran on (with its bytecode, compiled at build time by this same Pyodide).
// The build (examples_pipeline/bundle.py) writes over the placeholders: CONFIG, the files'
// names and sizes and the worker's Python (examples_pipeline/worker_prelude.py, which runs
// blocks as doctest and Sybil do); PROTOCOL, the names of examples_pipeline/protocol.py.
const CONFIG = /*VMC_CONFIG*/ null;
const PROTOCOL = /*VMC_PROTOCOL*/ null;
const { Message, StepKind } = PROTOCOL ?? {};

let prelude = null; // the worker's Python: its run() and step()
let loadError = null;

async function load() {
  const started = performance.now();
  if (!CONFIG || !PROTOCOL) throw new Error("the site was built without the runner's settings");
  const base = new URL(CONFIG.runtime, import.meta.url);
  // Count the bytes as they arrive, for the progress bar on the first Run.
  let loaded = 0;
  let reported = 0;
  const report = (force) => {
    const now = performance.now();
    if (force || now - reported > 60) {
      reported = now;
      postMessage({ type: Message.PROGRESS, loaded: Math.min(loaded, CONFIG.bytes), total: CONFIG.bytes });
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
    const { root, module, files } = CONFIG.prelude;
    for (const [name, source] of Object.entries(files)) {
      const path = `${root}/${name}`;
      py.FS.mkdirTree(path.slice(0, path.lastIndexOf("/")));
      py.FS.writeFile(path, source);
    }
    const sys = py.pyimport("sys");
    sys.path.insert(0, CONFIG.mount);
    sys.path.insert(0, root);
    sys.destroy();
    const python = py.pyimport(module);
    loaded = CONFIG.bytes;
    report(true);
    return { python, runtimeMs, totalMs: performance.now() - started };
  } finally {
    self.fetch = plainFetch;
  }
}

const ready = load().then(
  (loadedRuntime) => {
    const { python } = loadedRuntime;
    // Attributes are borrowed from the module's proxy: copies outlive it.
    prelude = { run: python.run.copy(), step: python.step.copy() };
    python.destroy();
    postMessage({
      type: Message.READY,
      version: CONFIG.version,
      runtimeMs: loadedRuntime.runtimeMs,
      totalMs: loadedRuntime.totalMs,
    });
  },
  (error) => {
    loadError = String((error && error.message) || error);
    postMessage({ type: Message.FAILED, message: loadError });
  },
);

// Jobs run one after another, in the order runner.js sends them.
let queue = ready;
self.onmessage = (event) => {
  const job = event.data;
  queue = queue.then(() => handle(job));
};

function handle(job) {
  if (!prelude) {
    postMessage({ type: Message.DONE, id: job.id, failed: loadError });
    return;
  }
  if (job.type === Message.RESET) {
    prelude.step(JSON.stringify([StepKind.CLEAR]));
  } else {
    for (const before of job.before || []) {
      if (before[0] === StepKind.CODE) {
        for (const chunk of before[2]) {
          const result = JSON.parse(prelude.run(before[1], chunk));
          postMessage({ type: Message.CHUNK, id: job.id, hidden: true, ...result });
        }
      } else {
        prelude.step(JSON.stringify(before));
      }
    }
    job.chunks.forEach((chunk, index) => {
      const result = JSON.parse(prelude.run(job.mode, chunk));
      postMessage({ type: Message.CHUNK, id: job.id, index, ...result });
    });
  }
  postMessage({ type: Message.DONE, id: job.id });
}
