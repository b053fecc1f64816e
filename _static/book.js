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
