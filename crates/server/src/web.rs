//! Server-rendered pages with a little plain JavaScript: check a pasted or uploaded
//! report and see each finding highlighted in the text; the rule catalog; a
//! collection's reports. Chinese by default. Report text is only ever inserted
//! with `textContent`, never as HTML, so a report containing `<script>` shows as text.

use axum::extract::Path;
use axum::response::Html;

/// Escapes text for HTML.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = r##"
body{font-family:system-ui,"Noto Sans CJK SC","PingFang SC",sans-serif;margin:0;color:#222}
header{background:#8b1a1a;color:#fff;padding:.6em 1em;display:flex;gap:1.5em;align-items:center}
header a{color:#fff}
main{padding:1em;display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:1em}
textarea{width:100%;height:14em;font-family:inherit}
#report{white-space:pre-wrap;border:1px solid #ccc;padding:.5em;max-height:70vh;overflow:auto;line-height:1.7}
mark{cursor:pointer;border-radius:2px}
mark.error{background:#f8b4b4} mark.warning{background:#fde68a} mark.info{background:#dbeafe}
mark.related{outline:2px dashed #555}
mark.active{outline:2px solid #000}
#findings li{cursor:pointer;margin:.3em 0}
.sev-error{color:#b91c1c}.sev-warning{color:#92400e}.sev-info{color:#1e40af}
#detail{border:1px solid #999;padding:.5em;min-height:3em;background:#fafafa}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left}
"##;

fn page(title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{}</title><style>{STYLE}</style></head>\
         <body><header><strong>年报检查 nianbao</strong><a href=\"/\">检查</a><a href=\"/rules\">规则</a></header>{body}</body></html>",
        escape(title)
    ))
}

/// The check page: paste or upload, then read the report with its findings highlighted.
pub async fn index() -> Html<String> {
    page("年报检查", INDEX_BODY)
}

const INDEX_BODY: &str = r##"
<main>
<section>
  <p><label for="text">粘贴年报全文（Markdown、纯文本或 HTML）：</label></p>
  <textarea id="text" placeholder="在此粘贴政府信息公开工作年度报告……"></textarea>
  <p><input type="file" id="file"> <button id="check">检查</button>
  <label><input type="radio" name="lang" value="zh" checked> 中文</label>
  <label><input type="radio" name="lang" value="en"> English</label>
  <span id="status"></span></p>
  <div id="report" aria-live="polite"></div>
</section>
<section>
  <h2 id="summary">问题列表</h2>
  <div id="detail">点击高亮文字或列表中的问题查看说明。</div>
  <ol id="findings"></ol>
</section>
</main>
<script>
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
</script>
"##;

/// The rule catalog.
pub async fn rules_page() -> Html<String> {
    let mut rows = String::new();
    for c in nianbao_model::catalog() {
        rows.push_str(&format!(
            "<tr><td><a href=\"#{code}\" id=\"{code}\">{code}</a></td><td>{name}</td><td class=\"sev-{sev}\">{sev}</td><td>{zh}</td><td>{en}</td></tr>",
            code = escape(c.code),
            name = escape(c.name),
            sev = c.severity.as_str(),
            zh = escape(c.summary_zh),
            en = escape(c.summary_en)
        ));
    }
    page(
        "规则目录",
        &format!("<main style=\"display:block\"><h1>规则目录 Rules</h1><table><tr><th>代码</th><th>名称</th><th>严重程度</th><th>说明</th><th>Summary</th></tr>{rows}</table></main>"),
    )
}

/// A collection's page: asks for the admin token, then lists the reports.
pub async fn collection_page(Path(id): Path<i64>) -> Html<String> {
    page(
        "汇总集合",
        &COLLECTION_BODY.replace("{ID}", &id.to_string()),
    )
}

const COLLECTION_BODY: &str = r##"
<main style="display:block">
<h1>汇总集合 {ID}</h1>
<p><label>管理令牌（admin token）：<input id="token" type="password" size="70"></label> <button id="load">查看</button> <span id="status"></span></p>
<table id="reports"><thead><tr><th>编号</th><th>文件</th><th>发布机关</th><th>年度</th><th>格式</th><th>错误</th><th>警告</th><th>提示</th></tr></thead><tbody></tbody></table>
</main>
<script>
"use strict";
document.getElementById("load").addEventListener("click", async () => {
  const token = document.getElementById("token").value.trim();
  const res = await fetch("/api/v1/collections/{ID}/reports", {headers: {"Authorization": "Bearer " + token}});
  const body = await res.json();
  const status = document.getElementById("status");
  if (!res.ok) { status.textContent = body.error.message.zh; return; }
  status.textContent = "";
  const tbody = document.querySelector("#reports tbody"); tbody.textContent = "";
  body.reports.forEach(r => {
    const tr = document.createElement("tr");
    [r.id, r.name, r.issuer || "", r.year || "", r.format, r.summary.error, r.summary.warning, r.summary.info].forEach(v => {
      const td = document.createElement("td"); td.textContent = String(v); tr.appendChild(td);
    });
    tbody.appendChild(tr);
  });
});
</script>
"##;
