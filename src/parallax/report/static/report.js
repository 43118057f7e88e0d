"use strict";
(() => {
  const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));
  for (const el of $$(".js-only")) el.hidden = false;

  // Removed text: one switch for every marker.
  const showRemoved = document.getElementById("show-removed");
  if (showRemoved) showRemoved.addEventListener("change", () =>
    document.body.classList.toggle("show-removed", showRemoved.checked));

  // Expand or collapse every article.
  for (const button of $$("[data-expand]")) button.addEventListener("click", () => {
    const open = button.dataset.expand === "open";
    for (const d of $$("details.article")) d.open = open;
  });

  // Following a link to a collapsed article opens it; a link to a span inside
  // an article (claim, quote, event, mention) opens it and scrolls the span
  // into the middle of the screen, outlined.
  const openTarget = () => {
    let id = location.hash.slice(1);
    try { id = decodeURIComponent(id); } catch (e) { /* keep it raw */ }
    const el = id && document.getElementById(id);
    if (!el) return;
    for (const old of $$(".flash")) old.classList.remove("flash");
    const details = el.closest("details");
    if (details) details.open = true;
    if (el.tagName === "DETAILS") { el.scrollIntoView(); return; }
    if (el.classList.contains("anchor")) {
      el.classList.add("flash");
      let next = el.nextElementSibling;
      while (next && next.classList.contains("anchor")) next = next.nextElementSibling;
      if (next) next.classList.add("flash");
      (next || el).scrollIntoView({ block: "center" });
    } else if (details) {
      el.scrollIntoView({ block: "center" });
    }
  };
  window.addEventListener("hashchange", openTarget);
  openTarget();

  // Article table: filter by text, flag and duplicates; sort by column.
  const table = document.getElementById("article-table");
  if (!table) return;
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const texts = new Map(rows.map((r) => [r, r.textContent.toLowerCase()]));
  const query = document.getElementById("filter-text");
  const flag = document.getElementById("filter-flag");
  const dups = document.getElementById("show-duplicates");
  const shown = document.getElementById("shown-count");
  const filter = () => {
    const q = query.value.trim().toLowerCase();
    let n = 0;
    for (const row of rows) {
      const ok = (dups.checked || !row.hasAttribute("data-dup")) &&
        (!flag.value || row.dataset.flags.split(" ").includes(flag.value)) &&
        (!q || texts.get(row).includes(q));
      row.hidden = !ok;
      if (ok) n += 1;
    }
    shown.textContent = n;
  };
  query.addEventListener("input", filter);
  flag.addEventListener("change", filter);
  dups.addEventListener("change", filter);

  const headers = Array.from(table.tHead.rows[0].cells);
  headers.forEach((th, col) => {
    const button = th.querySelector("button");
    if (!button) return;
    button.addEventListener("click", () => {
      const dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
      for (const h of headers) h.removeAttribute("aria-sort");
      th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
      const key = (row) => row.cells[col].textContent.trim();
      const cmp = th.dataset.sort === "num"
        ? (a, b) => Number(key(a)) - Number(key(b))
        : (a, b) => key(a).localeCompare(key(b), undefined, { numeric: true, sensitivity: "base" });
      rows.sort((a, b) => dir * cmp(a, b));
      body.append(...rows);
    });
  });
})();
