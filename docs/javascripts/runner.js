// Run buttons for the site's Python examples. Python itself (Pyodide) lives in a Web Worker
// that is created on the first Run, not before; this file wires up buttons and shows output.
// The build marks each example with data-run-* attributes and writes its controls (Run bar,
// live region for the output) after it (examples_pipeline/markdown.py), and writes the names
// that the page, the worker and its Python share (examples_pipeline/protocol.py) over the
// placeholder.
(() => {
  "use strict";
  const PROTOCOL = /*VMC_PROTOCOL*/ null;
  if (!PROTOCOL) {
    console.error("runner.js: the site was built without the runner's names; no Run buttons");
    return;
  }
  const { Attribute, Control, Message, Part, RunMode, Stream } = PROTOCOL;
  const workerURL = new URL("runner-worker.js", document.currentScript.src);
  let worker = null;
  let booted = null; // a promise: the worker's Python is ready
  let onProgress = null;
  let jobs = new Map();
  let nextId = 1;
  let page = null; // { blocks, done }: done = how many blocks ran in this session
  let busy = null; // the block whose run is in progress
  let cancel = null; // rejects the wait of a run that Stop ended

  const make = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  };
  const megabytes = (n) => (n / 1e6).toFixed(1);

  function startWorker() {
    const w = new Worker(workerURL, { type: "module" });
    worker = w;
    jobs = new Map();
    booted = new Promise((resolve, reject) => {
      w.onmessage = ({ data }) => {
        if (data.type === Message.PROGRESS) onProgress?.(data);
        else if (data.type === Message.READY) {
          resolve(data);
          document.dispatchEvent(new CustomEvent("vmc:ready", { detail: data }));
        }
        else if (data.type === Message.FAILED) reject(new Error(data.message));
        else if (data.type === Message.CHUNK) jobs.get(data.id)?.chunk(data);
        else if (data.type === Message.DONE) {
          const job = jobs.get(data.id);
          jobs.delete(data.id);
          job?.done();
        }
      };
      w.onerror = (event) => reject(new Error(event.message || "the Python worker did not start"));
    });
    booted.catch(() => {});
    if (page) {
      page.done = 0;
      for (const block of page.blocks) block.ran = false;
    }
  }

  function send(message, chunk) {
    return new Promise((resolve, reject) => {
      const id = nextId++;
      jobs.set(id, { chunk, done: resolve, stop: reject });
      worker.postMessage({ ...message, id });
    });
  }

  function stop() {
    worker?.terminate();
    const stopped = new Error("stopped");
    for (const job of jobs.values()) job.stop(stopped);
    cancel?.(stopped);
    if (busy) say(busy, "Stopped. Python was restarted, so the next Run starts again from the page's first example.", "vmc-message");
    startWorker();
  }

  function show(block, result) {
    const piece = make("span", result.hidden ? "vmc-hidden-step" : "vmc-chunk");
    if (!result.hidden) piece.dataset.index = result.index;
    for (const [stream, text] of result.parts) {
      piece.append(make("span", stream === Stream.OUT ? "vmc-stdout" : "vmc-stderr", text));
    }
    if (result.exc) {
      const exception = make("span", "vmc-exception", result.exc);
      exception.dataset.last = result.last;
      piece.append(make("span", "vmc-traceback", result.tb), exception);
    }
    if (result.hidden && !result.exc) return;
    if (result.hidden) piece.prepend(make("span", "vmc-note-line", "A hidden set-up step failed:\n"));
    openOutput(block).output.append(piece);
    if (result.picture) block.pictures.append(picture(result.picture));
  }

  // A diagram the value draws, under the text: an <img> of a data: URL, so no script in the
  // SVG can run and showing it asks the server for nothing. It scrolls sideways if too wide.
  function picture({ src, alt }) {
    const figure = make("figure", "vmc-picture");
    figure.tabIndex = 0; // a box that scrolls must be reachable by keyboard
    figure.setAttribute("aria-label", "Diagram of the value");
    const image = make("img");
    image.src = src;
    image.alt = alt;
    figure.append(image);
    return figure;
  }

  // The output box, made in the block's live region when a run first shows something.
  function openOutput(block) {
    if (!block.wrap) {
      block.wrap = make("div", "vmc-output");
      block.output = make("pre");
      block.pictures = make("div", "vmc-pictures");
      block.wrap.append(block.output, block.pictures);
      block.live.append(block.wrap);
    }
    return block;
  }

  function begin(block) {
    openOutput(block);
    block.output.replaceChildren();
    block.pictures.replaceChildren();
  }

  function say(block, text, className = "vmc-message") {
    openOutput(block).output.append(make("span", className, text));
  }

  // The line that shows Python's download, made under the bar on the first Run.
  function progressLine(block) {
    if (!block.progress) {
      block.progress = make("div", "vmc-progress");
      block.progress.hidden = true; // until Python's first bytes come
      block.progress.bar = make("progress");
      block.progress.label = make("span");
      block.progress.append(block.progress.bar, block.progress.label);
      block.live.before(block.progress);
    }
    return block.progress;
  }

  async function execute(block, runCode) {
    if (runCode) begin(block);
    block.element.dataset.runState = "running";
    const message = { type: Message.RUN, before: block.ran ? [] : block.before, mode: block.mode, chunks: [] };
    if (runCode) message.chunks = block.editor ? [block.editor.value] : block.chunks;
    if (block.mode === RunMode.CLI && block.editor) {
      message.chunks = block.editor.value.split("\n").filter((l) => l.trim())
        .map((l) => l.replace(/^\$?\s*(python3? -m )?vmconcepts\s*/, ""));
    }
    await send(message, (result) => show(block, result));
    block.ran = true;
    block.element.dataset.runState = "done";
    if (runCode && !block.output.textContent) say(block, "(no output)", "vmc-message vmc-empty");
  }

  async function run(index) {
    const current = page;
    const block = current.blocks[index];
    if (busy || block.never) return;
    busy = block;
    block.element.dataset.runState = "running";
    setBusy(true);
    try {
      if (!worker) {
        if (typeof WebAssembly !== "object") throw new Error("this browser has no WebAssembly");
        startWorker();
      }
      const progress = progressLine(block);
      onProgress = ({ loaded, total }) => {
        progress.hidden = false;
        progress.bar.max = total;
        progress.bar.value = loaded;
        progress.label.textContent = `Loading Python: ${megabytes(loaded)} of ${megabytes(total)} MB`;
      };
      try {
        await Promise.race([booted, new Promise((_, reject) => { cancel = reject; })]);
      } finally {
        progress.hidden = true;
        onProgress = null;
      }
      const start = Math.min(current.done, index);
      for (let i = start; i <= index; i++) {
        const earlier = current.blocks[i];
        await execute(earlier, i === index || !(earlier.skip || earlier.never));
        if (i >= current.done) current.done = i + 1;
      }
    } catch (error) {
      const stopped = error.message === "stopped";
      if (!stopped) fail(block, error);
      block.element.dataset.runState = stopped ? "stopped" : "failed";
    } finally {
      busy = null;
      cancel = null;
      setBusy(false);
    }
  }

  function fail(block, error) {
    const repo = document.querySelector("a.md-source")?.href;
    const install = repo ? `pip install git+${repo}` : "pip install vmconcepts";
    const local = block.mode === RunMode.CLI
      ? `${install}, then: vmconcepts ${block.chunks.join("; vmconcepts ")}`
      : `${install}, then start python and paste the code (the Copy button copies it without prompts).`;
    say(block, `Python could not start in this browser (${error.message}).\nRun it on your own machine instead: ${local}`, "vmc-message vmc-error");
  }

  function setBusy(on) {
    for (const block of page?.blocks || []) {
      block.runButton.setAttribute("aria-disabled", String(on || Boolean(block.never)));
      block.stopButton.setAttribute("aria-disabled", String(!(on && busy === block)));
    }
  }

  function edit(block) {
    if (!block.editor) {
      const editor = make("textarea", "vmc-editor");
      editor.value = block.mode === RunMode.CLI
        ? block.chunks.map((args) => `vmconcepts ${args}`).join("\n")
        : block.chunks.join("").replace(/\n$/, "");
      editor.rows = Math.max(2, editor.value.split("\n").length + 1);
      editor.spellcheck = false;
      editor.setAttribute("aria-label", "Code to run (Ctrl+Enter runs it)");
      editor.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          run(block.index);
        }
      });
      block.element.hidden = true;
      block.element.after(editor);
      block.editor = editor;
    }
    block.editor.focus();
  }

  function reset(block) {
    block.editor?.remove();
    block.editor = null;
    block.element.hidden = false;
    block.wrap?.remove();
    block.wrap = null;
  }

  // Each example's controls follow it in page order, so the n-th of each part is its own.
  function attach() {
    if (busy || (worker && jobs.size)) stop();
    const all = (selector) => [...document.querySelectorAll(`article ${selector}`)];
    const elements = all(`[${Attribute.RUN}]`);
    const [bars, lives] = [Part.BAR, Part.LIVE].map((part) => all(`.${part}`));
    if (bars.length !== elements.length || lives.length !== elements.length) {
      console.error("runner.js: examples and their controls do not pair up; no Run buttons");
      page = null;
      return;
    }
    const blocks = elements.map((element, index) => {
      const read = (name) => element.getAttribute(name);
      const block = {
        element, index, editor: null, ran: false, live: lives[index], progress: null, wrap: null,
        mode: read(Attribute.RUN),
        chunks: JSON.parse(read(Attribute.CODE)),
        before: JSON.parse(read(Attribute.BEFORE) || "[]"),
        skip: read(Attribute.SKIP), never: read(Attribute.NEVER),
      };
      const actions = {
        [Control.RUN]: () => run(index),
        [Control.EDIT]: () => edit(block),
        [Control.RESET]: () => reset(block),
        [Control.STOP]: () => busy === block && stop(),
      };
      for (const button of bars[index].querySelectorAll(`[${Attribute.CONTROL}]`)) {
        button.addEventListener("click", () => {
          if (button.getAttribute("aria-disabled") !== "true") actions[button.getAttribute(Attribute.CONTROL)]();
        });
      }
      block.runButton = bars[index].querySelector(`[${Attribute.CONTROL}="${Control.RUN}"]`);
      block.stopButton = bars[index].querySelector(`[${Attribute.CONTROL}="${Control.STOP}"]`);
      return block;
    });
    // The build wrote the controls as they are when nothing runs: no change to make here.
    page = { blocks, done: 0 };
    if (worker) send({ type: Message.RESET }).catch(() => {});
  }

  if (window.document$) window.document$.subscribe(attach);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", attach);
  else attach();
})();
