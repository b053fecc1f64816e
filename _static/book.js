/* Open the FAQ's dropdowns when a reader is sent into one: by a link to its
   anchor, by a search hit inside it, or by printing the page. Without
   JavaScript the answers are still in the page, one click away. */
"use strict";

(() => {
  /* Open every <details> around (or at) an element; true if one was closed. */
  const reveal = (element) => {
    let opened = false;
    for (let el = element.closest("details"); el; el = el.parentElement.closest("details")) {
      opened ||= !el.open;
      el.open = true;
    }
    return opened;
  };

  const followHash = () => {
    const id = decodeURIComponent(location.hash.slice(1));
    const target = id && document.getElementById(id);
    if (target && reveal(target)) target.scrollIntoView();
  };

  /* Sphinx's search marks the words it found with span.highlighted, a moment
     after the page loads. */
  const revealHighlights = (records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.classList?.contains("highlighted")) reveal(node);
      }
    }
  };

  /* A link to the anchor already in the address bar fires no hashchange. */
  const followSamePageLink = (event) => {
    const link = event.target.closest?.("a[href*='#']");
    if (link && link.pathname === location.pathname && link.hash === location.hash) {
      followHash();
    }
  };

  /* Print every answer, then close again the ones the reader had closed. */
  let printed = [];
  const openForPrint = () => {
    printed = [...document.querySelectorAll("details:not([open])")];
    printed.forEach((el) => (el.open = true));
  };
  const closeAfterPrint = () => {
    printed.forEach((el) => (el.open = false));
    printed = [];
  };

  new MutationObserver(revealHighlights).observe(document.body, {
    childList: true,
    subtree: true,
  });
  addEventListener("hashchange", followHash);
  addEventListener("beforeprint", openForPrint);
  addEventListener("afterprint", closeAfterPrint);
  document.addEventListener("click", followSamePageLink);
  followHash();
})();

/* Copy a quote with its citation. Each numbered paragraph (_ext/book/paragraphs.py)
   gets a "copy quote" button beside its number: it copies the words selected in that
   paragraph, or else the whole paragraph, with the citation the number carries and
   the paragraph's canonical address, as
   “…” (Anonymous, *Craving Genuine Connection in the Digital Age*, ch. 7, ¶ 3, URL)
   in plain text, and with the title in italics and the address linked as HTML. */
(() => {
  const numbers = document.querySelectorAll("a.book-pnum[data-cite]");
  if (!numbers.length) return;
  const metas = (name) =>
    [...document.querySelectorAll(`meta[name="${name}"]`)].map((m) => m.content);
  const author = metas("citation_author").join(" and ");
  const title = metas("citation_title")[0];

  const status = document.createElement("p");
  status.className = "book-copy-status";
  status.setAttribute("role", "status");
  document.body.append(status);

  const escape = (text) =>
    text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
  /* The paragraph's words, without the number and the button. */
  const words = (paragraph) => {
    const copy = paragraph.cloneNode(true);
    copy.querySelectorAll(".book-pnum, .book-copy-quote").forEach((el) => el.remove());
    return copy.textContent;
  };
  /* The selection, when it lies within the paragraph. */
  const selected = (paragraph) => {
    const selection = getSelection();
    if (!selection || selection.isCollapsed) return "";
    const inside = paragraph.contains(selection.anchorNode) && paragraph.contains(selection.focusNode);
    return inside ? selection.toString() : "";
  };
  /* Quotation marks within the quote become single ones. */
  const tidy = (text) =>
    text.replace(/\s+/g, " ").trim().replace(/\u201c/g, "\u2018").replace(/\u201d/g, "\u2019");

  const copyQuote = async (number) => {
    const paragraph = number.parentElement;
    const quote = tidy(selected(paragraph) || words(paragraph));
    const { cite, url } = number.dataset;
    const plain = `\u201c${quote}\u201d (${author}, *${title}*, ${cite}, ${url})`;
    const html =
      `\u201c${escape(quote)}\u201d (${escape(author)}, <em>${escape(title)}</em>, ` +
      `${escape(cite)}, <a href="${escape(url)}">${escape(url)}</a>)`;
    try {
      await navigator.clipboard.write([
        new ClipboardItem({
          "text/plain": new Blob([plain], { type: "text/plain" }),
          "text/html": new Blob([html], { type: "text/html" }),
        }),
      ]);
      status.textContent = `Quote copied with its citation, ${cite}.`;
    } catch (error) {
      status.textContent = `The quote could not be copied: ${error.message}`;
    }
  };

  for (const number of numbers) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "book-copy-quote";
    button.setAttribute("aria-label", `Copy quote, ${number.dataset.cite}`);
    button.title = "Copy the selected words, or the paragraph, with its citation";
    /* A click keeps the reader's selection (and focus) where it is. */
    button.addEventListener("mousedown", (event) => event.preventDefault());
    button.addEventListener("click", () => copyQuote(number));
    number.after(button);
  }
})();
