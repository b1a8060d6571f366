/* The view's behaviour: select a story (its fragments on every page), follow jumps, go to a
   diagnostic's line, keyboard navigation, search, overlay opacity and zoom. Everything it
   shows comes from the page itself and the JSON island #view:data; nothing is fetched. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("view:data").textContent);
  var stories = {};
  data.stories.forEach(function (story) { stories[story.id] = story; });
  var root = document.documentElement;
  var body = document.body;
  var fragments = Array.prototype.slice.call(document.querySelectorAll("[data-article]"));
  var pages = Array.prototype.slice.call(document.querySelectorAll("section.page"));
  var lines = Array.prototype.slice.call(document.querySelectorAll(".line"));
  var card = document.getElementById("view:story");
  var hint = card.innerHTML === "" ? null : card.firstElementChild;
  var current = null;
  var index = -1;

  function byId(id) { return document.getElementById(id); }

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text !== null && text !== undefined) { node.textContent = text; }
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    return node;
  }

  function fact(list, name, value) {
    if (!value) { return; }
    list.appendChild(el("dt", name));
    list.appendChild(el("dd", value));
  }

  function showCard(story) {
    var box = el("div", null, { "class": "story-card" });
    var fragment = byId(story.fragments[0].id);
    var colour = fragment ? Array.prototype.filter.call(fragment.classList, function (c) { return /^c\d$/.test(c); })[0] : "";
    var title = el("h3", story.title, colour ? { "class": colour } : {});
    box.appendChild(title);
    var facts = el("dl");
    fact(facts, "authors", story.authors.map(function (a) { return a.name + " (" + a.role + ")"; }).join(", "));
    fact(facts, "date", story.date);
    fact(facts, "dateline", story.datelines.join(", "));
    fact(facts, story.pages.length > 1 ? "pages" : "page", story.pages.join(", "));
    fact(facts, "id", story.id);
    box.appendChild(facts);
    var list = el("ol", null, { "class": "fragments" });
    story.fragments.forEach(function (f) {
      var item = el("li");
      var link = el("a", "page " + f.page + ": " + f.id, { href: "#" + f.id, "data-target": f.id, "class": "goto-fragment" });
      item.appendChild(link);
      list.appendChild(item);
    });
    box.appendChild(el("h4", story.fragments.length > 1 ? "Fragments" : "Fragment"));
    box.appendChild(list);
    card.replaceChildren(box);
  }

  function select(storyId, fragmentId) {
    Array.prototype.forEach.call(document.querySelectorAll(".selected"), function (node) {
      node.classList.remove("selected");
    });
    current = storyId && stories[storyId] ? storyId : null;
    body.classList.toggle("has-selection", current !== null);
    if (current === null) {
      card.replaceChildren.apply(card, hint ? [hint] : []);
      index = -1;
      return;
    }
    Array.prototype.forEach.call(document.querySelectorAll('[data-story="' + CSS.escape(current) + '"]'), function (node) {
      node.classList.add("selected");
    });
    var id = fragmentId || stories[current].fragments[0].id;
    index = fragments.findIndex(function (f) { return f.id === id; });
    showCard(stories[current]);
  }

  function reveal(node) {
    var target = node.classList.contains("line") ? node : (node.querySelector(".line") || node);
    target.scrollIntoView({ block: "center", inline: "nearest" });
  }

  function flash(line) {
    line.classList.remove("flash");
    void line.offsetWidth;  /* restart the animation */
    line.classList.add("flash");
  }

  function goFragment(id) {
    var fragment = byId(id);
    if (!fragment || !fragment.dataset.story) { return; }
    select(fragment.dataset.story, id);
    reveal(fragment);
  }

  function goLine(key, page) {
    var line = key ? document.querySelector('[data-line="' + CSS.escape(key) + '"]') : null;
    if (!line) {
      var section = page ? byId("page:" + page) : null;
      if (section) { section.scrollIntoView({ block: "start" }); }
      return;
    }
    var owner = line.closest("[data-article]");
    if (owner) { select(owner.dataset.story, owner.id); } else { select(null); }
    reveal(line);
    flash(line);
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    var link = target.closest("a[data-target]");
    if (link) {
      event.preventDefault();
      goFragment(link.getAttribute("data-target"));
      return;
    }
    var finding = target.closest(".finding");
    if (finding) {
      goLine(finding.getAttribute("data-goto"), finding.getAttribute("data-goto-page"));
      return;
    }
    if (target.closest("aside, header")) { return; }
    var story = target.closest("[data-article]");
    if (story) {
      select(story.dataset.story, story.id);
    } else if (target.closest("section.page")) {
      select(null);
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.target.closest && event.target.closest("input, textarea, select")) {
      if (event.key === "Escape") { event.target.blur(); }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var finding = event.target.closest && event.target.closest(".finding");
    if (finding && event.key === "Enter") {
      goLine(finding.getAttribute("data-goto"), finding.getAttribute("data-goto-page"));
      return;
    }
    switch (event.key) {
      case "j": case "n": step(1); break;
      case "k": case "p": step(-1); break;
      case "]": turn(1); break;
      case "[": turn(-1); break;
      case "/": event.preventDefault(); search.focus(); search.select(); return;
      case "Escape": select(null); clearSearch(); return;
      default: return;
    }
    event.preventDefault();
  });

  /* The next (previous) story in reading order: the next fragment of another story. */
  function step(direction) {
    if (!fragments.length) { return; }
    var i = index;
    for (var tries = 0; tries < fragments.length; tries++) {
      i = i < 0 ? (direction > 0 ? 0 : fragments.length - 1) : (i + direction + fragments.length) % fragments.length;
      if (fragments[i].dataset.story !== current) { break; }
    }
    select(fragments[i].dataset.story, fragments[i].id);
    reveal(fragments[i]);
  }

  function pageNow() {
    var now = 0;
    pages.forEach(function (page, i) {
      if (page.getBoundingClientRect().top <= window.innerHeight / 3) { now = i; }
    });
    return now;
  }

  function turn(direction) {
    if (!pages.length) { return; }
    var i = Math.max(0, Math.min(pages.length - 1, pageNow() + direction));
    pages[i].scrollIntoView({ block: "start" });
    mark(i);
  }

  var links = Array.prototype.slice.call(document.querySelectorAll("[data-page-link]"));
  function mark(i) {
    links.forEach(function (link, j) { link.classList.toggle("current", i === j); });
  }
  var ticking = false;
  window.addEventListener("scroll", function () {
    if (ticking) { return; }
    ticking = true;
    window.requestAnimationFrame(function () { ticking = false; mark(pageNow()); });
  }, { passive: true });

  /* Search over the lines' text, case-insensitive; Enter goes to the next hit. */
  var search = byId("view:search");
  var hits = byId("view:hits");
  var texts = null;
  var found = [];
  var at = -1;
  var timer = null;
  function runSearch() {
    var query = search.value.trim().toLowerCase();
    if (texts === null) { texts = lines.map(function (line) { return line.textContent.toLowerCase(); }); }
    found.forEach(function (line) { line.classList.remove("hit"); });
    found = [];
    at = -1;
    if (query) {
      lines.forEach(function (line, i) {
        if (texts[i].indexOf(query) >= 0) { line.classList.add("hit"); found.push(line); }
      });
    }
    body.classList.toggle("searching", query !== "");
    hits.textContent = query ? found.length + (found.length === 1 ? " line" : " lines") : "";
  }
  function clearSearch() { search.value = ""; runSearch(); }
  search.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(runSearch, 120);
  });
  search.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") { return; }
    window.clearTimeout(timer);
    if (texts === null || !found.length) { runSearch(); }
    if (!found.length) { return; }
    at = (at + (event.shiftKey ? -1 : 1) + found.length) % found.length;
    reveal(found[at]);
    flash(found[at]);
    hits.textContent = (at + 1) + " / " + found.length;
  });

  function slider(id, property) {
    var input = byId(id);
    if (!input) { return; }
    var apply = function () { root.style.setProperty(property, String(input.value / 100)); };
    input.addEventListener("input", apply);
    apply();
  }
  /* The panel and anchors stand below the bar, however many rows it wraps into. */
  var bar = document.querySelector("header.bar");
  function fitBar() { root.style.setProperty("--bar", bar.offsetHeight + "px"); }
  window.addEventListener("resize", fitBar);
  fitBar();
  slider("view:opacity", "--overlay");
  slider("view:zoom", "--zoom");
  mark(0);
  body.setAttribute("data-ready", "true");
  /* When the first frame with the pages is drawn (after the next animation frame), for the
     benchmark: milliseconds since the navigation began. */
  window.requestAnimationFrame(function () {
    window.setTimeout(function () { body.setAttribute("data-shown-at", String(performance.now())); }, 0);
  });
}());
