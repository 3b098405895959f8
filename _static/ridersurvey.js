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
 *    _static/rs-downloads.json (which every HTML build writes); the footer link is shown only when that
 *    file names the PDF, so a book built without `make pdf` never shows a broken link.
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

  async function showBookPdfLink() {
    const note = document.querySelector(".rs-book-pdf-note");
    if (!note) return;
    const root = document.documentElement.dataset.content_root || "./";
    try {
      const response = await fetch(new URL(root + "_static/rs-downloads.json", window.location.href));
      const downloads = await response.json();
      if (!downloads.book_pdf) return;
      note.querySelector("a").href = new URL(root + downloads.book_pdf, window.location.href).href;
      note.hidden = false;
    } catch (error) {
      /* opened without a server (file://): the link stays hidden */
    }
  }

  whenReady(() => {
    forwardSidebarToggles();
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
      });
    }).observe(document.body, { childList: true, subtree: true });
    const typeset = window.MathJax && window.MathJax.startup && window.MathJax.startup.promise;
    if (typeset) typeset.then(watchScrollers);
  });
  window.addEventListener("load", watchScrollers);
})();
