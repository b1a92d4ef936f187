(function () {
  "use strict";
  var key = "aimsdoc-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    var y = +saved;
    var restore = function () { window.scrollTo(0, y); };
    restore();
    addEventListener("load", restore);
  }
  var path = location.pathname;
  try { path = decodeURIComponent(path); } catch (e) {}
  path = path.replace(/^\/+/, "");
  if (path === "" || path.slice(-1) === "/") path += "index.html";
  function overlay(errors) {
    var box = document.getElementById("aimsdoc-overlay");
    if (!errors || !errors.length) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "aimsdoc-overlay";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;left:1rem;right:1rem;bottom:1rem;max-height:45vh;overflow:auto;" +
        "z-index:2147483647;background:#fff5f5;color:#5c0011;border:2px solid #c62828;border-radius:6px;" +
        "padding:.75rem 1rem;font:14px/1.4 ui-monospace,monospace;box-shadow:0 4px 24px rgba(0,0,0,.3)";
      document.body.appendChild(box);
    }
    box.textContent = "";
    var h = document.createElement("strong");
    h.textContent = errors.length + (errors.length === 1 ? " error" : " errors") +
      " \u2014 this is the last good version of the page; fix the source and it updates by itself";
    box.appendChild(h);
    var ul = document.createElement("ul");
    ul.style.cssText = "margin:.5rem 0 0;padding-left:1.2rem";
    errors.forEach(function (e) {
      var li = document.createElement("li");
      li.textContent = e.file + (e.line ? ":" + e.line + ":" + e.column : "") + " " + e.code + " " +
        e.message + (e.suggestion ? " (" + e.suggestion + ")" : "");
      ul.appendChild(li);
    });
    box.appendChild(ul);
  }
  var es = new EventSource("/__aimsdoc/events");
  es.onmessage = function (m) {
    var ev;
    try { ev = JSON.parse(m.data); } catch (e) { return; }
    overlay(ev.errors);
    var changed = ev.changed || [];
    // A stylesheet or script reloads every page, except the search index, which every body
    // edit changes and only the search page shows.
    var mine = changed.some(function (p) {
      if (p === "search-index.js") return path === "search.html";
      return p === path || /\.(css|js)$/.test(p);
    });
    if (mine) {
      sessionStorage.setItem(key, String(window.scrollY));
      location.reload();
    }
  };
})();
