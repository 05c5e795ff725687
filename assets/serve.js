// dossier's search page works without this script; it adds keyboard shortcuts, a search
// within long facets, dragging over years, and stepping through a document's matches.
"use strict";

(function () {
  const shortcutsKey = "dossier-shortcuts";
  const shortcutsOn = () => localStorage.getItem(shortcutsKey) !== "off";

  for (const element of document.querySelectorAll(".js-only, .facet-find")) {
    element.hidden = false;
  }

  const toggle = document.getElementById("shortcuts");
  if (toggle) {
    toggle.checked = shortcutsOn();
    toggle.addEventListener("change", () => {
      localStorage.setItem(shortcutsKey, toggle.checked ? "on" : "off");
    });
  }

  // A query that does not parse: the cursor goes to the character the error names.
  const box = document.getElementById("q");
  if (box && box.dataset.errorColumn) {
    const at = Array.from(box.value).slice(0, Number(box.dataset.errorColumn) - 1).join("").length;
    box.focus();
    box.setSelectionRange(at, Math.min(at + 1, box.value.length));
  }

  // Find within a facet's values, the long list included.
  for (const find of document.querySelectorAll(".facet-find")) {
    const facet = find.closest(".facet");
    find.addEventListener("input", () => {
      const wanted = find.value.trim().toLowerCase();
      for (const item of facet.querySelectorAll(".values li")) {
        item.hidden = wanted !== "" && !item.dataset.name.includes(wanted);
      }
      const all = facet.querySelector("details.all-values");
      if (all && wanted !== "") all.open = true;
    });
  }

  // Drag over the year bars to keep a range of years.
  const years = document.querySelector(".years");
  if (years) {
    const bars = Array.from(years.querySelectorAll("a[data-year]"));
    let from = null;
    let to = null;
    const paint = () => {
      const [low, high] = [Math.min(from, to), Math.max(from, to)];
      for (const bar of bars) {
        const year = Number(bar.dataset.year);
        bar.classList.toggle("picked", from !== null && year >= low && year <= high);
      }
    };
    const barAt = (event) => {
      const element = document.elementFromPoint(event.clientX, event.clientY);
      return element && element.closest ? element.closest("a[data-year]") : null;
    };
    years.addEventListener("pointerdown", (event) => {
      const bar = barAt(event);
      if (!bar) return;
      from = to = Number(bar.dataset.year);
      years.setPointerCapture(event.pointerId);
      event.preventDefault();
      paint();
    });
    years.addEventListener("pointermove", (event) => {
      if (from === null) return;
      const bar = barAt(event);
      if (bar && Number(bar.dataset.year) !== to) {
        to = Number(bar.dataset.year);
        paint();
      }
    });
    years.addEventListener("pointerup", (event) => {
      if (from === null) return;
      const url = new URL(bars[0].href);
      url.searchParams.set("since", String(Math.min(from, to)));
      url.searchParams.set("until", String(Math.max(from, to)));
      from = to = null;
      // A click keeps its one year, a drag the years it crossed.
      window.location.assign(url.pathname + url.search);
    });
    // A mouse click is handled above; Enter on a focused bar follows its link.
    years.addEventListener("click", (event) => {
      if (event.detail > 0) event.preventDefault();
    });
  }

  // A document's matches: n and p step through them, the one in view is outlined.
  const marks = Array.from(document.querySelectorAll("mark.hit"));
  const status = document.getElementById("match-status");
  let current = -1;
  const show = (index, scroll) => {
    if (marks.length === 0) return;
    current = (index + marks.length) % marks.length;
    for (const mark of marks) mark.classList.remove("current");
    const mark = marks[current];
    mark.classList.add("current");
    if (scroll) mark.scrollIntoView({ block: "center" });
    if (status) status.textContent = `Match ${current + 1} of ${marks.length}`;
    history.replaceState(null, "", `#${mark.closest(".chunk").id}`);
  };
  if (marks.length > 0) {
    const target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
    const first = target ? marks.findIndex((mark) => target.contains(mark)) : -1;
    show(first >= 0 ? first : 0, first >= 0);
    for (const [id, step] of [["next-match", 1], ["prev-match", -1]]) {
      const link = document.getElementById(id);
      if (link) {
        link.addEventListener("click", (event) => {
          event.preventDefault();
          show(current + step, true);
        });
      }
    }
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const typing = event.target.closest && event.target.closest("input, textarea, select");
    if (typing || !shortcutsOn()) return;
    if (event.key === "/") {
      const box = document.getElementById("q");
      if (box) {
        event.preventDefault();
        box.focus();
        box.select();
      }
    } else if (event.key === "n" && marks.length > 0) {
      show(current + 1, true);
    } else if (event.key === "p" && marks.length > 0) {
      show(current - 1, true);
    }
  });
})();
