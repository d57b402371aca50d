// twinforge review site: filters and keyboard on the grid; prompt edits and flags on a sample page.
// Edits stay in this browser's localStorage until downloaded as one JSONL file for
// `twinforge apply-edits`. No network, no build step.
"use strict";
(function () {
  const site = document.body.dataset.site;
  const EDITS = "twinforge-review:" + site + ":edits";
  const ORDER = "twinforge-review:" + site + ":order";
  const FILTERS = "twinforge-review:" + site + ":filters";
  const REVIEWER = "twinforge-review:reviewer";

  function load(key, fallback) {
    try { return JSON.parse(localStorage.getItem(key)) || fallback; } catch (e) { return fallback; }
  }
  function store(key, value) { localStorage.setItem(key, JSON.stringify(value)); }
  function edits() { return load(EDITS, {}); }
  function typing(event) { return /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName); }

  function download() {
    const all = edits();
    const lines = Object.keys(all).sort().map(function (id) { return JSON.stringify(all[id]); });
    const blob = new Blob([lines.join("\n") + (lines.length ? "\n" : "")], {type: "application/jsonl"});
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "twinforge-edits-" + site + ".jsonl";
    document.body.appendChild(link);
    link.click();
    link.remove();
  }
  document.getElementById("download").addEventListener("click", download);

  function grid() {
    const cards = Array.from(document.querySelectorAll(".card"));
    const values = JSON.parse(document.getElementById("card-values").textContent);
    const selects = Array.from(document.querySelectorAll("#filters select"));
    const saved = load(FILTERS, {});
    selects.forEach(function (select) { if (saved[select.name]) { select.value = saved[select.name]; } });

    function reviewState(id, all) {
      const edit = all[id];
      if (!edit) { return "untouched"; }
      return edit.flags.length ? "flagged" : "edited";
    }
    function apply() {
      const all = edits();
      const wanted = {};
      selects.forEach(function (select) { if (select.value) { wanted[select.name] = select.value; } });
      store(FILTERS, wanted);
      const order = [];
      cards.forEach(function (card, index) {
        const state = reviewState(card.dataset.id, all);
        let show = true;
        for (const column in wanted) {
          const value = column === "review" ? state : values[index][column];
          if (value !== wanted[column]) { show = false; }
        }
        card.classList.toggle("hidden", !show);
        card.querySelector(".mark").textContent = state === "untouched" ? "" : state;
        if (show) { order.push(card.dataset.id); }
      });
      store(ORDER, order);
      document.getElementById("shown").textContent = order.length;
      document.getElementById("edit-count").textContent = Object.keys(all).length;
    }
    selects.forEach(function (select) { select.addEventListener("change", apply); });
    apply();

    function visible() { return cards.filter(function (card) { return !card.classList.contains("hidden"); }); }
    function columns(shown) {
      let count = 0;
      while (count < shown.length && shown[count].offsetTop === shown[0].offsetTop) { count += 1; }
      return Math.max(count, 1);
    }
    document.addEventListener("keydown", function (event) {
      if (event.key === "/") { event.preventDefault(); if (selects[0]) { selects[0].focus(); } return; }
      if (typing(event)) { return; }
      const shown = visible();
      if (!shown.length) { return; }
      const steps = {ArrowRight: 1, l: 1, ArrowLeft: -1, h: -1, ArrowDown: columns(shown), j: columns(shown),
                     ArrowUp: -columns(shown), k: -columns(shown)};
      if (!(event.key in steps)) { return; }
      event.preventDefault();
      const at = shown.indexOf(document.activeElement);
      const next = at < 0 ? 0 : Math.min(Math.max(at + steps[event.key], 0), shown.length - 1);
      shown[next].focus();
    });
    const target = location.hash && document.getElementById(location.hash.slice(1));
    if (target) { target.focus(); }
  }

  function sample() {
    const data = JSON.parse(document.getElementById("sample-data").textContent);
    const prompt = document.getElementById("prompt");
    const comment = document.getElementById("comment");
    const reviewer = document.getElementById("reviewer");
    const status = document.getElementById("status");
    const boxes = Array.from(document.querySelectorAll("#flags input"));
    reviewer.value = localStorage.getItem(REVIEWER) || "";

    function show(edit) {
      prompt.value = edit && edit.prompt !== null ? edit.prompt : data.prompt;
      comment.value = edit ? edit.comment : "";
      boxes.forEach(function (box) { box.checked = !!edit && edit.flags.indexOf(box.value) >= 0; });
      status.textContent = edit ? "saved in this browser" : "";
    }
    show(edits()[data.sample_id]);

    document.getElementById("save").addEventListener("click", function () {
      const name = reviewer.value.trim();
      if (!name) { status.textContent = "give your name as reviewer first"; reviewer.focus(); return; }
      localStorage.setItem(REVIEWER, name);
      const all = edits();
      const edit = {
        sample_id: data.sample_id,
        prompt: prompt.value !== data.prompt ? prompt.value : null,
        flags: boxes.filter(function (box) { return box.checked; }).map(function (box) { return box.value; }),
        comment: comment.value.trim(),
        reviewer: name,
        time: new Date().toISOString(),
      };
      if (edit.prompt === null && !edit.flags.length && !edit.comment) {
        delete all[data.sample_id];
      } else {
        all[data.sample_id] = edit;
      }
      store(EDITS, all);
      status.textContent = all[data.sample_id] ? "saved in this browser" : "nothing to save";
    });
    document.getElementById("forget").addEventListener("click", function () {
      const all = edits();
      delete all[data.sample_id];
      store(EDITS, all);
      show(undefined);
      status.textContent = "forgotten";
    });

    function neighbour(step, fallback) {
      const order = load(ORDER, []);
      const at = order.indexOf(data.sample_id);
      if (at >= 0) { return order[at + step] ? order[at + step] + ".html" : null; }
      const link = document.getElementById(fallback);
      return link ? link.getAttribute("href") : null;
    }
    document.addEventListener("keydown", function (event) {
      if (typing(event)) { return; }
      let href = null;
      if (event.key === "ArrowRight" || event.key === "j") { href = neighbour(1, "next"); }
      if (event.key === "ArrowLeft" || event.key === "k") { href = neighbour(-1, "previous"); }
      if (event.key === "g" || event.key === "Escape") { href = document.getElementById("to-grid").getAttribute("href"); }
      if (href) { event.preventDefault(); location.href = href; }
    });
  }

  if (document.body.classList.contains("grid-page")) { grid(); } else { sample(); }
})();
