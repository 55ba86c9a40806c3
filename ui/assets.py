"""The page's CSS and its one script (marker clicks, the article reader), as strings.

The script only moves focus around HTML the server rendered: a click on a marker [n]
shows its source card; "Open in article" switches to the reader, shows the article and
scrolls to the paragraph. No network calls, nothing loaded from elsewhere.
"""

CSS = """
.app-header h1 { font-size: 1.55rem; margin: 0 0 .2rem; }
.app-header p { margin: 0; color: var(--body-text-color-subdued); }
#chat .placeholder-content { width: 100%; padding-top: 18vh; }
#chat .placeholder {
  max-width: 30em; margin: 0 auto; text-align: center; color: var(--body-text-color-subdued);
}
#chat .placeholder strong { color: var(--body-text-color); font-size: 1.1em; }
#chat .answer p { margin: 0 0 .55em; line-height: 1.55; }
a.cite, .cite.demo {
  display: inline-block; font-size: .74em; font-weight: 650; line-height: 1.3;
  vertical-align: super; margin: 0 1px; padding: 0 .35em; border-radius: .45em;
  background: var(--color-accent-soft); color: var(--color-accent) !important;
  text-decoration: none !important; cursor: pointer;
  border: 1px solid var(--color-accent);
}
a.cite:hover, a.cite:focus { background: var(--color-accent); color: white !important; }
.answer .meta { font-size: .8em; color: var(--body-text-color-subdued); margin-top: .25em; }
.answer .meta.warn { color: #b45309; }
.refusal {
  border-left: 4px solid #d97706; background: rgba(245, 158, 11, .12);
  padding: .6em .8em; border-radius: .4em; margin-bottom: .4em;
}
.refusal-head { font-weight: 700; font-size: 1.05em; margin-bottom: .2em; }
.refusal .closest { margin-top: .4em; font-size: .9em; }
.refusal .closest a.open-reader { font-weight: 500; }
.error-box {
  border-left: 4px solid #dc2626; background: rgba(220, 38, 38, .1);
  padding: .6em .8em; border-radius: .4em;
}
a.open-reader { cursor: pointer; color: var(--color-accent); font-weight: 600; }
.sources, .reader .docs { max-height: 66vh; overflow-y: auto; padding-right: .4em; }
.examples-label p { margin: .2em 0 -.4em; font-size: .85em; color: var(--body-text-color-subdued); }
.sources-empty { color: var(--body-text-color-subdued); padding: .4em .2em; }
.turn-q { font-weight: 650; margin: .2em 0 .6em; }
.src {
  border: 1px solid var(--border-color-primary); border-radius: .6em;
  padding: .6em .75em; margin-bottom: .65em; background: var(--background-fill-secondary);
  transition: box-shadow .3s, border-color .3s;
}
.src.is-active {
  border-color: var(--color-accent); box-shadow: 0 0 0 3px var(--color-accent-soft);
}
.src-head { display: flex; gap: .5em; align-items: baseline; flex-wrap: wrap; font-size: .92em; }
.src-head .badge { font-weight: 700; color: var(--color-accent); }
.src-head .src-title { font-weight: 650; flex: 1 1 auto; }
.src-head .src-label, .src-head .score {
  font-size: .85em; color: var(--body-text-color-subdued); white-space: nowrap;
}
.src-text { margin: .45em 0; line-height: 1.5; font-size: .93em; }
.src-foot { text-align: right; font-size: .88em; }
mark { background: rgba(250, 204, 21, .45); color: inherit; padding: 0 .1em; border-radius: .2em; }
.near-head { font-weight: 600; color: #b45309; }
details.earlier { margin-top: .8em; }
details.earlier summary { cursor: pointer; color: var(--body-text-color-subdued); }
.reader-nav { display: flex; flex-wrap: wrap; gap: .35em; margin-bottom: .8em; }
.reader-nav .nav-item {
  font-size: .82em; font-weight: 500; padding: .25em .6em; border-radius: 1em;
  border: 1px solid var(--border-color-primary); text-decoration: none;
}
.reader-nav .nav-item.is-current {
  background: var(--color-accent-soft); border-color: var(--color-accent);
}
.doc.is-hidden { display: none; }
.doc-title {
  font-size: 1.3rem; margin: 0; padding: .3em 0; position: sticky; top: 0; z-index: 1;
  background: var(--background-fill-primary);
}
.doc-meta { color: var(--body-text-color-subdued); font-size: .88em; margin: 0 0 .9em; }
.doc-meta .assigned {
  border: 1px dashed var(--border-color-primary); border-radius: .4em; padding: 0 .4em;
  font-size: .9em; cursor: help;
}
.doc-section { font-size: 1.05rem; margin: 1em 0 .4em; }
.para {
  position: relative; margin: 0 0 .7em; padding: .3em .5em .3em 3.4em; line-height: 1.6;
  border-radius: .4em; transition: background .4s, box-shadow .4s;
}
.para .pnum {
  position: absolute; left: .4em; top: .35em; font-size: .78em; font-weight: 600;
  color: var(--body-text-color-subdued);
}
.para.caption, .para.note {
  font-style: italic; font-size: .9em; color: var(--body-text-color-subdued);
  border-left: 3px solid var(--border-color-primary); padding-left: 6.2em;
}
.para.caption .pnum, .para.note .pnum { font-style: normal; }
.para.is-target {
  background: rgba(250, 204, 21, .28); box-shadow: 0 0 0 2px rgba(217, 119, 6, .6);
}
"""

JS = """
(() => {
  if (window.__ragReader) return;
  window.__ragReader = true;
  const all = (sel) => Array.from(document.querySelectorAll(sel));
  const later = (fn) => requestAnimationFrame(() => requestAnimationFrame(fn));
  const targetOf = (link) => decodeURIComponent((link.getAttribute("href") || "").slice(1));
  // Scroll only the panel holding `el` (not the page), putting `el` near its top third.
  function reveal(el, box, where) {
    if (!box) return el.scrollIntoView({ block: "nearest" });
    const offset = el.getBoundingClientRect().top - box.getBoundingClientRect().top;
    box.scrollTop += offset - (where === "start" ? 0 : box.clientHeight / 4);
  }
  function selectTab(id) {
    const button = document.getElementById(id + "-button");
    if (button && button.getAttribute("aria-selected") !== "true") button.click();
  }
  // Show the article holding element `id` (a paragraph or an article) and scroll to it.
  function openReader(id) {
    selectTab("reader-tab");
    later(() => {
      const target = document.getElementById(id);
      const doc = target && target.closest(".doc");
      if (!doc) return;
      all(".reader .doc").forEach((d) => d.classList.toggle("is-hidden", d !== doc));
      all(".reader-nav .nav-item").forEach((n) => {
        n.classList.toggle("is-current", n.dataset.article === doc.dataset.article);
      });
      all(".para.is-target").forEach((p) => p.classList.remove("is-target"));
      if (target !== doc) target.classList.add("is-target");
      reveal(target, doc.closest(".docs"), target === doc ? "start" : "third");
    });
  }
  // Show marker [n]'s source card (cards of earlier answers sit in folded details).
  function showSource(id) {
    const card = document.getElementById(id);
    if (!card) return;
    selectTab("sources-tab");
    const folded = card.closest("details");
    if (folded) folded.open = true;
    later(() => {
      all(".src.is-active").forEach((c) => c.classList.remove("is-active"));
      card.classList.add("is-active");
      reveal(card, card.closest(".sources"), "third");
    });
  }
  document.addEventListener("click", (event) => {
    const el = event.target instanceof Element ? event.target : null;
    const link = el && el.closest("a.cite, a.open-reader");
    if (!link) return;
    event.preventDefault();
    event.stopPropagation();
    if (link.classList.contains("cite")) showSource(targetOf(link));
    else openReader(targetOf(link));
  }, true);
})();
"""

HEAD = f"<script>{JS}</script>"
