// What this site's pages do differently from the theme's own script. Loaded before the
// theme's bundle, as a file (minified and cached) rather than inline in every page.
// overrides/main.html says where; the README's speed section says why each part is here.

// 1. The search index is the largest file a first visit would download (it holds the text
// of every page), and the theme fetches it, and starts the worker that searches it, on
// every page load. Hold both back until the reader opens search, or arrives with a search
// term in the address (?q= or ?h=). Until then the theme talks to a stand-in worker that
// keeps its messages for the real one. For both builders' themes: MkDocs' (a search field,
// search/search_index.json) and Zensical's (a button, search.json; its worker starts once
// the index has come, so is never held). Must run before the theme's bundle.
(() => {
  let release;
  let released = false;
  const wanted = new Promise((resolve) => { release = resolve; });
  wanted.then(() => { released = true; });
  const { open, send } = XMLHttpRequest.prototype;
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    this.isSearchIndex = /\/search(\/search_index)?\.json$/.test(url);
    return open.call(this, method, url, ...rest);
  };
  XMLHttpRequest.prototype.send = function (...body) {
    if (!this.isSearchIndex) return send.apply(this, body);
    wanted.then(() => send.apply(this, body));
  };
  const RealWorker = window.Worker;
  window.Worker = function (url, options) {
    if (released || !String(url).includes("/workers/search.")) return new RealWorker(url, options);
    const standIn = new EventTarget();
    const waiting = [];
    let worker = null;
    standIn.postMessage = (message) => (worker ? worker.postMessage(message) : waiting.push(message));
    wanted.then(() => {
      worker = new RealWorker(url, options);
      worker.onmessage = ({ data }) => standIn.dispatchEvent(new MessageEvent("message", { data }));
      waiting.splice(0).forEach((message) => worker.postMessage(message));
    });
    return standIn;
  };
  // Opening search, in either theme: a click, focus or key in the search
  // component or on a label for its toggle (the phone's search icon), or a
  // change of that toggle; its shortcut keys f, s and / outside a field, which
  // focus MkDocs' field or click Zensical's button. No other key releases it.
  const opener = "[data-md-component=search], label[for=__search]";
  for (const type of ["click", "focusin", "keydown"]) {
    document.addEventListener(type, ({ target }) => target.closest?.(opener) && release(), true);
  }
  document.addEventListener("change", ({ target }) => target.id === "__search" && release());
  document.addEventListener("keydown", (event) => {
    const { key, target, ctrlKey, metaKey, altKey } = event;
    const typing = target.closest?.("input, textarea, select, [contenteditable]");
    if (!ctrlKey && !metaKey && !altKey && !typing && ["f", "s", "/"].includes(key)) release();
    // Zensical's Ctrl/Cmd+K is heard by its dialog, which is drawn only once
    // the index has come: until then, do what its / does (MkDocs has no button).
    const button = document.querySelector("[data-md-component=search] > button");
    if ((ctrlKey || metaKey) && key === "k" && button && !released) {
      event.preventDefault();
      button.click();
    }
  }, true);
  const params = new URLSearchParams(location.search);
  if (params.has("q") || params.has("h")) release();
})();

// 2. Accessibility fixes to parts the theme's script makes (axe-core checks each one in
// tests/browser/test_accessibility.py):
// - It wraps each code block's copy button in an unnamed <nav>, so a page with two code
//   blocks has landmarks no one can tell apart (landmark-unique): role none says they are
//   no landmark.
// - Its annotation markers are links whose number is drawn by CSS, with no text to be read
//   (link-name): each gets a label.
// - Scroll boxes must take keyboard focus (scrollable-region-focusable). With content.lazy
//   the theme makes a wide code block focusable only when the block first scrolls into
//   view, so a keyboard could pass one it has not yet seen: until then each block is
//   focusable; once mounted (its <pre> gets an id), the theme keeps focus only where the
//   code scrolls. And the theme's box around a wide table scrolls sideways on a phone,
//   with nothing focusable in it: it takes focus while it overflows.
{
  const tableBoxes = new ResizeObserver((entries) => {
    const wide = entries.map(({ target }) => [target, target.scrollWidth > target.clientWidth]);
    for (const [box, overflows] of wide) {
      if (overflows) box.tabIndex = 0;
      else box.removeAttribute("tabindex");
    }
  });
  const fixThemeParts = () => {
    for (const nav of document.querySelectorAll("nav.md-code__nav:not([role])")) {
      nav.setAttribute("role", "none");
    }
    for (const link of document.querySelectorAll("a.md-annotation__index:not([aria-label])")) {
      const number = link.querySelector("[data-md-annotation-id]")?.dataset.mdAnnotationId;
      link.setAttribute("aria-label", `Annotation ${number ?? ""}`.trim());
    }
    for (const code of document.querySelectorAll(".highlight > pre:not([id]) > code:not([tabindex])")) {
      code.tabIndex = 0;
    }
    for (const box of document.querySelectorAll(".md-typeset__scrollwrap:not([data-vmc-watched])")) {
      box.dataset.vmcWatched = "";
      tableBoxes.observe(box);
    }
  };
  fixThemeParts();
  new MutationObserver(fixThemeParts).observe(document.body, { childList: true, subtree: true });
}

// 3. The light/dark switch: what the theme's components/palette does, except for one
// thing. When the theme's starts, it applies the saved palette again, marking the page as
// switching (so that no colour animates) and unmarking it a moment later; each mark
// restyles every element (on /reference/cloud/ on a phone, 770 ms of style work, 500 ms
// without the mark; README). The header's script has already applied the saved palette
// before the first paint, so this marks the page only when the colours change: when the
// reader switches, or the system's preference changes while the palette follows it.
// The header block of overrides/main.html renames the switch's form so that the theme
// does not mount its own. tests/browser/test_palette.py checks both.
(() => {
  const form = document.querySelector("form[data-vmc-palette]");
  if (!form) return;
  const inputs = [...form.querySelectorAll("input")];
  const systemLight = matchMedia("(prefers-color-scheme: light)");
  const themeColor = document.head.appendChild(Object.assign(document.createElement("meta"), { name: "theme-color" }));
  const colorScheme = document.querySelector("meta[name=color-scheme]");
  const saved = __md_get("__palette");
  let index = saved ? saved.index
    : inputs.findIndex((input) => matchMedia(input.dataset.mdColorMedia).matches);
  index = Math.max(0, Math.min(index, inputs.length - 1));

  const apply = () => {
    const { mdColorMedia: media } = inputs[index].dataset;
    // Following the system: the colours of the option for its preference now.
    const source = media !== "(prefers-color-scheme)" ? inputs[index] : form.querySelector(
      `[data-md-color-media="(prefers-color-scheme: ${systemLight.matches ? "light" : "dark"})"]`);
    const { mdColorScheme: scheme, mdColorPrimary: primary, mdColorAccent: accent } = source.dataset;
    const colours = { scheme, primary, accent };
    const body = document.body;
    const changed = Object.entries(colours)
      .filter(([key, value]) => body.getAttribute(`data-md-color-${key}`) !== value);
    if (changed.length > 0) {
      body.setAttribute("data-md-color-switching", "");
      for (const [key, value] of changed) body.setAttribute(`data-md-color-${key}`, value);
      setTimeout(() => body.removeAttribute("data-md-color-switching"));
    }
    if (body.getAttribute("data-md-color-media") !== media) body.setAttribute("data-md-color-media", media);
    // Each option's label is the button that moves on to the next: show the chosen one's.
    // (Only changes are written: even writing the same value makes a style pass.)
    inputs.forEach((input, each) => {
      const label = input.nextElementSibling;
      if (label instanceof HTMLLabelElement && label.hidden !== (each !== index)) label.hidden = each !== index;
    });
    __md_set("__palette", { index, color: { media, ...colours } });
    if (changed.length > 0) describeColours();
  };
  // The browser's own colours (scroll bars, a phone's address bar) follow the header's.
  const describeColours = () => {
    const header = getComputedStyle(document.querySelector("[data-md-component=header]"));
    // A change of color-scheme restyles every element: write it only when it differs.
    if (colorScheme.content !== header.colorScheme) colorScheme.content = header.colorScheme;
    themeColor.content = "#" + header.backgroundColor.match(/\d+/g).slice(0, 3)
      .map((value) => Number(value).toString(16).padStart(2, "0")).join("");
  };

  form.addEventListener("change", ({ target }) => {
    index = inputs.indexOf(target);
    apply();
  });
  // As in the theme: Enter moves on to the next option (the radios' own keys work too).
  form.addEventListener("keydown", ({ key }) => {
    if (key !== "Enter") return;
    const next = inputs[(index + 1) % inputs.length];
    next.click();
    next.focus();
  });
  systemLight.addEventListener("change", apply);
  apply();
  // Read when the page is idle: reading a style earlier makes the browser work out
  // every element's style at once, only to do it again when the theme starts.
  (window.requestIdleCallback ?? setTimeout)(describeColours);
})();
