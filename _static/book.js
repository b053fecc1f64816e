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

  /* An address to a paragraph this page does not have says so at the top of the
     text, instead of silently opening the page at its start. */
  const sayMissing = (id) => {
    const article = document.querySelector("article") || document.body;
    let note = document.querySelector(".book-missing-paragraph");
    if (!note) {
      note = document.createElement("p");
      note.className = "book-missing-paragraph";
      note.setAttribute("role", "status");
      article.prepend(note);
    }
    note.textContent =
      `This page has no paragraph \u201c${id}\u201d: the address may be mistyped, ` +
      "or the paragraph was removed. The page starts here.";
    scrollTo(0, 0);
  };

  const followHash = () => {
    const id = decodeURIComponent(location.hash.slice(1));
    const target = id && document.getElementById(id);
    if (!target) {
      if (/^p-./.test(id)) sayMissing(id);
      return;
    }
    /* An earlier edition's id (p-11-3) marks the start of the paragraph: the address
       becomes the paragraph's own, so the paragraph itself is the target. */
    const paragraph = target.matches("span:empty") && target.parentElement.closest("p[id^='p-']");
    if (paragraph) {
      location.replace(`#${paragraph.id}`);
      return;
    }
    if (reveal(target)) target.scrollIntoView();
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
   starts with its number, a link to itself, and gets a "Copy quote" button beside it:
   the button copies the words selected in that paragraph, or else the whole
   paragraph, with the citation the number carries and the paragraph's canonical
   address, as
   “…” (Anonymous, Craving Genuine Connection in the Digital Age, ch. 7, ¶ 3, URL)
   in plain text, and with the title in italics and the address linked as HTML.
   One Tab stop a paragraph: the buttons are out of the Tab order but for the
   paragraph the address points to (p:target), so following a number, then Tab,
   reaches its button; a pointer shows each paragraph's button as it hovers. */
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
  /* Said anew each time, the same words too: emptied first, filled a moment later,
     so that a screen reader hears every copy. */
  let saying = 0;
  const say = (text) => {
    status.textContent = "";
    clearTimeout(saying);
    saying = setTimeout(() => (status.textContent = text), 100);
  };

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
    const plain = `\u201c${quote}\u201d (${author}, ${title}, ${cite}, ${url})`;
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
      say(`Quote copied with its citation, ${cite}.`);
    } catch (error) {
      say(`The quote could not be copied: ${error.message}`);
    }
  };

  const buttons = [];
  for (const number of numbers) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "book-copy-quote";
    button.tabIndex = -1;
    button.setAttribute("aria-label", `Copy quote, ${number.dataset.cite}`);
    button.title = "Copy the selected words, or the paragraph, with its citation";
    /* A click keeps the reader's selection (and focus) where it is. */
    button.addEventListener("mousedown", (event) => event.preventDefault());
    button.addEventListener("click", () => copyQuote(number));
    number.after(button);
    buttons.push(button);
  }
  /* The paragraph the address points to offers the keyboard its button in place of
     its number (followed already): one stop a paragraph, the button the next one
     after the number that has focus. */
  const offerTargets = () => {
    const id = decodeURIComponent(location.hash.slice(1));
    for (const button of buttons) {
      const target = button.parentElement.id === id;
      button.tabIndex = target ? 0 : -1;
      button.previousElementSibling.tabIndex = target ? -1 : 0;
    }
  };
  addEventListener("hashchange", offerTargets);
  offerTargets();
})();

/* Keyboard and screen-reader access to furo's controls (issue 15). The page
   template (_templates/page.html) turns furo's menu and contents icons into
   buttons; here they open and close furo's drawers (still its checkboxes, which
   its CSS and its overlays use), say whether they are open, take focus into the
   drawer and give it back on Escape. The theme toggle's name says the theme in
   use, and the search page's summary is announced when the search ends. */
(() => {
  const buttons = [...document.querySelectorAll("button[data-book-toggle]")];
  const toggles = [...document.querySelectorAll("input.sidebar-toggle")];
  const checkbox = (button) => document.getElementById(button.dataset.bookToggle);
  const drawerOf = (button) => document.getElementById(button.getAttribute("aria-controls"));
  const shown = (el) => el.getClientRects().length > 0;
  let opener = null;

  const sync = () => {
    for (const button of buttons) {
      button.setAttribute("aria-expanded", String(checkbox(button).checked));
    }
  };

  /* Close whatever drawer is open; with refocus, focus goes back to its button. */
  const close = (refocus) => {
    const open = toggles.filter((box) => box.checked);
    if (!open.length) return false;
    open.forEach((box) => (box.checked = false));
    sync();
    if (refocus) {
      const back = opener && shown(opener) ? opener : buttons.find(
        (b) => shown(b) && open.some((box) => box.id === b.dataset.bookToggle)
      );
      back?.focus();
    }
    opener = null;
    return true;
  };

  for (const button of buttons) {
    button.addEventListener("click", () => {
      const box = checkbox(button);
      const opening = !box.checked;
      close(false);
      if (!opening) return;
      box.checked = true;
      sync();
      opener = button;
      const stops = drawerOf(button).querySelectorAll("a[href], input:not([type=hidden])");
      [...stops].find(shown)?.focus();  // furo hides the contents' first link, the title
    });
  }
  /* furo's overlays close a drawer by unchecking its box. */
  toggles.forEach((box) => box.addEventListener("change", sync));

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && close(true)) event.preventDefault();
  });
  for (const button of buttons) {
    const drawer = drawerOf(button);
    /* Tabbing out of an open drawer closes it, so focus never goes under it. */
    drawer?.addEventListener("focusout", (event) => {
      const to = event.relatedTarget;
      if (to && !drawer.contains(to)) close(false);
    });
    /* A link to a place on this page closes the drawer over it. */
    drawer?.addEventListener("click", (event) => {
      const link = event.target.closest?.("a[href]");
      if (link && link.pathname === location.pathname) close(false);
    });
  }
  sync();

  /* The theme toggle's name says the theme in use (furo's says only "Toggle"). */
  const themeToggles = document.querySelectorAll(".theme-toggle");
  const dark = matchMedia("(prefers-color-scheme: dark)");
  const nameTheme = () => {
    const mode = document.body.dataset.theme || "auto";
    const now = mode === "auto" ? `automatic: ${dark.matches ? "dark" : "light"}` : mode;
    themeToggles.forEach((t) => t.setAttribute("aria-label", `Change colour theme (now ${now})`));
  };
  new MutationObserver(nameTheme).observe(document.body, { attributeFilter: ["data-theme"] });
  dark.addEventListener("change", nameTheme);
  nameTheme();

  /* Sphinx's search writes its summary into a <p> it has just made: a status. */
  const results = document.getElementById("search-results");
  if (results) {
    new MutationObserver(() => {
      results.querySelector(".search-summary:not([role])")?.setAttribute("role", "status");
    }).observe(results, { childList: true });
  }

  /* The sticky header's height, for scroll-padding-top (book.css): taller when
     its title wraps, zero when it is hidden. */
  const header = document.querySelector(".mobile-header");
  if (header) {
    new ResizeObserver(() => {
      const height = header.getBoundingClientRect().height;
      document.documentElement.style.setProperty("--book-header-height", `${height}px`);
    }).observe(header);
  }
})();

/* Glossary terms read in place (_ext/book/glosses.py). A link to a term's entry carries
   the definition in its title; a click, or Enter, opens it in a popover beside the
   term, with a link to the entry, and takes focus there so that a screen reader reads
   it. Escape or a click elsewhere closes it, and focus goes back to the term. Without
   JavaScript, or without the Popover API, the link leads to the glossary. */
(() => {
  const links = [...document.querySelectorAll("a.book-gloss[title]")];
  if (!links.length || !Object.hasOwn(HTMLElement.prototype, "popover")) return;
  const note = document.createElement("div");
  note.className = "book-gloss-note";
  note.popover = "auto";
  note.tabIndex = -1;
  note.setAttribute("role", "dialog");
  note.setAttribute("aria-labelledby", "book-gloss-term");
  note.setAttribute("aria-describedby", "book-gloss-definition");
  note.innerHTML =
    '<p><dfn id="book-gloss-term"></dfn> <span id="book-gloss-definition"></span></p>' +
    '<p class="book-gloss-more"><a>The entry in the glossary</a></p>';
  note.querySelector(".book-gloss-more a").href = links[0].href; // set again on opening
  document.body.append(note);
  let opener = null;

  /* Under the term, or above it when there is no room below; inside the window. */
  const place = (link) => {
    const box = link.getBoundingClientRect();
    const left = Math.max(8, Math.min(box.left, innerWidth - note.offsetWidth - 8));
    const below = box.bottom + 6;
    const fits = below + note.offsetHeight <= innerHeight - 8;
    note.style.left = `${left}px`;
    note.style.top = `${fits ? below : Math.max(8, box.top - 6 - note.offsetHeight)}px`;
  };
  const show = (link) => {
    opener = link;
    note.querySelector("dfn").textContent = link.textContent;
    note.querySelector("#book-gloss-definition").textContent = link.dataset.gloss;
    note.querySelector(".book-gloss-more a").href = link.href;
    note.showPopover();
    place(link);
    note.focus();
  };
  /* Escape closes it here too: in Chromium 156 a popover shown by script, with focus
     moved into it by script, did not close on Escape. */
  note.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    event.preventDefault();
    note.hidePopover();
  });
  note.addEventListener("toggle", (event) => {
    const inside = note.contains(document.activeElement) || document.activeElement === document.body;
    if (event.newState === "closed" && opener && inside) opener.focus({ preventScroll: true });
    if (event.newState === "closed") opener = null;
  });
  for (const link of links) {
    /* The popover says it now: no tooltip as well. */
    link.dataset.gloss = link.title;
    link.removeAttribute("title");
    link.setAttribute("aria-haspopup", "dialog");
    link.addEventListener("click", (event) => {
      if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      show(link);
    });
  }
})();
