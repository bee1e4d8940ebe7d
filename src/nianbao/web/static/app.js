// nianbao: small progressive behaviour. Every page works without it.
"use strict";

// ---- report page: click a number → where it came from -----------------------------------------
let sourceLoaded = null;

function loadSource() {
  const box = document.getElementById("src-text");
  if (!sourceLoaded) {
    sourceLoaded = fetch(box.dataset.url, { headers: { Accept: "text/html" } })
      .then((r) => (r.ok ? r.text() : Promise.reject(r.status)))
      .then((html) => { box.innerHTML = html; })  // our own server-rendered, escaped fragment
      .catch(() => { box.textContent = "原文暂时无法载入。"; });
  }
  return sourceLoaded;
}

// Mark ``raw`` inside ``el`` when it occurs there exactly once (a line of zeros stays unmarked).
function markRaw(el, raw) {
  const text = el.textContent;
  const at = raw ? text.indexOf(raw) : -1;
  if (at < 0 || text.indexOf(raw, at + 1) >= 0) return;
  const mark = document.createElement("mark");
  mark.textContent = raw;
  el.replaceChildren(text.slice(0, at), mark, text.slice(at + raw.length));
}

function showInSource(key, raw) {
  const box = document.getElementById("src-text");
  box.querySelectorAll(".lit").forEach((x) => { x.classList.remove("lit"); x.replaceChildren(x.textContent); });
  const hits = key ? box.querySelectorAll('[data-key="' + CSS.escape(key) + '"]') : [];
  if (!hits.length) return;
  hits.forEach((el) => { el.classList.add("lit"); markRaw(el, raw); });
  box.scrollTop = hits[0].offsetTop - box.clientHeight / 2;
}

function showSource(button) {
  const aside = document.getElementById("source");
  if (!aside) return;
  document.querySelectorAll("td.picked").forEach((td) => td.classList.remove("picked"));
  document.querySelectorAll("mark.fact.lit").forEach((m) => m.classList.remove("lit"));
  const td = button.closest("td");
  td.classList.add("picked");
  const d = button.dataset;
  aside.querySelector(".src-label").textContent = d.label;
  const printed = d.printed === undefined ? d.shown : d.printed; // a corrected cell: what the report printed
  aside.querySelector(".src-value b").textContent = printed === "" ? "（空白）" : printed;
  aside.querySelector(".src-where span").textContent = d.where || "（未记录）";
  const mark = aside.querySelector(".src-raw mark");
  mark.textContent = d.raw === "" ? "（空白）" : d.raw;
  const fixed = aside.querySelector(".src-fixed");
  fixed.hidden = d.printed === undefined;
  if (!fixed.hidden) {
    fixed.querySelector("b").textContent = d.shown === "" ? "空白" : d.shown;
    fixed.querySelector("s").textContent = d.printed === "" ? "空白" : d.printed;
    fixed.querySelector(".why").textContent = d.note ? "。" + d.note : "";
  }
  aside.querySelectorAll(".fix input[name=path]").forEach((x) => { x.value = d.path; });
  const undo = aside.querySelector(".fix .undo");
  if (undo) undo.hidden = d.printed === undefined;
  const facts = document.querySelectorAll('mark.fact[data-cell="' + CSS.escape(d.path) + '"]');
  facts.forEach((m) => m.classList.add("lit"));
  aside.querySelector(".src-facts").hidden = facts.length === 0;
  const list = aside.querySelector(".src-findings");
  list.replaceChildren();
  for (const id of (d.findings || "").split(" ").filter(Boolean)) {
    const item = document.getElementById(id);
    if (!item) continue;
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = "#" + id;
    a.textContent = item.querySelector(".msg").textContent;
    li.className = item.className;
    li.appendChild(a);
    list.appendChild(li);
  }
  aside.querySelector(".src-empty").hidden = true;
  aside.querySelector(".src-body").hidden = false;
  placeBeside(aside, td);
  loadSource().then(() => showInSource(d.key, d.raw));
}

// On a narrow screen the panel is an overlay next to the tapped number (below it, or above when
// there is no room), not a box at the end of the page.
const NARROW = window.matchMedia("(max-width: 900px)");

function placeBeside(aside, td) {
  aside.classList.toggle("overlay", NARROW.matches);
  for (const k of ["top", "bottom", "maxHeight"]) aside.style[k] = "";
  if (!NARROW.matches) return;
  const cell = td.getBoundingClientRect();
  const below = window.innerHeight - cell.bottom - 12;
  const above = cell.top - 12;
  if (below >= above) {
    aside.style.top = cell.bottom + 6 + "px";
    aside.style.maxHeight = below + "px";
  } else {
    aside.style.bottom = window.innerHeight - cell.top + 6 + "px";
    aside.style.maxHeight = above + "px";
  }
}

function closeSource() {
  const aside = document.getElementById("source");
  aside.querySelector(".src-body").hidden = true;
  aside.querySelector(".src-empty").hidden = false;
  aside.classList.remove("overlay");
  for (const k of ["top", "bottom", "maxHeight"]) aside.style[k] = "";
  document.querySelectorAll("td.picked, mark.fact.lit").forEach((x) => x.classList.remove("picked", "lit"));
}

document.addEventListener("click", (e) => {
  const button = e.target.closest("button.v");
  if (button) { showSource(button); return; }
  if (e.target.closest("#source .close")) closeSource();
  const fact = e.target.closest("mark.fact");
  if (fact) {
    const cell = document.getElementById(fact.dataset.anchor);
    if (cell) { cell.scrollIntoView({ block: "center" }); cell.querySelector("button.v")?.click(); }
  }
});

// ---- upload: drag and drop onto the zone, then submit the same form ---------------------------
function setupUpload() {
  const form = document.getElementById("upload");
  if (!form) return;
  const zone = document.getElementById("zone");
  const input = document.getElementById("files");
  const chosen = document.getElementById("chosen");
  const list = () => { chosen.textContent = Array.from(input.files).map((f) => f.name).join("、"); };
  input.addEventListener("change", list);
  ["dragenter", "dragover"].forEach((t) => zone.addEventListener(t, (e) => { e.preventDefault(); zone.classList.add("over"); }));
  ["dragleave", "drop"].forEach((t) => zone.addEventListener(t, (e) => { e.preventDefault(); zone.classList.remove("over"); }));
  const results = document.getElementById("results");
  const say = (text) => {
    const p = document.createElement("p");
    p.className = "card unreadable";
    p.textContent = text;
    results.replaceChildren(p);
  };
  form.addEventListener("htmx:beforeRequest", (e) => {
    const limit = Number(form.dataset.maxBytes);
    const total = Array.from(input.files).reduce((n, f) => n + f.size, 0);
    if (limit && total > limit) {
      e.preventDefault();
      say("文件合计 " + (total / 1048576).toFixed(1) + " MB，超过 " + (limit / 1048576).toFixed(0) + " MB 上限，请分批上传。");
    }
  });
  form.addEventListener("htmx:responseError", (e) => say(e.detail.xhr.responseText || "上传失败（" + e.detail.xhr.status + "）"));
  zone.addEventListener("drop", (e) => {
    if (!e.dataTransfer.files.length) return;
    input.files = e.dataTransfer.files;
    list();
    form.requestSubmit();
  });
}

document.addEventListener("DOMContentLoaded", setupUpload);
