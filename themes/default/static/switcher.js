// The version switcher of a versioned manual. Each page names its own version and path
// (data-aims-version, data-aims-page on nav.version-bar); the site's versions.js (one file at
// the site root, loaded before this one) lists every version and which pages it has. This
// fills the switcher's list so that choosing a version keeps the reader on the same page when
// that version has it, and goes to its home page otherwise. Without JavaScript, or without
// versions.js, the list keeps its one link: all versions.
(function () {
  "use strict";
  var data = window.aimsdocVersions;
  if (!data || !data.versions) return;

  function has(v, page) {
    var i = data.index[page];
    if (i === undefined) return false;
    return v.missing.indexOf(i) < 0;
  }
  function href(site, v, page) {
    var target = has(v, page) ? page : "index.html";
    return site + (v.path + target).split("/").map(encodeURIComponent).join("/");
  }

  data.index = {};
  data.pages.forEach(function (p, i) {
    data.index[p] = i;
  });

  document.querySelectorAll("nav.version-bar").forEach(function (bar) {
    var page = bar.getAttribute("data-aims-page") || "index.html";
    var mine = bar.getAttribute("data-aims-version") || "";
    var site = bar.getAttribute("data-aims-site") || "";
    var list = bar.querySelector(".version-list");
    if (!list) return;
    var all = list.querySelector(".version-all");
    data.versions.forEach(function (v) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = href(site, v, page);
      a.textContent = v.label;
      if (v.path === mine) a.setAttribute("aria-current", "true");
      li.appendChild(a);
      if (v.date) {
        var d = document.createElement("span");
        d.className = "version-date";
        d.textContent = v.date;
        li.appendChild(document.createTextNode(" "));
        li.appendChild(d);
      }
      if (v.current) {
        var b = document.createElement("span");
        b.className = "badge";
        b.textContent = "current";
        li.appendChild(document.createTextNode(" "));
        li.appendChild(b);
      }
      list.insertBefore(li, all);
    });
  });
})();
