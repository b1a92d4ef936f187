/* aimsdoc search. Pages read fine without this script; it only adds the search box.
 *
 * The index (search-index.js, written by `aimsdoc build`) assigns window.AIMSDOC_SEARCH and
 * is loaded with a <script> element on first use, so search works from file:// (where
 * fetch() of a JSON file is refused) and under any sub-path (every URL is relative).
 * Entries: [url, kind, id, title, type, status, headings, text].
 * The scorer mirrors src/render/search.rs (`score`), which has the unit tests.
 */
(function () {
  "use strict";
  var URL = 0, KIND = 1, ID = 2, TITLE = 3, TYPE = 4, STATUS = 5, HEADINGS = 6, TEXT = 7;
  var prepared = null;
  var waiting = [];
  var loading = false;

  /* Lowercased copies of the fields, once per page view. */
  function prepare(entries) {
    return entries.map(function (e) {
      return { e: e, id: e[ID].toLowerCase(), title: e[TITLE].toLowerCase(),
        head: e[HEADINGS].toLowerCase(), text: e[TEXT].toLowerCase() };
    });
  }

  function loadIndex(root, done) {
    if (prepared) { done(prepared); return; }
    waiting.push(done);
    if (loading) return;
    loading = true;
    var ready = function () {
      var data = window.AIMSDOC_SEARCH;
      if (!data || !data.entries) { loading = false; return; }
      prepared = prepare(data.entries);
      var w = waiting; waiting = [];
      w.forEach(function (f) { f(prepared); });
    };
    if (window.AIMSDOC_SEARCH) { ready(); return; }
    var s = document.createElement("script");
    s.src = root + "search-index.js";
    s.onload = ready;
    s.onerror = function () { loading = false; };
    document.head.appendChild(s);
  }

  function normId(q) {
    var dotted = q.replace(/-/g, ".");
    return /^(a|\d+)(\.(a|\d+))*$/.test(dotted) ? dotted : q;
  }

  function count(hay, needle, max) {
    var n = 0, i = hay.indexOf(needle);
    while (i !== -1 && n < max) { n++; i = hay.indexOf(needle, i + needle.length); }
    return n;
  }

  /* Same rules and weights as `score` in src/render/search.rs. */
  function score(p, q, qid, terms) {
    if (p.id && (p.id === q || p.id === qid)) return 10000;
    var s = 0;
    if (p.id && p.id.indexOf(qid) === 0) s += 5000 - Math.min(p.id.length, 100) * 10;
    if (p.title.indexOf(q) !== -1) s += 300;
    if (p.head.indexOf(q) !== -1) s += 120;
    if (p.text.indexOf(q) !== -1) s += 60;
    for (var i = 0; i < terms.length; i++) {
      var t = terms[i], hit = false;
      if (p.id.indexOf(t) !== -1) { s += 50; hit = true; }
      if (p.title.indexOf(t) !== -1) { s += 40; hit = true; }
      if (p.head.indexOf(t) !== -1) { s += 15; hit = true; }
      var n = count(p.text, t, 5);
      if (n > 0) { s += 4 + n; hit = true; }
      if (!hit) return -1;
    }
    return s;
  }

  function search(index, raw, limit) {
    var q = raw.trim().toLowerCase();
    if (!q) return { hits: [], total: 0 };
    var qid = normId(q), terms = q.split(/\s+/), hits = [];
    for (var i = 0; i < index.length; i++) {
      var s = score(index[i], q, qid, terms);
      if (s >= 0) hits.push([s, i]);
    }
    hits.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
    return { hits: hits.slice(0, limit).map(function (h) { return index[h[1]]; }), total: hits.length,
      q: q, terms: terms };
  }

  /* A stretch of text around the first match, as DOM nodes with <mark> around matches. */
  function snippet(p, res) {
    var source = p.e[TEXT], lower = p.text, at = lower.indexOf(res.q);
    for (var i = 0; at === -1 && i < res.terms.length; i++) at = lower.indexOf(res.terms[i]);
    if (at === -1) {
      var lines = p.e[HEADINGS].split("\n");
      for (var j = 0; j < lines.length; j++) {
        if (lines[j].toLowerCase().indexOf(res.terms[0]) !== -1) { source = lines[j]; at = 0; break; }
      }
      if (at === -1) at = 0;
    }
    var start = Math.max(0, at - 60), end = Math.min(source.length, at + 120);
    if (start > 0) { var sp = source.indexOf(" ", start); if (sp !== -1 && sp < at) start = sp + 1; }
    var piece = (start > 0 ? "… " : "") + source.slice(start, end) + (end < source.length ? " …" : "");
    var frag = document.createDocumentFragment(), low = piece.toLowerCase(), pos = 0;
    var needles = [res.q].concat(res.terms).filter(function (t) { return t.length > 1 || res.terms.length === 1; });
    while (pos < piece.length) {
      var best = -1, len = 0;
      needles.forEach(function (t) {
        var k = low.indexOf(t, pos);
        if (k !== -1 && (best === -1 || k < best || (k === best && t.length > len))) { best = k; len = t.length; }
      });
      if (best === -1 || len === 0) { frag.appendChild(document.createTextNode(piece.slice(pos))); break; }
      if (best > pos) frag.appendChild(document.createTextNode(piece.slice(pos, best)));
      var m = document.createElement("mark");
      m.textContent = piece.slice(best, best + len);
      frag.appendChild(m);
      pos = best + len;
    }
    return frag;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  function badgeClass(e) {
    var st = e[STATUS].replace(/\s+/g, "-");
    return e[KIND] === "document" ? "badge status-" + st : "state state-" + st;
  }

  function setup(form) {
    var root = form.getAttribute("data-root") || "";
    var isPage = form.hasAttribute("data-page");
    var input = form.querySelector(".search-input");
    var panel = form.querySelector(".search-panel");
    var status = form.querySelector(".search-status");
    var list = form.querySelector(".search-results");
    if (!input || !panel || !list || !status) return;
    var limit = isPage ? 50 : 8;
    var timer = null;

    function show(open) { if (!isPage) panel.hidden = !open; }

    function run() {
      var raw = input.value;
      if (!raw.trim()) { list.textContent = ""; status.textContent = ""; show(false); return; }
      loadIndex(root, function (index) {
        if (input.value !== raw) return;
        var res = search(index, raw, limit);
        list.textContent = "";
        res.hits.forEach(function (p) {
          var e = p.e, li = el("li", "search-result"), a = el("a");
          a.href = root + e[URL];
          var head = el("span", "result-head");
          head.appendChild(el("span", "result-type", e[TYPE]));
          if (e[ID]) head.appendChild(el("span", "result-id", e[ID]));
          head.appendChild(el("span", "result-title", e[TITLE]));
          if (e[STATUS]) head.appendChild(el("span", badgeClass(e), e[STATUS]));
          a.appendChild(head);
          var snip = el("span", "result-snippet");
          snip.appendChild(snippet(p, res));
          a.appendChild(snip);
          li.appendChild(a);
          list.appendChild(li);
        });
        var shown = res.hits.length;
        status.textContent = res.total === 0 ? "No results for “" + raw.trim() + "”."
          : res.total + (res.total === 1 ? " result" : " results") +
            (res.total > shown ? ", showing the best " + shown : "") +
            (isPage ? "." : ". Arrow keys move through them; Enter opens one; Enter in the box shows all.");
        show(true);
      });
    }

    input.addEventListener("focus", function () { loadIndex(root, function () {}); if (input.value.trim() && !isPage) run(); });
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 60); });

    function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }

    form.addEventListener("keydown", function (ev) {
      var ls = links(), i = ls.indexOf(document.activeElement);
      if (ev.key === "ArrowDown") {
        if (ls.length) { ev.preventDefault(); ls[Math.min(i + 1, ls.length - 1)].focus(); }
      } else if (ev.key === "ArrowUp") {
        if (i > 0) { ev.preventDefault(); ls[i - 1].focus(); }
        else if (i === 0) { ev.preventDefault(); input.focus(); }
      } else if (ev.key === "Escape") {
        if (!isPage && !panel.hidden) { ev.preventDefault(); show(false); input.focus(); }
      }
    });
    form.addEventListener("focusout", function (ev) {
      if (!isPage && !form.contains(ev.relatedTarget)) show(false);
    });

    if (isPage) {
      var params = new URLSearchParams(window.location.search);
      var q = params.get("q");
      if (q) { input.value = q; run(); }
    }
  }

  function init() {
    var forms = document.querySelectorAll("form.search");
    Array.prototype.forEach.call(forms, setup);
    document.addEventListener("keydown", function (ev) {
      if (ev.key !== "/" || ev.ctrlKey || ev.metaKey || ev.altKey) return;
      var t = ev.target, tag = t && t.tagName;
      if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (t && t.isContentEditable)) return;
      var box = document.querySelector(".search-page .search-input") || document.querySelector(".search-input");
      if (box) { ev.preventDefault(); box.focus(); }
    });
  }

  window.AimsdocSearch = { search: search, prepare: prepare };
  if (typeof document === "undefined") return; // loaded by the ranking test under Node
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
