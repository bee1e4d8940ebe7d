// The 新建年报 page: every rule runs as the user types. On input (400 ms after the last key) the
// form is posted to /api/compose/check; each finding is written under the table or section it
// concerns and the cells it names are marked. 保存草稿 posts the form to /api/compose/drafts;
// 把这一版恢复为最新版 (on an older version) saves that version again as the newest.
(function () {
  "use strict";
  const form = document.getElementById("compose");
  if (!form) return;
  const SEV = { error: "错误", warning: "警告", info: "提示" };
  const RANK = { error: 0, warning: 1, info: 2 };
  const cellOf = (path) => form.querySelector(`td.num input[name="${CSS.escape(path)}"]`);
  const place = (path) => {
    if (path.startsWith("table")) return path.split(".")[0];
    return path.startsWith("fees_info") ? "section.other" : null;
  };

  function show(result) {
    form.querySelectorAll("td.num").forEach((td) => {
      td.classList.remove("sev-error", "sev-warning", "sev-info");
      td.removeAttribute("data-msg");
    });
    document.querySelectorAll("ul.beside").forEach((ul) => (ul.innerHTML = ""));
    const all = document.getElementById("compose-findings");
    all.innerHTML = "";
    const items = result.invalid.map((f) => ({ ...f, rule: "VALUE-INVALID", severity: "error" })).concat(result.findings);
    for (const f of items) {
      const text = `${SEV[f.severity] || ""} ${f.rule}：${f.message}`;
      const li = document.createElement("li");
      li.className = `sev-${f.severity}`;
      li.textContent = text;
      li.dataset.cells = (f.cells || []).join(" ");
      all.appendChild(li);
      const where = new Set();
      for (const path of f.cells || []) {
        const input = cellOf(path);
        if (input) {
          const td = input.closest("td");
          const worse = Object.keys(RANK).some((s) => td.classList.contains(`sev-${s}`) && RANK[s] <= RANK[f.severity]);
          if (!worse) {
            td.classList.remove("sev-error", "sev-warning", "sev-info");
            td.classList.add(`sev-${f.severity}`);
          }
          td.dataset.msg = ((td.dataset.msg || "") + " " + text).trim();
          input.title = td.dataset.msg;
        }
        const at = place(path);
        if (at) where.add(at);
      }
      if (!where.size) where.add("section.overview");
      for (const at of where) {
        const ul = document.querySelector(`ul.beside[data-for="${at}"]`);
        if (ul) ul.appendChild(li.cloneNode(true));
      }
    }
    const n = (s) => result.counts[s] + (s === "error" ? result.invalid.length : 0);
    document.getElementById("compose-counts").textContent = `错误 ${n("error")}，警告 ${n("warning")}，提示 ${n("info")}`;
  }

  let timer = null;
  let asked = 0;
  async function check() {
    const mine = ++asked;
    const res = await fetch("/api/compose/check", { method: "POST", body: new FormData(form) });
    if (res.ok && mine === asked) show(await res.json()); // an older answer arriving late is dropped
  }
  form.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(check, 400);
  });

  function versions(list) {
    const ol = document.getElementById("draft-versions");
    ol.innerHTML = "";
    for (const v of list) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = `/compose/drafts/${v.id}`;
      a.textContent = `第${v.version}版`;
      li.append(a, ` ${v.saved_at}${v.who ? " " + v.who : ""}${v.note ? "（" + v.note + "）" : ""}`);
      ol.appendChild(li);
    }
  }
  document.getElementById("save-draft").addEventListener("click", async () => {
    const status = document.getElementById("save-status");
    const res = await fetch("/api/compose/drafts", { method: "POST", body: new FormData(form) });
    const got = await res.json();
    if (!res.ok) {
      status.textContent = got.error || "保存失败";
      return;
    }
    status.textContent = `已保存为第${got.saved.version}版`;
    versions(got.versions);
  });

  const restore = document.getElementById("restore-draft");
  if (restore) {
    restore.addEventListener("click", async () => {
      const res = await fetch(`/api/compose/drafts/${restore.dataset.id}/restore`, { method: "POST" });
      const got = await res.json();
      if (res.ok) window.location.assign(`/compose/drafts/${got.saved.id}`);
      else document.getElementById("save-status").textContent = got.error || "恢复失败";
    });
  }

  show(JSON.parse(document.getElementById("compose-initial").textContent));
})();
