// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  function counters(root) {
    root.querySelectorAll("textarea[maxlength][data-counter]").forEach(function (area) {
      if (area.dataset.counted) return;
      area.dataset.counted = "1";
      var out = document.getElementById(area.dataset.counter);
      if (!out) return;
      var max = parseInt(area.getAttribute("maxlength"), 10);
      function update() {
        var left = max - area.value.length;
        out.textContent = left === 1 ? "1 character left" : left + " characters left";
        out.classList.toggle("counter--over", left < 0);
      }
      area.addEventListener("input", update);
      update();
    });
  }
  // Gatherings show times in the host's zone; add the reader's own when it differs.
  function localTimes(root) {
    var zone;
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
    if (!zone) return;
    root.querySelectorAll("time[data-gathering-start]").forEach(function (el) {
      if (el.dataset.localised || el.dataset.tz === zone) return;
      el.dataset.localised = "1";
      var start = new Date(el.getAttribute("datetime")), end = new Date(el.dataset.end);
      if (isNaN(start) || isNaN(end)) return;
      var day = { weekday: "short", day: "numeric", month: "short" };
      var hm = { hour: "2-digit", minute: "2-digit", timeZoneName: "short" };
      var text = start.toLocaleDateString(undefined, day) + ", " +
        start.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" }) + "\u2013" +
        (start.toDateString() === end.toDateString() ? "" : end.toLocaleDateString(undefined, day) + " ") +
        end.toLocaleTimeString(undefined, hm);
      var out = document.createElement("span");
      out.className = "muted small";
      out.textContent = " \u00b7 your time: " + text;
      el.after(out);
    });
    root.querySelectorAll("form[data-guess-tz] select[name=tz]").forEach(function (select) {
      if (select.querySelector('option[value="' + zone + '"]')) select.value = zone;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    counters(document);
    localTimes(document);
    // On a phone the settings tabs scroll sideways: keep the current one in view.
    var current = document.querySelector(".tabs [aria-current]");
    var list = current && current.closest(".tabs");
    if (list && list.scrollWidth > list.clientWidth) {
      var offset = current.getBoundingClientRect().left - list.getBoundingClientRect().left;
      list.scrollLeft += offset - list.clientWidth / 2 + current.offsetWidth / 2;
    }
  });
  // Live updates (docs/live.md): one EventSource to /live while a page is open.
  // New messages appear in an open conversation, badges count up, and /home
  // offers "New posts — show". Without JavaScript the same things appear on reload.
  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; }
    catch (e) { return ""; }
  }
  function setBadge(link, n, label) {
    if (!link) return;
    var badge = link.querySelector(".badge");
    if (!n) { if (badge) badge.remove(); return; }
    if (!badge) {
      badge = document.createElement("span");
      badge.className = "badge";
      link.append(" ", badge);
    }
    badge.textContent = n > 99 ? "99+" : String(n);
    badge.setAttribute("aria-label", (n > 99 ? "more than 99" : n) + " " + label);
  }
  function badgeCount(link) {
    var badge = link && link.querySelector(".badge");
    var n = badge ? parseInt(badge.textContent, 10) : 0;
    return isNaN(n) ? 0 : n;
  }
  function onMessage(data) {
    var list = document.getElementById("dm-list");
    if (list && list.dataset.conversation === data.conversation) {
      if (document.getElementById("m" + data.message)) return;
      var holder = document.createElement("template");
      holder.innerHTML = data.html.trim();
      var item = holder.content.firstElementChild;
      if (!item) return;
      if (data.sender === list.dataset.me) item.classList.add("dm--mine");
      var empty = list.querySelector(".dm-empty");
      if (empty) empty.remove();
      list.append(item);
      if (!data.mine && list.dataset.readUrl) {
        var body = new FormData();
        body.append("up_to", data.message);
        body.append("js", "1");
        fetch(list.dataset.readUrl, { method: "POST", body: body, credentials: "same-origin",
          headers: { "X-CSRFToken": csrfToken() } });
      }
      return;
    }
    if (data.mine || data.muted || data.request) return;
    var link = document.getElementById("nav-messages");
    setBadge(link, badgeCount(link) + 1, "unread");
  }
  function onFeed() {
    var main = document.getElementById("main");
    if (!main || (window.location.pathname !== "/home" && !document.querySelector("[aria-label='Home feed']")) ||
        document.getElementById("new-posts")) return;
    var bar = document.createElement("p");
    bar.id = "new-posts";
    bar.className = "notice new-posts";
    bar.setAttribute("role", "status");
    var link = document.createElement("a");
    link.href = window.location.pathname;
    link.textContent = "show";
    bar.append("New posts \u2014 ", link);
    main.prepend(bar);
  }
  // Quiet hours ended or a summary came (docs/wellbeing.md): the notifications
  // page's "waiting" notice says so and links to the list as it is now.
  function onReleased(reason) {
    var note = document.querySelector(".held-note");
    if (!note) return;
    var words = { daily: "Your daily summary has arrived.", weekly: "Your weekly summary has arrived." };
    var link = document.createElement("a");
    link.href = window.location.pathname;
    link.textContent = "Show them";
    note.textContent = (words[reason] || "Your quiet hours have ended: what waited has arrived.") + " ";
    note.append(link);
  }
  function live() {
    var nav = document.getElementById("nav-messages");
    var url = nav && nav.dataset.liveUrl;
    if (!url || !window.EventSource) return;
    var source = new EventSource(url, { withCredentials: true });
    function parse(e) { try { return JSON.parse(e.data); } catch (err) { return null; } }
    source.addEventListener("message", function (e) { var d = parse(e); if (d) onMessage(d); });
    source.addEventListener("notification", function (e) {
      var d = parse(e);
      if (!d) return;
      setBadge(document.querySelector(".site-nav a[href$='/notifications']"), d.unread, "unread");
      if (d.released) onReleased(d.released);
    });
    source.addEventListener("feed", function () { onFeed(); });
    document.documentElement.dataset.live = "on";
    source.addEventListener("open", function () { document.documentElement.dataset.live = "open"; });
  }
  document.addEventListener("DOMContentLoaded", live);
  document.addEventListener("htmx:afterSwap", function (e) { counters(e.target); localTimes(e.target); });
})();

/* Wellbeing (hearth/wellbeing, docs/wellbeing.md): a heartbeat every 60 s
   while the tab is visible and was touched lately, so reading a long thread
   counts; it carries only the page's path, never what was typed. The answer
   may ask for a break banner or a reload into the budget pause. The settings
   form's time zone starts from the browser's when none was chosen. */
(function () {
  "use strict";
  var touched = false;
  function token() {
    var m = document.cookie.match(/(?:^|; )csrftoken=([^;]*)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  function banner(text) {
    var main = document.getElementById("main");
    if (!main || !text || document.getElementById("wb-break")) return;
    var p = document.createElement("p");
    p.id = "wb-break";
    p.className = "notice wb-break";
    p.setAttribute("role", "status");
    p.textContent = text;
    main.prepend(p);
  }
  function beat() {
    if (document.visibilityState !== "visible" || !touched) return;
    touched = false;
    var body = new URLSearchParams({ path: window.location.pathname });
    fetch("/wellbeing/heartbeat", { method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": token() } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) {
        if (!d) return;
        banner(d["break"]);
        if (d.pause) window.location.reload();
      })
      .catch(function () {});
  }
  function prefillZone() {
    var form = document.querySelector("form[data-prefill-zone]");
    var select = form && form.querySelector("select[name='time_zone']");
    var zone = window.Intl && Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!select || !zone || select.value === zone) return;
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === zone) { select.value = zone; return; }
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    prefillZone();
    if (!document.querySelector("form[action$='/logout']")) return;  /* signed out */
    ["pointerdown", "pointermove", "scroll", "wheel", "touchstart", "focusin"].forEach(function (t) {
      window.addEventListener(t, function () { touched = true; }, { passive: true });
    });
    window.setInterval(beat, 60000);
  });
})();
