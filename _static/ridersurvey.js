/* Reader aids for the ridersurvey book (loaded on every page after the theme's own scripts).
 *
 * 1. Sidebar toggles. sphinx-book-theme 1.3.0 and pydata-sphinx-theme 0.17.1 each attach their click
 *    handlers to document.querySelector(".primary-toggle") / (".secondary-toggle"): the first copy in the
 *    page, which is the one in pydata's own header bar. The book theme hides that bar and shows its own
 *    copies in the article header, which therefore do nothing. A click on any later copy is forwarded to
 *    the first one, so the themes' handlers run unchanged: on a wide screen (>= 992 px) the book theme
 *    collapses or restores the sidebar; on a narrow one pydata opens the sidebar as a dialog.
 * 2. Wide content. A table (an interactive one too) or display equation wider than the page scrolls
 *    sideways inside its own box;
 *    the box gets the classes rs-overflowing / rs-more-left / rs-more-right so the stylesheet can show a
 *    visible cue (a faded edge and a "scroll sideways" line) and pin a table's first column.
 * 3. The whole-book PDF. `make pdf` copies book.pdf to the root of the HTML build and records it in
 *    _static/rs-downloads.json (which every HTML build writes). The footer's anchor has no address and the
 *    download menu's entry (bookbuild.book_pdf) is a button calling openBookPdf; both are shown, and the
 *    anchor gets its address, only when that file names the PDF, so a book built without `make pdf` has no
 *    link to a missing file.
 * 4. Paper. Before printing (the browser's print, or tools/make_pdf.py calling window.ridersurvey.fitForPrint),
 *    each table is measured at the narrowest width its unbreakable tokens allow: it keeps the print type
 *    (8 pt) if that fits an A4 portrait text column, else takes 7 pt, else a landscape page (8, 7 or 6.5 pt),
 *    else the landscape page at 6.5 pt scaled to fit. A display equation wider than the column is scaled.
 *    Cells holding a number are marked rs-nowrap, so that "−0.011" or "16–30" never breaks.
 */
(() => {
  "use strict";

  const whenReady = (callback) => {
    if (document.readyState !== "loading") callback();
    else document.addEventListener("DOMContentLoaded", callback);
  };

  function forwardSidebarToggles() {
    for (const selector of [".primary-toggle", ".secondary-toggle"]) {
      const [bound, ...copies] = document.querySelectorAll(selector);
      if (!bound) continue;
      for (const copy of copies) {
        copy.addEventListener("click", (event) => {
          event.preventDefault();
          event.stopPropagation();
          copy.blur();
          bound.click();
        });
      }
    }
  }

  const SCROLLERS = [
    ".pst-scrollable-table-container",
    ".rs-interactive .dt-scroll-body",
    ".cell_output .output.text_html",
    'mjx-container[display="true"]',
  ];

  function updateScrollState(box) {
    const extra = box.scrollWidth - box.clientWidth;
    const overflowing = extra > 1;
    box.classList.toggle("rs-overflowing", overflowing);
    box.style.setProperty("--rs-box-width", `${box.clientWidth}px`);
    box.classList.toggle("rs-more-left", overflowing && box.scrollLeft > 1);
    box.classList.toggle("rs-more-right", overflowing && box.scrollLeft < extra - 1);
    if (box.rsCue) box.rsCue.hidden = !overflowing;
  }

  function watchScroller(box) {
    if (box.dataset.rsWatched || box.closest(".dtsp-panesContainer")) return;
    box.dataset.rsWatched = "1";
    if (box.matches(".pst-scrollable-table-container")) {
      // The cue sits in the caption, which stays in view (see the stylesheet), or above a table without one.
      const cue = document.createElement("span");
      cue.className = "rs-scroll-cue";
      cue.textContent = "Wider than the page: scroll sideways for every column \u2192";
      cue.hidden = true;
      const caption = box.querySelector(":scope > table > caption");
      if (caption) caption.append(cue);
      else box.before(cue);
      box.rsCue = cue;
    } else if (box.matches(".dt-scroll-body, .output.text_html")) {
      const cue = document.createElement("p");
      cue.className = "rs-scroll-cue";
      cue.textContent = "Wider than the page: scroll sideways for all of it \u2192";
      cue.hidden = true;
      (box.closest(".dt-scroll") || box).before(cue);
      box.rsCue = cue;
    }
    box.addEventListener("scroll", () => updateScrollState(box), { passive: true });
    new ResizeObserver(() => updateScrollState(box)).observe(box);
    updateScrollState(box);
  }

  function watchScrollers() {
    document.querySelectorAll(SCROLLERS.join(",")).forEach(watchScroller);
  }

  let bookPdf = null;

  async function showBookPdfLink() {
    const note = document.querySelector(".rs-book-pdf-note");
    if (!note) return;
    const root = document.documentElement.dataset.content_root || "./";
    try {
      const response = await fetch(new URL(root + "_static/rs-downloads.json", window.location.href));
      const downloads = await response.json();
      if (!downloads.book_pdf) return;
      bookPdf = new URL(root + downloads.book_pdf, window.location.href).href;
      note.querySelector("a").href = bookPdf;
      note.hidden = false;
      document.documentElement.classList.add("rs-has-book-pdf");
    } catch (error) {
      /* opened without a server (file://): the link stays hidden */
    }
  }

  function openBookPdf() {
    if (bookPdf) window.open(bookPdf, "_blank", "noopener");
  }

  // A4 text width at the 12 mm side margins of tools/make_pdf.py (186 and 273 mm), in CSS pixels, less 8 px.
  const PRINT_WIDTH = { portrait: 695, landscape: 1024 };
  const PRINT_FONTS = { portrait: [8, 7], landscape: [8, 7, 6.5] };
  const NUMBER_CELL = /^[\s\d.,:;%()[\]+\-\u2212\u2013\u2014<>=\u2264\u2265\u00d7*\u2020\u2021/]*\d[\s\d.,:;%()[\]+\-\u2212\u2013\u2014<>=\u2264\u2265\u00d7*\u2020\u2021/]*$/;

  function measuredWidth(table, points) {
    table.style.setProperty("--rs-measure-font", `${points}pt`);
    table.classList.add("rs-measuring");
    const width = table.getBoundingClientRect().width;
    table.classList.remove("rs-measuring");
    return width;
  }

  // A range or date in running text ("45-60", "2016\u20132023", "1/2"): the hyphen or dash is not a place to break.
  const RANGE = /[\u2212-]?\d[\d.,]*(?:[-\u2013/]\d[\d.,]*)+/g;

  function keepRangesWhole(cell) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    const texts = [];
    while (walker.nextNode()) {
      if (!walker.currentNode.parentElement.closest(".rs-nowrap, mjx-container")) texts.push(walker.currentNode);
    }
    for (const text of texts) {
      const value = text.nodeValue;
      RANGE.lastIndex = 0;
      if (!RANGE.test(value)) continue;
      const pieces = document.createDocumentFragment();
      let last = 0;
      for (const match of value.matchAll(RANGE)) {
        pieces.append(value.slice(last, match.index));
        const span = document.createElement("span");
        span.className = "rs-nowrap";
        span.textContent = match[0];
        pieces.append(span);
        last = match.index + match[0].length;
      }
      pieces.append(value.slice(last));
      text.replaceWith(pieces);
    }
  }

  function fitForPrint() {
    const fitted = [];
    for (const table of document.querySelectorAll(".bd-article table")) {
      if (table.closest(".rs-interactive")) continue;
      for (const cell of table.querySelectorAll("td, th")) {
        cell.classList.toggle("rs-nowrap", NUMBER_CELL.test(cell.textContent.trim()));
        if (!cell.classList.contains("rs-nowrap")) keepRangesWhole(cell);
      }
      let choice = null;
      let width = 0;
      for (const orientation of ["portrait", "landscape"]) {
        for (const points of PRINT_FONTS[orientation]) {
          width = measuredWidth(table, points);
          if (width <= PRINT_WIDTH[orientation]) {
            choice = { orientation, points, zoom: 1 };
            break;
          }
        }
        if (choice) break;
      }
      choice = choice || { orientation: "landscape", points: 6.5, zoom: PRINT_WIDTH.landscape / width };
      const box = table.closest(".pst-scrollable-table-container, .cell_output .output.text_html") || table;
      box.classList.toggle("rs-print-landscape", choice.orientation === "landscape");
      table.style.setProperty("--rs-print-font", `${choice.points}pt`);
      table.style.setProperty("--rs-print-zoom", choice.zoom);
      fitted.push({ id: table.id || (table.closest("[id]") || {}).id || "", ...choice, width: Math.round(width) });
    }
    for (const equation of document.querySelectorAll('.bd-article mjx-container[display="true"]')) {
      const inner = equation.firstElementChild;
      const width = inner ? inner.getBoundingClientRect().width : 0;
      equation.style.setProperty("--rs-print-zoom", width > PRINT_WIDTH.portrait ? PRINT_WIDTH.portrait / width : 1);
    }
    return fitted;
  }

  // Names for assistive technology where the theme's or a library's markup gives none or a wrong one.
  function nameControls() {
    // sphinx-togglebutton names every fold "Toggle hidden content", not what it shows ("Show code cell source")
    for (const summary of document.querySelectorAll("details > summary[aria-label]")) {
      summary.removeAttribute("aria-label");
    }
    // pydata's colour-mode button is named "Color mode"; its icons' titles ("Light", ...) are not part of it
    for (const icon of document.querySelectorAll(".theme-switch-button svg:not([aria-hidden])")) {
      icon.setAttribute("aria-hidden", "true");
    }
    // the sidebar's search field is labelled "Search" but shows "Search Ctrl+K": it is named by what it shows
    for (const field of document.querySelectorAll(".search-button-field[aria-label]")) {
      field.removeAttribute("aria-label");
    }
    // docutils' bibliography is a list whose entries carry the deprecated role doc-biblioentry
    for (const entry of document.querySelectorAll('.citation-list[role="list"] > [role="doc-biblioentry"]')) {
      entry.setAttribute("role", "listitem");
    }
    // DataTables' filter panes: a search box per pane, named by its placeholder only
    for (const input of document.querySelectorAll(".rs-interactive input.dtsp-search:not([aria-label])")) {
      input.setAttribute("aria-label", `Search the values of ${input.placeholder}`);
    }
    // a table that scrolls sideways can be scrolled from the keyboard
    for (const box of document.querySelectorAll(".rs-interactive .dt-scroll-body:not([tabindex])")) {
      box.tabIndex = 0;
    }
  }

  // DataTables (the interactive tables) draws its dark theme under html.dark; the book's theme switch sets
  // data-theme on <html>: the class follows it, so the interactive tables switch with the rest of the page.
  function followTheme() {
    const root = document.documentElement;
    root.classList.toggle("dark", root.dataset.theme === "dark");
  }
  followTheme();
  new MutationObserver(followTheme).observe(document.documentElement, {
    attributes: true,
    attributeFilter: ["data-theme"],
  });

  window.ridersurvey = Object.assign(window.ridersurvey || {}, { fitForPrint, openBookPdf });
  window.addEventListener("beforeprint", fitForPrint);

  whenReady(() => {
    forwardSidebarToggles();
    nameControls();
    watchScrollers();
    showBookPdfLink();
    // itables draws its tables after loading DataTables: watch their scroll boxes once they exist.
    let pending = false;
    new MutationObserver(() => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        watchScrollers();
        nameControls();
      });
    }).observe(document.body, { childList: true, subtree: true });
    const typeset = window.MathJax && window.MathJax.startup && window.MathJax.startup.promise;
    if (typeset) typeset.then(watchScrollers);
  });
  window.addEventListener("load", watchScrollers);
})();
