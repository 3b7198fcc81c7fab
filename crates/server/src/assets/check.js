"use strict";
let doc = null, bytes = null, lang = "zh", shown = null;
const $ = (id) => document.getElementById(id);
const dec = new TextDecoder();
function pick(m) { return lang === "en" ? m.en : m.zh; }
document.querySelectorAll('input[name=lang]').forEach(r => r.addEventListener('change', () => { lang = r.value; if (doc) render(); }));
$("check").addEventListener("click", async () => {
  const f = $("file").files[0];
  bytes = f ? new Uint8Array(await f.arrayBuffer()) : new TextEncoder().encode($("text").value);
  $("status").textContent = "检查中…";
  const res = await fetch("/api/v1/check?lang=" + lang + (f ? "&name=" + encodeURIComponent(f.name) : ""), {method: "POST", headers: {"Content-Type": "text/plain; charset=utf-8"}, body: bytes});
  const body = await res.json();
  if (!res.ok) { $("status").textContent = pick(body.error.message); return; }
  doc = body.reports[0]; shown = null; $("report").scrollTop = 0; $("status").textContent = ""; render();
});
function render() {
  const diags = doc.diagnostics;
  $("summary").textContent = (lang === "en" ? "Findings: " : "问题：") + `${doc.summary.error} / ${doc.summary.warning} / ${doc.summary.info}`;
  // Cut the bytes at every span boundary; each piece is marked by the findings covering it.
  const cuts = new Set([0, bytes.length]);
  const spans = [];
  diags.forEach((d, i) => {
    spans.push({i, s: d.span.start, e: Math.max(d.span.end, d.span.start + 1), related: false});
    d.related.forEach(r => spans.push({i, s: r.span.start, e: Math.max(r.span.end, r.span.start + 1), related: true}));
  });
  spans.forEach(sp => { cuts.add(Math.min(sp.s, bytes.length)); cuts.add(Math.min(sp.e, bytes.length)); });
  const points = [...cuts].sort((a, b) => a - b);
  const report = $("report"), top = report.scrollTop; report.textContent = "";
  for (let k = 0; k + 1 < points.length; k++) {
    const a = points[k], b = points[k + 1];
    const text = dec.decode(bytes.subarray(a, b));
    const covering = spans.filter(sp => sp.s <= a && b <= sp.e);
    if (covering.length === 0) { report.appendChild(document.createTextNode(text)); continue; }
    const m = document.createElement("mark");
    const primary = covering.find(sp => !sp.related) || covering[0];
    m.className = diags[primary.i].severity + (primary.related ? " related" : "");
    m.dataset.finding = primary.i; m.dataset.code = diags[primary.i].code;
    m.textContent = text;
    m.addEventListener("click", () => show(primary.i));
    report.appendChild(m);
  }
  const list = $("findings"); list.textContent = "";
  diags.forEach((d, i) => {
    const li = document.createElement("li");
    li.className = "sev-" + d.severity; li.dataset.finding = i;
    li.textContent = `${d.code} ${d.severity} 第${d.span.line}行：${pick(d.messages)}`;
    li.addEventListener("click", () => { show(i); const m = document.querySelector(`mark[data-finding="${i}"]`); if (m) m.scrollIntoView({block: "center"}); });
    list.appendChild(li);
  });
  // A language switch re-renders: keep the reader's place and the open finding, in the new language.
  report.scrollTop = top;
  if (shown !== null) show(shown);
}
function show(i) {
  const d = doc.diagnostics[i]; shown = i;
  document.querySelectorAll("mark.active").forEach(m => m.classList.remove("active"));
  document.querySelectorAll(`mark[data-finding="${i}"]`).forEach(m => m.classList.add("active"));
  const detail = $("detail"); detail.textContent = "";
  const h = document.createElement("strong"); h.textContent = `${d.code} ${d.name}（${d.severity}）`; detail.appendChild(h);
  const p = document.createElement("p"); p.id = "message"; p.textContent = pick(d.messages); detail.appendChild(p);
  d.related.forEach(r => { const q = document.createElement("p"); q.textContent = `↳ ${pick(r.labels)}（第${r.span.line}行）`; detail.appendChild(q); });
}
