// The display board: polls the board's JSON, shows each new call full screen with a flash, plays
// its chime and spoken call (audio made on the server), one call after the other, and rotates
// the announcements and hours below. No inline script (Content-Security-Policy), no other host.
(function () {
  "use strict";
  const body = document.body;
  const jsonUrl = body.dataset.json;
  const pollMs = Number(body.dataset.poll) || 400;
  const fullMs = Number(body.dataset.full) || 20000;
  const showMs = 7000; // how long a new call fills the screen (at least until it has been spoken)
  let seen = body.dataset.v || "0";
  let lastFull = Date.now();
  let failures = 0;
  const pending = [];
  let announcing = false;
  let soundBlocked = false;
  const $ = (id) => document.getElementById(id);

  function clock() {
    const now = new Date();
    try {
      $("clock").textContent = now.toLocaleTimeString("id-ID", { hour: "2-digit", minute: "2-digit", timeZone: body.dataset.tz });
    } catch (e) {
      $("clock").textContent = now.toLocaleTimeString();
    }
  }

  function fill(list, rows, first, second, emptyText) {
    const items = rows.map((row) => {
      const li = document.createElement("li");
      const a = document.createElement("span");
      const b = document.createElement("span");
      a.className = first === "number" ? "c-number" : "c-name";
      b.className = second === "number" ? "c-number" : "c-name";
      a.textContent = row[first];
      b.textContent = row[second];
      li.append(a, " ", b);
      return li;
    });
    if (!items.length) {
      const li = document.createElement("li");
      li.className = "empty";
      li.textContent = emptyText;
      items.push(li);
    }
    list.replaceChildren(...items);
  }

  const emptyCounters = ($("counters").querySelector(".empty") || {}).textContent || "";
  const emptyRecent = ($("recent").querySelector(".empty") || {}).textContent || emptyCounters;

  function showState(data) {
    fill($("counters"), data.current, "counter", "number", emptyCounters);
    fill($("recent"), data.recent, "number", "counter", emptyRecent);
    const latest = data.recent[0];
    $("now-number").textContent = latest ? latest.number : "–";
    $("now-counter").textContent = latest ? latest.counter : "";
    $("now-hint").hidden = !latest;
    const waiting = Object.entries(data.waiting || {}).map(([lane, n]) => lane + " " + n);
    $("waiting").textContent = waiting.length ? $("waiting").dataset.label + ": " + waiting.join(" · ") : "";
    const info = $("info");
    const lines = [];
    for (const [label, texts] of [[info.dataset.newsLabel, data.news], [info.dataset.hoursLabel, data.hours]]) {
      for (const text of texts) {
        const li = document.createElement("li");
        const strong = document.createElement("strong");
        strong.textContent = label + ":";
        li.append(strong, " ", text);
        lines.push(li);
      }
    }
    info.replaceChildren(...lines);
    rotate(true);
  }

  let rotation = 0;
  function rotate(reset) {
    const items = $("info").children;
    if (!items.length) return;
    rotation = reset ? 0 : (rotation + 1) % items.length;
    for (let i = 0; i < items.length; i++) items[i].classList.toggle("shown", i === rotation);
  }

  function play(url) {
    return new Promise((resolve) => {
      if (!url) return resolve();
      const audio = new Audio(url);
      audio.addEventListener("ended", resolve, { once: true });
      audio.addEventListener("error", resolve, { once: true });
      audio.play().then(() => {
        if ($("sound")) $("sound").hidden = true;
        body.dataset.played = url; // for tests: the last sound that really started
      }, () => {
        // Autoplay refused (no click yet on this TV): show the button, keep showing calls.
        soundBlocked = true;
        if ($("sound")) $("sound").hidden = false;
        resolve();
      });
    });
  }

  async function announce() {
    if (announcing) return;
    announcing = true;
    while (pending.length) {
      const call = pending.shift();
      $("overlay-number").textContent = call.number;
      $("overlay-counter").textContent = call.counter;
      const overlay = $("overlay");
      overlay.hidden = true;
      void overlay.offsetWidth; // restart the flash animation for back-to-back calls
      overlay.hidden = false;
      const started = Date.now();
      const sound = { suara: call.audio, bel: body.dataset.chime }[body.dataset.sound];
      await play(soundBlocked ? null : sound);
      const left = showMs - (Date.now() - started);
      if (left > 0) await new Promise((r) => setTimeout(r, left));
      overlay.hidden = true;
    }
    announcing = false;
  }

  async function poll() {
    const started = Date.now();
    const full = started - lastFull > fullMs;
    const url = jsonUrl + "?v=" + encodeURIComponent(seen) + (full ? "&full=1" : "");
    try {
      const response = await fetch(url, { cache: "no-store", headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(String(response.status));
      const data = await response.json();
      failures = 0;
      $("offline").hidden = true;
      if (data.current) {
        if (full) lastFull = Date.now();
        showState(data);
        for (const call of data.calls || []) pending.push(call);
        body.dataset.shown = String(data.v); // for tests and the latency benchmark
        announce();
      }
      seen = String(data.v);
    } catch (e) {
      failures += 1;
      if (failures > 2) $("offline").hidden = false;
    }
    // A steady rate (not a pause after each answer): a slow answer does not delay the next call.
    const wait = failures ? Math.min(pollMs * 2 ** failures, 5000) : Math.max(50, pollMs - (Date.now() - started));
    setTimeout(poll, wait);
  }

  // Until a sound has played, offer the button: a TV's browser may refuse sound before a click
  // (start it with --autoplay-policy=no-user-gesture-required to need none, see docs/queue.md).
  if ($("sound")) {
    $("sound").hidden = false;
    $("sound").addEventListener("click", () => {
      soundBlocked = false;
      $("sound").hidden = true;
      play(body.dataset.chime);
    });
  }
  $("info").parentElement.classList.add("rotating");
  rotate(true);
  setInterval(() => rotate(false), 8000);
  clock();
  setInterval(clock, 1000);
  setTimeout(poll, pollMs);
})();
