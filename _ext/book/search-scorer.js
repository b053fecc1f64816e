/* The web edition's search scorer (conf.py's html_search_scorer, which Sphinx puts in
   language_data.js in place of its own): Sphinx's weights, as searchtools.js sets them,
   and the pages that are the edition's apparatus rather than the essay (the landing
   page, the glossary, the notes on this edition), ranked below every page of the
   essay. The search page names them (_templates/search.html, from book_essay_docs). */
"use strict";

var Scorer = {
  score: (result) => {
    const [docname, , , , score] = result;
    Scorer.apparatus ??= new Set(
      (document.querySelector('meta[name="book-apparatus"]')?.content ?? "").split(" ")
    );
    return Scorer.apparatus.has(docname) ? score - 100 : score;
  },
  objNameMatch: 11,
  objPartialMatch: 6,
  objPrio: { 0: 15, 1: 5, 2: -5 },
  objPrioDefault: 0,
  title: 15,
  partialTitle: 7,
  term: 5,
  partialTerm: 2,
};
