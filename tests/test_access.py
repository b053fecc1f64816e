"""The site used as people use it: with a keyboard, a screen reader, zoom, wider text
spacing, a contrast theme and less motion (issue 15).

axe and the Nu checker (``test_browser.py``) read the markup; these tests walk the
pages.  At a phone's width (375 px), a laptop zoomed to 200% (640x400), a laptop
(1280 px, where the contents is a drawer) and a wide screen (1920 px), on the landing
page, a chapter, the FAQ and the one-page edition, they press Tab through every stop
and look where focus lands, open and close the menu and the contents from the
keyboard, apply WCAG's text spacing, switch on forced colours through the DevTools
protocol, measure contrast from the computed styles, and read the landmarks and
headings from the accessibility tree, as a screen reader gets it.
"""

from __future__ import annotations

import itertools
import re

import pytest
from browser import CHAPTER, FAQ, ONE_PAGE, reads_the_audit

PAGES = {"landing": "index.html", "chapter": CHAPTER, "faq": FAQ, "one-page": ONE_PAGE}
VIEWPORTS = {
    "375x740": {"width": 375, "height": 740},
    "640x400": {"width": 640, "height": 400},
    "1280x800": {"width": 1280, "height": 800},
    "1920x1080": {"width": 1920, "height": 1080},
}
#: The narrowest window WCAG asks text to reflow in (1.4.10), where the header's
#: title wraps the most.
REFLOW = {"width": 320, "height": 640}
#: WCAG 1.4.12's text spacing, as its understanding document's bookmarklet sets it.
TEXT_SPACING = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
    word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""
#: The menu's and the contents' buttons, and the drawers they open.
DRAWERS = {"menu": ("button.nav-overlay-icon", "#book-navigation"), "contents": (
    "button.toc-overlay-icon", "#book-toc")}  # fmt: skip
MAX_STOPS = 1000

#: The longest page first: spread over xdist's workers, the longest checks start first.
every_page_and_width = pytest.mark.parametrize(
    ("page_name", "size"),
    [(page, size) for page in reversed(PAGES) for size in VIEWPORTS],
)


def tab_at(open_context, size: str):
    """A tab at the window size *size* names, motion as by default."""
    return open_context(viewport=VIEWPORTS.get(size, REFLOW)).new_page()


# -- In the page: where focus is, what covers it, what a colour contrasts with ----------

HELPERS = """
window.bookA11y = {
  /* Wait until nothing moves (transitions, the drawers' slide, smooth scrolling):
     three frames alike in a row, or thirty if focus is still off screen, since a
     smooth scroll can start late on a busy machine. */
  async settle() {
    const frame = () => new Promise(done => requestAnimationFrame(done));
    const where = () => {
      const r = (document.activeElement || document.body).getBoundingClientRect();
      const scrollers = [...document.querySelectorAll(".sidebar-scroll, .toc-scroll")];
      return [scrollX, scrollY, r.left, r.top, ...scrollers.map(s => s.scrollTop)].join();
    };
    const inView = () => {
      const r = (document.activeElement || document.body).getBoundingClientRect();
      return r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth;
    };
    let last = where(), alike = 0;
    for (let i = 0; i < 300 && !(alike >= 30 || (alike >= 3 && inView())); i++) {
      const moving = document.getAnimations().filter(
        a => a.playState === "running" && a.effect?.getComputedTiming().endTime !== Infinity);
      await Promise.all(moving.map(a => a.finished.catch(() => null)));
      await frame();
      const now = where();
      alike = now === last ? alike + 1 : 0;
      last = now;
    }
  },

  /* Where the page and its scrolling panels are scrolled to. */
  scrolled() {
    const scrollers = [...document.querySelectorAll(".sidebar-scroll, .toc-scroll")];
    return [scrollX, scrollY, ...scrollers.map(s => s.scrollTop)].join();
  },

  /* The focused element once it has arrived, when nothing moves any more (no scroll
     event for 60 ms, no transition running), as a person pressing Tab at a reading
     pace would see it. One that is not clear by then is looked at again for half a
     second more, since a smooth scroll can start late on a busy machine. An element
     whose focus scrolled nothing is looked at at once: no scroll event is on its
     way, so no script will move anything (furo answers a scroll in the frame after
     its event, hence the two frames otherwise). */
  async stop() {
    const frame = () => new Promise(done => requestAnimationFrame(done));
    const clear = r => !r || (r.onScreen && !r.underHeader && !r.coveredBy);
    const running = () => document.getAnimations().some(
      a => a.playState === "running" && a.effect?.getComputedTiming().endTime !== Infinity);
    if (this.scrolled() === this.lastWhere) {
      const report = this.focusReport();
      if (report && clear(report) && !running()) return report;
    }
    await frame();
    await frame();
    let report, still = 0;
    for (let i = 0; i < 300; i++) {
      report = this.focusReport();
      const moving = performance.now() - this.lastScroll < 60 || running();
      still = moving ? 0 : still + 1;
      if ((still && clear(report)) || still >= 30) break;
      await frame();
    }
    this.lastWhere = this.scrolled();
    return report;
  },
  lastScroll: 0,
  lastWhere: null,
  ids: new Map(),

  describe(el) {
    const text = (el.getAttribute("aria-label") || el.textContent || el.value || "")
      .trim().replace(/\\s+/g, " ").slice(0, 40);
    const cls = el.className && typeof el.className === "string"
      ? "." + el.className.trim().split(/\\s+/).join(".") : "";
    return `<${el.tagName.toLowerCase()}${cls}> "${text}"`;
  },

  /* Where the focused element is, and whether anything is painted over it. */
  focusReport() {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const box = el.getBoundingClientRect();
    const first = el.getClientRects()[0] || box;
    const x = first.left + first.width / 2, y = first.top + first.height / 2;
    const hit = document.elementFromPoint(x, y);
    /* the sticky header painted over any part of the element's first line */
    const header = document.querySelector(".mobile-header");
    const top = Math.max(first.top + Math.min(3, first.height / 4), 0);
    const at = quarter => document.elementFromPoint(first.left + quarter * first.width / 4, top);
    const underHeader = Boolean(header && !header.contains(el))
      && [1, 2, 3].some(quarter => header.contains(at(quarter)));
    if (!this.ids.has(el)) this.ids.set(el, this.ids.size + 1);
    return {
      id: this.ids.get(el),
      what: this.describe(el),
      box: [box.left, box.top, box.right, box.bottom].map(Math.round),
      onScreen: box.left >= -1 && box.top >= -1 && box.right <= innerWidth + 1
        && box.bottom <= innerHeight + 1 && box.width > 0 && box.height > 0,
      underHeader,
      coveredBy: hit && el.contains(hit) ? null : (hit ? this.describe(hit) : "nothing"),
      inArticle: Boolean(el.closest("article[role=main]")),
    };
  },

  /* Focus the article's last focusable element (its first, going backwards), so that
     the next key press leaves the article: a walk of the page's chrome alone. */
  acrossArticle(backwards) {
    const focusable = [...document.querySelectorAll("article[role=main] :is("
      + "a[href], button, input, select, textarea, summary, [tabindex])")]
      .filter(e => e.tabIndex >= 0 && e.checkVisibility({visibilityProperty: true}));
    (backwards ? focusable[0] : focusable.at(-1)).focus();
    this.lastWhere = this.scrolled();
  },

  parse(colour) {
    const [r, g, b, a = 1] = colour.match(/[\\d.]+/g).map(Number);
    return [r, g, b, a];
  },
  over([r, g, b, a], [R, G, B]) {
    return [r * a + R * (1 - a), g * a + G * (1 - a), b * a + B * (1 - a)];
  },
  /* The colour painted behind an element: its and its ancestors' backgrounds. */
  background(el) {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      layers.push(this.parse(getComputedStyle(e).backgroundColor));
    }
    return layers.reverse().reduce((under, layer) => this.over(layer, under), [255, 255, 255]);
  },
  luminance(rgb) {
    const [r, g, b] = rgb.map(c => {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  },
  contrast(colour, el) {
    const back = this.background(el);
    const fore = this.over(this.parse(colour), back);
    const [hi, lo] = [this.luminance(fore), this.luminance(back)].sort((a, b) => b - a);
    return Math.round(((hi + 0.05) / (lo + 0.05)) * 100) / 100;
  },
};
"""


def open_page(tab, name: str):
    tab.goto(name)
    tab.evaluate(HELPERS)
    tab.evaluate(
        """addEventListener("scroll", () => (bookA11y.lastScroll = performance.now()),
                            {capture: true, passive: true})"""
    )
    tab.evaluate("document.fonts.ready")
    return tab


def settle(tab) -> None:
    tab.evaluate("bookA11y.settle()")


def focus_report(tab) -> dict | None:
    settle(tab)
    return tab.evaluate("bookA11y.focusReport()")


LOST = {
    "what": "focus",
    "box": None,
    "onScreen": False,
    "underHeader": False,
    "coveredBy": None,
    "inArticle": False,
}


def walk(tab, key: str, chrome_only: bool = False) -> list[dict]:
    """Every stop that *key* (Tab or Shift+Tab) makes, from outside the page round to it.

    Focus that falls back to the page itself on the way (its element hidden under it)
    is a stop "lost"; the walk ends where focus leaves the page or comes round again.
    *chrome_only* walks the page's chrome, around its article: focus goes across the
    article from the first stop in it.
    """
    stops = []
    across = False
    for _ in range(MAX_STOPS):
        tab.keyboard.press(key)
        stop = tab.evaluate("bookA11y.stop()")
        if stop is None and (not stops or stops[-1] is LOST):
            return stops[:-1]
        if stop is not None and stops and stop["id"] == stops[0]["id"]:
            return stops[:-1] if stops[-1] is LOST else stops
        stops.append(LOST if stop is None else stop)
        if chrome_only and not across and stop is not None and stop["inArticle"]:
            tab.evaluate("backwards => bookA11y.acrossArticle(backwards)", key != "Tab")
            across = True
    pytest.fail(f"{key} never left the page after {MAX_STOPS} stops")


def tab_to(tab, selector: str) -> None:
    """Press Tab until the element *selector* names has focus."""
    for _ in range(MAX_STOPS):
        tab.keyboard.press("Tab")
        if tab.evaluate("s => document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"Tab never reached {selector}")


def shown(tab, selector: str) -> list:
    """The elements *selector* names that are rendered (not display: none)."""
    return [
        el
        for el in tab.locator(selector).all()
        if el.evaluate("e => e.getClientRects().length > 0")
    ]


def seen(tab, selector: str) -> list:
    """The elements *selector* names that are painted: rendered, visible, on the page."""
    script = (
        "e => e.checkVisibility({visibilityProperty: true}) && e.getBoundingClientRect().right > 0"
    )
    return [el for el in tab.locator(selector).all() if el.evaluate(script)]


# -- 1. The keyboard, at every width -----------------------------------------------------


def badly_placed(stops: list[dict]) -> list[str]:
    if LOST in stops:
        return [f"focus was lost after {stops[stops.index(LOST) - 1]['what']}"]
    return [
        f"{stop['what']} at {stop['box']}: "
        + ", ".join(
            problem
            for problem, found in (
                ("off screen", not stop["onScreen"]),
                ("under the header", stop["underHeader"]),
                (f"covered by {stop['coveredBy']}", stop["coveredBy"]),
            )
            if found
        )
        for stop in stops
        if not stop["onScreen"] or stop["underHeader"] or stop["coveredBy"]
    ]


#: The one-page edition is every page's article under a chrome of its own: its chrome
#: is walked at every width, its article (three quarters of all the stops) at the
#: narrowest, where the header covers the most; the other pages' articles, the same
#: kinds of stop, at every width.
WHOLE_ONE_PAGE_AT = "375x740"


@every_page_and_width
def test_every_tab_stop_is_on_screen_and_clear_of_the_header(open_context, page_name, size):
    # With reduced motion focus comes to rest where it does otherwise, without a
    # smooth scroll to wait out at every other stop (book.css turns them off).
    chrome_only = page_name == "one-page" and size != WHOLE_ONE_PAGE_AT
    tab = open_context(viewport=VIEWPORTS[size], reduced_motion="reduce").new_page()
    open_page(tab, PAGES[page_name])
    forward = walk(tab, "Tab", chrome_only)
    assert len(forward) >= 5, [s["what"] for s in forward]
    assert not badly_placed(forward), "\n".join(badly_placed(forward))
    open_page(tab, PAGES[page_name])
    backward = walk(tab, "Shift+Tab", chrome_only)
    assert not badly_placed(backward), "\n".join(badly_placed(backward))
    # the same stops, less "Back to top", which furo shows only when scrolling up (and,
    # around the article, less the article's first and last, where the walks cross it)
    ignored = {'<a.back-to-top.muted-link> "Back to top"'}
    if chrome_only:
        ignored |= {stop["what"] for stop in forward + backward if stop["inArticle"]}
    assert {s["what"] for s in backward} - ignored == {s["what"] for s in forward} - ignored


def drawer_state(tab, button: str, drawer: str) -> dict:
    settle(tab)
    return tab.evaluate(
        """([button, drawer]) => {
            const b = document.activeElement.matches(button)
              ? document.activeElement : [...document.querySelectorAll(button)]
                .find(e => e.getClientRects().length);
            const d = document.querySelector(drawer);
            const box = d.getBoundingClientRect();
            return {
                expanded: b.getAttribute("aria-expanded"),
                controls: b.getAttribute("aria-controls"),
                open: getComputedStyle(d).visibility === "visible"
                  && box.left >= -1 && box.right <= innerWidth + 1,
                focusInside: d.contains(document.activeElement),
                focusOnButton: document.activeElement === b,
            };
        }""",
        [button, drawer],
    )


#: One page of each chrome: the landing page (with its own contents), a chapter (none:
#: the FAQ's is the same) and the one-page edition (the whole book's contents).
every_chrome_and_width = pytest.mark.parametrize(
    ("page_name", "size"),
    [(page, size) for page in ("one-page", "chapter", "landing") for size in VIEWPORTS],
)


@every_chrome_and_width
def test_the_menu_and_contents_open_and_close_from_the_keyboard(open_context, page_name, size):
    tab = open_page(tab_at(open_context, size), PAGES[page_name])
    width = VIEWPORTS[size]["width"]
    for name, (button, drawer) in DRAWERS.items():
        if not shown(tab, button):
            # no button: the drawer's content is on the page, in view
            hidden = tab.locator(drawer).evaluate("d => d.classList.contains('no-toc')")
            if not hidden:
                box = tab.locator(drawer).bounding_box()
                assert box["x"] >= 0, name
                assert box["x"] + box["width"] <= width + 1, name
            assert width > 1008 or name == "contents", f"no {name} button at {size}"
            continue
        tab.evaluate("document.activeElement?.blur()")
        tab_to(tab, button)
        closed = drawer_state(tab, button, drawer)
        assert closed["expanded"] == "false"
        assert closed["controls"] == drawer.removeprefix("#")
        assert not closed["open"]
        for key in ("Enter", "Space"):
            tab.keyboard.press(key)
            opened = drawer_state(tab, button, drawer)
            assert opened["expanded"] == "true", f"{name}: {key} did not open it"
            assert opened["open"], f"{name} after {key}: {opened}"
            assert opened["focusInside"], f"{name} after {key}: {opened}"
            report = focus_report(tab)
            assert not badly_placed([report]), report
            tab.keyboard.press("Escape")
            closed = drawer_state(tab, button, drawer)
            assert closed["expanded"] == "false", f"{name}: Escape did not close it"
            assert not closed["open"]
            assert closed["focusOnButton"], f"{name}: Escape did not give focus back"
        # Tabbing on out of the open drawer closes it, and focus stays in view.
        tab.keyboard.press("Enter")
        for _ in range(MAX_STOPS):
            tab.keyboard.press("Shift+Tab")
            if not tab.evaluate(
                "d => document.querySelector(d).contains(document.activeElement)", drawer
            ):
                break
        state = drawer_state(tab, button, drawer)
        assert state["expanded"] == "false", f"{name} stayed open"
        assert not state["open"], f"{name} stayed open"
        report = focus_report(tab)
        assert report is None or not badly_placed([report]), report


def test_with_reduced_motion_the_menu_opens_at_once_and_nothing_scrolls_smoothly(open_context):
    context = open_context(viewport=VIEWPORTS["375x740"], reduced_motion="reduce")
    tab = open_page(context.new_page(), CHAPTER)
    styles = tab.evaluate(
        """() => ({
            scroll: getComputedStyle(document.documentElement).scrollBehavior,
            drawer: getComputedStyle(document.querySelector('.sidebar-drawer')).transitionDuration,
        })"""
    )
    assert styles["scroll"] == "auto"
    assert set(styles["drawer"].split(", ")) == {"0s"}
    tab_to(tab, "button.nav-overlay-icon")
    tab.keyboard.press("Enter")
    # no waiting: the drawer is where it ends up, and nothing is animating
    assert (
        tab.evaluate("document.querySelector('#book-navigation').getBoundingClientRect().left") == 0
    )
    assert tab.evaluate("document.getAnimations().length") == 0


# -- 2. Zoom, spacing and colours ---------------------------------------------------------

TEXT_PROBLEMS = """() => {
  const problems = [];
  const describe = el => bookA11y.describe(el);
  const seen = el => el.checkVisibility({visibilityProperty: true, opacityProperty: true});
  /* text cut off by a box that hides what overflows it */
  for (const el of [document.documentElement, ...document.body.querySelectorAll("*")]) {
    if (!seen(el) || !el.textContent.trim()) continue;
    const style = getComputedStyle(el);
    const hides = o => o === "hidden" || o === "clip";
    if (hides(style.overflowX) && el.scrollWidth > el.clientWidth + 1)
      problems.push(`${describe(el)} cuts off its text at the side`);
    if (hides(style.overflowY) && el.scrollHeight > el.clientHeight + 1)
      problems.push(`${describe(el)} cuts off its text at the bottom`);
  }
  /* every line of text: inside the page, and over no other */
  const fixedAncestor = el => {
    for (let e = el; e; e = e.parentElement)
      if (getComputedStyle(e).position === "fixed") return true;
    return false;
  };
  const lines = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !seen(el)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      if (r.width < 1 || r.height < 1) continue;
      const top = r.top + scrollY, bottom = r.bottom + scrollY;
      if (fixedAncestor(el) && (r.bottom <= 0 || r.right <= 0)) continue;  // parked off screen
      if (top < -1 || r.left < -1 || r.right > innerWidth + 1)
        problems.push(`"${node.textContent.trim().slice(0, 30)}" is outside the page`);
      lines.push({node, el, left: r.left, right: r.right, top, bottom});
    }
  }
  lines.sort((a, b) => a.top - b.top);
  for (let i = 0; i < lines.length; i++) {
    const a = lines[i];
    for (let j = i + 1; j < lines.length && lines[j].top < a.bottom - 2; j++) {
      const b = lines[j];
      if (a.node === b.node) continue;
      const wide = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const high = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (wide > 2 && high > 2)
        problems.push(`"${a.node.textContent.trim().slice(0, 30)}" overlaps `
          + `"${b.node.textContent.trim().slice(0, 30)}"`);
    }
  }
  /* the header holds its title */
  const header = document.querySelector(".mobile-header");
  const title = header?.querySelector(".brand");
  if (title && title.getClientRects().length) {
    const h = header.getBoundingClientRect(), t = title.getBoundingClientRect();
    if (t.top < h.top - 1 || t.bottom > h.bottom + 1)
      problems.push(`the header's title (${Math.round(t.height)} px) spills out of the header `
        + `(${Math.round(h.height)} px)`);
  }
  return [...new Set(problems)];
}"""


@pytest.mark.parametrize("page_name", PAGES)
def test_with_wcag_text_spacing_no_text_is_cut_off_or_overlaps(open_context, page_name):
    """At the reflow width and every other: the page is loaded once, given the spacing,
    and looked at as the window takes each width (what moves on the way is waited out)."""
    tab = open_page(tab_at(open_context, "320x640"), PAGES[page_name])
    tab.add_style_tag(content=TEXT_SPACING)
    problems = []
    for size, viewport in {"320x640": REFLOW, **VIEWPORTS}.items():
        tab.set_viewport_size(viewport)
        settle(tab)
        problems += [f"{size}: {problem}" for problem in tab.evaluate(TEXT_PROBLEMS)]
    assert not problems, "\n".join(problems)


def forced_colours(tab) -> None:
    """Windows' contrast themes, as the DevTools protocol emulates them."""
    cdp = tab.context.new_cdp_session(tab)
    cdp.send(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "forced-colors", "value": "active"}]},
    )
    assert tab.evaluate("matchMedia('(forced-colors: active)').matches")


ICONS = [
    "button.nav-overlay-icon svg",
    ".theme-toggle svg",
    "button.toc-overlay-icon:not(.no-toc) svg",
    ".admonition.book-highlight .sd-octicon",
    ".sd-dropdown .sd-summary-state-marker svg",
    ".related-pages svg",
]
BORDERS = [
    ".mobile-header",
    ".sidebar-search",
    ".admonition.book-highlight",
    ".sd-dropdown > summary",
    ".book-download",
]


def drawn(tab, element, hide: str) -> bool:
    """Whether hiding an icon changes the pixels where it is."""
    box = element.bounding_box()
    clip = {k: box[k] for k in ("x", "y", "width", "height")}
    before = tab.screenshot(clip=clip)
    hidden = tab.add_style_tag(content=hide)
    after = tab.screenshot(clip=clip)
    hidden.evaluate("style => style.remove()")
    return before != after


@pytest.mark.parametrize("size", ["375x740", "1280x800"])
@pytest.mark.parametrize("page_name", ["landing", "chapter", "faq"])
def test_in_forced_colours_every_icon_and_border_is_still_drawn(open_context, page_name, size):
    tab = open_page(tab_at(open_context, size), PAGES[page_name])
    forced_colours(tab)
    missing, checked = [], 0
    for selector in ICONS:
        for icon in seen(tab, selector):
            icon.scroll_into_view_if_needed()
            settle(tab)
            icon.evaluate("e => e.dataset.bookProbe = ''")
            if not drawn(tab, icon, "[data-book-probe] { visibility: hidden !important; }"):
                missing.append(selector)
            icon.evaluate("e => delete e.dataset.bookProbe")
            checked += 1
    search = seen(tab, ".sidebar-search-container")
    if search:
        checked += 1
        if not drawn(tab, search[0], ".sidebar-search-container::before { display: none; }"):
            missing.append("the search icon")
    for selector in BORDERS:
        for element in seen(tab, selector):
            checked += 1
            faint = element.evaluate(
                """e => {
                    const s = getComputedStyle(e);
                    return ["Top", "Right", "Bottom", "Left"].filter(side =>
                        parseFloat(s[`border${side}Width`]) > 0
                        && s[`border${side}Style`] !== "none"
                        && bookA11y.contrast(s[`border${side}Color`], e.parentElement) < 3);
                }"""
            )
            drawn_sides = element.evaluate(
                """e => ["Top", "Right", "Bottom", "Left"].some(side =>
                    parseFloat(getComputedStyle(e)[`border${side}Width`]) > 0)"""
            )
            if faint or not drawn_sides:
                missing.append(f"{selector} border {faint or 'gone'}")
    assert checked >= 4
    assert not missing, missing


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_search_placeholder_reads_at_4_5_to_1_in_either_theme(open_context, scheme):
    tab = open_page(open_context(scheme=scheme).new_page(), CHAPTER)
    field = tab.locator(".sidebar-search")
    measure = "e => bookA11y.contrast(getComputedStyle(e, '::placeholder').color, e)"
    ratios = {"at rest": field.evaluate(measure)}
    field.focus()
    settle(tab)
    ratios["focused"] = field.evaluate(measure)
    assert min(ratios.values()) >= 4.5, ratios


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_links_in_the_text_are_underlined_visibly_in_either_theme(open_context, scheme):
    tab = open_page(open_context(scheme=scheme).new_page(), "backmatter/glossary.html")
    links = tab.evaluate(
        """() => [...document.querySelectorAll("article p a[href]")].map(a => {
            const s = getComputedStyle(a);
            return {
                text: a.textContent.trim(),
                underlined: s.textDecorationLine.includes("underline"),
                contrast: bookA11y.contrast(s.textDecorationColor, a),
            };
        })"""
    )
    assert len(links) >= 3
    faint = [link for link in links if not link["underlined"] or link["contrast"] < 3]
    assert not faint, faint


# -- 3. Structure, as the accessibility tree gives it --------------------------------------

# (YAML quotes an entry whose name has a colon in it)
LANDMARK = re.compile(
    r"""^\s*- '?(banner|navigation|main|complementary|contentinfo|search|region)"""
    r"""(?: "([^"]*)")?"""
)
HEADING = re.compile(r"""^\s*- '?heading "(.*)" \[level=(\d)\]""")


def outline(tab) -> tuple[list[tuple[str, str]], list[tuple[int, str]]]:
    """The landmarks (role, name) and headings (level, text) a screen reader is given."""
    tree = tab.locator("body").aria_snapshot()
    landmarks = [(m[1], m[2] or "") for m in map(LANDMARK.match, tree.splitlines()) if m]
    return landmarks, headings_in(tree)


#: Width changes the landmarks only through what is shown: the phone's header and
#: drawers below 1008 px (the same at 375 and 640 px), both sidebars from 1312 px,
#: which show every region the 1280 px layout has and more.
@pytest.mark.parametrize(
    ("page_name", "size"),
    [(page, size) for page in reversed(PAGES) for size in ("375x740", "1920x1080")],
)
def test_landmarks_and_headings_make_sense_to_a_screen_reader(open_context, page_name, size):
    tab = open_page(tab_at(open_context, size), PAGES[page_name])
    landmarks, headings = outline(tab)
    roles = [role for role, _ in landmarks]
    assert roles.count("main") == 1, landmarks
    header_shown = bool(shown(tab, ".mobile-header"))
    assert roles.count("banner") == (1 if header_shown else 0), landmarks
    if header_shown:  # the menu is a closed drawer: open it, as a screen-reader user would
        tab_to(tab, "button.nav-overlay-icon")
        tab.keyboard.press("Enter")
        settle(tab)
        landmarks, _ = outline(tab)
    assert ("navigation", "Book") in landmarks, landmarks
    assert all(name for role, name in landmarks if role in {"navigation", "complementary"})
    assert headings[0][0] == 1, f"{headings[0]} comes before the page's h1"
    climbs = [(a, b) for a, b in itertools.pairwise(headings) if b[0] > a[0] + 1]
    assert not climbs, f"headings skip a level: {climbs}"


def headings_in(tree: str) -> list[tuple[int, str]]:
    """The headings (level, text) of an accessibility tree as ``aria_snapshot`` gives it."""
    return [(int(m[2]), m[1]) for m in map(HEADING.match, tree.splitlines()) if m]


@reads_the_audit
def test_every_page_has_an_h1_first_and_a_title_of_its_own(audit, site):
    """Read from the one load of every page that the axe audit makes (``browser.py``)."""
    problems = [
        f"{name}: first heading {headings_in(tree)[:1]}"
        for name, tree in audit.trees.items()
        if not headings_in(tree) or headings_in(tree)[0][0] != 1
    ]
    titles: dict[str, list[str]] = {}
    for name, title in audit.titles.items():
        titles.setdefault(title, []).append(name)
    shared = {title: names for title, names in titles.items() if len(names) > 1}
    assert not problems, problems
    assert not shared, shared
    assert len(titles) == len(site.pages) >= 24


def test_the_theme_toggle_says_which_theme_is_on(open_context):
    tab = open_page(open_context().new_page(), CHAPTER)
    toggle = ".theme-toggle-content .theme-toggle"
    tab_to(tab, toggle)
    names = []
    for _ in range(3):
        names.append(tab.locator(toggle).evaluate("b => b.getAttribute('aria-label')"))
        tab.keyboard.press("Enter")
    assert names == [
        "Change colour theme (now automatic: light)",
        "Change colour theme (now dark)",
        "Change colour theme (now light)",
    ]
    assert tab.get_by_role("button", name="Change colour theme (now automatic: light)").count()


def test_search_results_are_announced_as_a_status(open_context):
    tab = open_context().new_page()
    tab.goto("search.html?q=Samantha")
    status = tab.get_by_role("status")
    status.filter(has_text="found").wait_for()
    assert re.search(r"found \d+ pages", status.inner_text())
    _, headings = outline(tab)
    assert headings[0] == (1, "Search")
