"use strict";
// The collection's id is on <main data-collection>.
const id = document.querySelector("main").dataset.collection;
document.getElementById("load").addEventListener("click", async () => {
  const token = document.getElementById("token").value.trim();
  const res = await fetch("/api/v1/collections/" + encodeURIComponent(id) + "/reports", {headers: {"Authorization": "Bearer " + token}});
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
