"use strict";
// The pages are rendered by the server in both languages; this file only
// chooses the language, filters by severity, opens a finding's details,
// switches to the source, and helps with tokens and files.
const $ = (s, root = document) => root.querySelector(s);
const $$ = (s, root = document) => [...root.querySelectorAll(s)];

// The language: Chinese unless the reader chose English (remembered on this browser).
function setLang(lang) {
  document.documentElement.lang = lang === "en" ? "en" : "zh-CN";
  $$("input[name=lang]").forEach(r => { r.checked = r.value === lang; });
  try { localStorage.setItem("nianbao-lang", lang); } catch (e) { /* private mode */ }
}
let chosen = null;
try { chosen = localStorage.getItem("nianbao-lang"); } catch (e) { /* private mode */ }
setLang(chosen === "en" ? "en" : "zh");
$$("input[name=lang]").forEach(r => r.addEventListener("change", () => setLang(r.value)));

// The report view.
const view = $("#view");
if (view) {
  $$("#filter input[type=checkbox]").forEach(c => c.addEventListener("change", () => {
    view.classList.toggle("hide-" + c.value, !c.checked);
  }));
  $("#toggle-source").addEventListener("click", () => {
    const source = $("#source"), article = $("#article");
    source.hidden = !source.hidden; article.hidden = !source.hidden;
    view.classList.toggle("showing-source", !source.hidden);
  });
  const show = (i, scroll) => {
    const item = $("#f-" + i);
    if (!item) return;
    $$(".active").forEach(e => e.classList.remove("active"));
    item.classList.add("active");
    const places = $$(`[data-all~="${i}"]`, view).filter(e => !e.closest("[hidden]"));
    places.forEach(e => e.classList.add("active"));
    const detail = $("#detail"); detail.textContent = "";
    const copy = item.cloneNode(true); copy.removeAttribute("id"); copy.removeAttribute("data-f");
    const box = document.createElement("div"); box.className = "finding " + copy.className;
    box.append(...copy.childNodes); detail.appendChild(box);
    const msg = $(".msg", box); if (msg) msg.id = "message";
    const rule = $(`#rule-docs section[data-code="${item.dataset.code}"]`);
    if (rule) detail.appendChild(rule.cloneNode(true));
    if (scroll && places.length) places[0].scrollIntoView({block: "center"});
  };
  view.addEventListener("click", e => {
    if (e.target.closest("a, input, button, #detail")) return;
    const hit = e.target.closest("[data-f]");
    if (hit) show(hit.dataset.f, hit.tagName === "LI");
  });
}

// A token handed over in the link's fragment (#token=…: never sent to the server in
// the address) fills the forms' token fields; a form that asks for nothing else is sent.
if (location.hash.startsWith("#token=")) {
  const token = decodeURIComponent(location.hash.slice(7));
  $$("input[name=token]").forEach(i => { i.value = token; });
  const form = $("form[data-token-form]");
  if (form && token) form.requestSubmit();
}

// Links shown to be copied are made whole (with this server's address).
$$("input.token").forEach(i => { if (i.value.startsWith("/")) i.value = location.origin + i.value; });

// A file dropped or chosen where the form says so is sent at once.
$$("input[type=file][data-send]").forEach(input => {
  input.addEventListener("change", () => { if (input.files.length) input.form.requestSubmit(); });
});

// Copy buttons (a token shown once, a link to hand on).
$$("button[data-copy]").forEach(b => b.addEventListener("click", async () => {
  const field = document.getElementById(b.dataset.copy);
  try { await navigator.clipboard.writeText(field.value); } catch (e) { field.select(); document.execCommand("copy"); }
  b.classList.add("copied");
}));
