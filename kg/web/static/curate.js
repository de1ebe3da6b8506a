// kg curate: the workbench's pages. The article's text and every value from the data are
// put into the page as text (textContent), never as markup.
"use strict";

const DATA = JSON.parse(document.getElementById("kg-data").textContent);
const TOKEN = document.querySelector('meta[name="kg-token"]').content;

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

async function post(url, body) {
  const response = await fetch(url, {
    method: "POST",
    headers: {"Content-Type": "application/json", "X-KG-Token": TOKEN},
    body: JSON.stringify(body),
  });
  let data = {};
  try { data = await response.json(); } catch (e) { data = {error: response.statusText}; }
  return {status: response.status, ok: response.ok, data};
}

// --- the list of articles ------------------------------------------------------------------

async function listPage() {
  const file = document.getElementById("new-file");
  file.addEventListener("change", async () => {
    if (file.files.length) document.getElementById("new-text").value = await file.files[0].text();
  });
  document.getElementById("new-article").addEventListener("submit", (event) => {
    event.preventDefault();
    busy(async () => {
      const out = document.getElementById("new-result");
      const {ok, data} = await post("/api/articles", {
        text: document.getElementById("new-text").value,
        slug: document.getElementById("new-slug").value,
        name: file.files.length ? file.files[0].name : "pasted text",
      });
      out.hidden = false;
      out.textContent = ok ? data.text : data.error;
      out.className = "result " + (ok ? "good" : "bad");
      if (ok) window.location.href = `/article/${encodeURIComponent(data.id)}`;
    });
  });
  for (const row of document.querySelectorAll("#articles tr[data-id]")) {
    const cell = row.querySelector(".state");
    if (!cell) continue;
    const response = await fetch(`/api/articles/${encodeURIComponent(row.dataset.id)}/check`);
    const data = await response.json();
    const errors = (data.problems || []).filter((p) => p.kind !== "warning").length;
    cell.textContent = errors ? `${errors} problem${errors > 1 ? "s" : ""}` : "checks pass";
    cell.className = "state " + (errors ? "bad" : "good");
    row.querySelector(".cited").textContent = `${data.cited}%`;
  }
}

// --- an article ----------------------------------------------------------------------------

const VOCAB = DATA.vocabulary || {};
let VIEW = null;          // what /api/articles/<id> returned
let SELECTION = null;     // {start, end, words, count, sentence}
let PICKING = null;       // "evidence": the next item clicked gets the selection as evidence
let PENDING = null;       // the edit the form or a suggestion is saving (kept on a conflict)

function status(text, kind) {
  const node = document.getElementById("status");
  node.textContent = text;
  node.className = "status " + (kind || "");
}

async function load(message) {
  const response = await fetch(`/api/articles/${encodeURIComponent(DATA.id)}`);
  if (!response.ok) { status((await response.json()).error, "bad"); return; }
  VIEW = await response.json();
  render();
  document.body.dataset.loads = String(Number(document.body.dataset.loads || 0) + 1);
  const errors = VIEW.problems.length + VIEW.items.reduce((n, i) => n + i.problems.filter((p) => p.kind !== "warning").length, 0);
  const summary = errors ? `${errors} problem${errors > 1 ? "s" : ""} (checked in ${VIEW.checked} s)` : `checks pass (in ${VIEW.checked} s)`;
  status(message ? `${message}; ${summary}` : summary, errors ? "bad" : "good");
}

function sentenceAt(offset) {
  return VIEW.sentences.findIndex((s) => s.start <= offset && offset < s.end);
}

function describe(value) {
  const skip = new Set(["id", "about", "type", "label", "evidence", "reading", "note", "rank", "rankReason"]);
  return Object.entries(value).filter(([k]) => !skip.has(k))
    .map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : v}`).join("; ");
}

function render() {
  document.getElementById("title").textContent = VIEW.title;
  document.title = `kg curate: ${VIEW.title}`;
  renderText();
  renderItems();
  renderProblems();
  renderSuggestions();
  const list = document.getElementById("entity-ids");
  list.replaceChildren(...VIEW.entities.map((e) => el("option", {value: e.id}, `${e.label} (${e.type})`)));
}

function renderText() {
  const text = VIEW.text;
  const marks = [];  // [start, end, kind, info]
  VIEW.items.forEach((item, i) => { if (item.evidence) marks.push([...item.evidence, "cited", i]); });
  for (const m of VIEW.mentions) marks.push([m.start, m.end, "known", m]);
  for (const u of VIEW.unknown) marks.push([u.start, u.end, "unknown", u]);
  const bounds = new Set([0, text.length]);
  for (const [a, b] of marks) { bounds.add(a); bounds.add(b); }
  for (const s of VIEW.sentences) { bounds.add(s.start); bounds.add(s.end); }
  const sorted = [...bounds].sort((x, y) => x - y);
  const article = document.getElementById("text");
  article.replaceChildren();
  let sentence = null, sentenceIndex = -1;
  for (let k = 0; k + 1 < sorted.length; k++) {
    const a = sorted[k], b = sorted[k + 1];
    const si = sentenceAt(a);
    if (si !== sentenceIndex) {
      if (sentence && sentenceIndex >= 0) sentence.append(...badge(sentenceIndex));
      sentenceIndex = si;
      if (si >= 0) {
        sentence = el("span", {class: "sentence" + (VIEW.sentences[si].cited ? "" : " uncited"), dataset: {sentence: si}});
        article.append(sentence);
      } else {
        sentence = null;
      }
    }
    const here = marks.filter(([s, e]) => s <= a && b <= e);
    const classes = ["seg"];
    const cited = here.filter((m) => m[2] === "cited").map((m) => m[3]);
    if (cited.length) classes.push("cited");
    const known = here.find((m) => m[2] === "known");
    const unknown = here.find((m) => m[2] === "unknown");
    if (known) classes.push("known");
    if (unknown) classes.push("unknown");
    const title = [];
    if (known) title.push(`${known[3].label} (${known[3].id}, ${known[3].type})`);
    if (unknown) title.push(`not known yet: ${unknown[3].name}` + (unknown[3].maybe.length ? `; maybe ${unknown[3].maybe.join(", ")}` : ""));
    for (const i of cited) title.push(itemSummary(VIEW.items[i]));
    const seg = el("span", {class: classes.join(" "), dataset: {start: a, end: b, items: cited.join(" ")}, title: title.join("\n") || null}, text.slice(a, b));
    if (cited.length) seg.addEventListener("click", () => focusItems(cited));
    (sentence || article).append(seg);
  }
  if (sentence && sentenceIndex >= 0) sentence.append(...badge(sentenceIndex));
}

function badge(index) {
  const count = VIEW.suggestions.filter((s) => s.sentence === index).length;
  if (!count) return [];
  return [el("button", {type: "button", class: "badge", contenteditable: "false", title: `${count} suggestion(s) for this sentence`,
    onclick: () => showSuggestions(index)}, `+${count}`)];
}

function itemSummary(item) {
  const v = item.value;
  if (item.section === "entities") return `${v.id} (${v.type}): ${labelText(v.label)}` + (describe(v) ? ` — ${describe(v)}` : "");
  return `${v.about}: ${describe(v)}`;
}

function focusItems(indices) {
  document.querySelectorAll(".items li.focus").forEach((n) => n.classList.remove("focus"));
  let first = null;
  for (const i of indices) {
    const node = document.querySelector(`.items li[data-item="${i}"]`);
    if (node) { node.classList.add("focus"); first = first || node; }
  }
  if (first) first.scrollIntoView({block: "nearest"});
}

function highlight(span, on) {
  document.querySelectorAll("#text .seg").forEach((seg) => {
    const a = Number(seg.dataset.start), b = Number(seg.dataset.end);
    seg.classList.toggle("focus", on && span && a >= span[0] && b <= span[1]);
  });
}

function renderItems() {
  for (const section of ["entities", "facts"]) {
    const list = document.getElementById(section);
    list.replaceChildren();
    VIEW.items.forEach((item, i) => {
      if (item.section !== section) return;
      const v = item.value;
      const head = section === "entities"
        ? el("strong", {}, `${v.id} `, el("em", {}, v.type), `: ${labelText(v.label)}`)
        : el("strong", {}, v.about);
      const li = el("li", {dataset: {item: i, line: item.line}, class: item.problems.some((p) => p.kind !== "warning") ? "bad" : "",
          onmouseenter: () => highlight(item.evidence, true), onmouseleave: () => highlight(null, false),
          onclick: (event) => { if (PICKING && !event.target.closest("button")) useAsEvidence(item); }},
        head, describe(v) ? el("div", {class: "claims"}, describe(v)) : null,
        v.reading ? el("div", {class: "reading"}, "read: ", v.reading) : null,
        v.note ? el("div", {class: "note"}, "note: ", v.note) : null,
        v.evidence ? el("blockquote", {}, v.evidence) : null,
        item.problems.map((p) => el("div", {class: "problem " + p.kind}, `line ${p.line}: ${p.message}`)),
        el("div", {class: "actions"},
          el("small", {}, `facts.yaml:${item.line}`), " ",
          el("button", {type: "button", onclick: () => openForm({mode: "edit", item})}, "Edit"), " ",
          el("button", {type: "button", class: "delete", onclick: (event) => remove(item, event.target)}, "Delete")));
      list.append(li);
    });
  }
}

function renderProblems() {
  const list = document.getElementById("problems");
  const all = [...VIEW.problems, ...VIEW.items.flatMap((i) => i.problems)];
  document.getElementById("problem-count").textContent = all.length ? `(${all.length})` : "(none)";
  list.replaceChildren(...all.map((p) => el("li", {class: p.kind}, p.line ? `facts.yaml:${p.line}: ` : "", p.message)));
}

function renderSuggestions(only) {
  let panel = document.getElementById("suggestions");
  if (!panel) {
    panel = el("section", {id: "suggestions", class: "panel"}, el("h2", {}, "Suggestions ", el("small", {id: "suggestion-count"})), el("ol", {class: "items", id: "suggestion-list"}));
    document.getElementById("side").insertBefore(panel, document.getElementById("side").children[3]);
  }
  document.getElementById("suggestion-count").textContent = `(${VIEW.suggestions.length})`;
  const list = document.getElementById("suggestion-list");
  list.replaceChildren();
  for (const s of VIEW.suggestions) {
    if (only !== undefined && s.sentence !== only) continue;
    const v = s.value;
    const head = s.section === "entities" ? `new ${v.type}: ${labelText(v.label)} (${v.id})` : `${v.about}: ${describe(v)}`;
    list.append(el("li", {class: "suggestion", dataset: {key: s.key, sentence: s.sentence},
        onmouseenter: () => highlight([s.start, s.end], true), onmouseleave: () => highlight(null, false)},
      el("strong", {}, head),
      s.section === "entities" && describe(v) ? el("div", {class: "claims"}, describe(v)) : null,
      el("blockquote", {}, v.evidence),
      el("div", {class: "why"}, s.why),
      el("div", {class: "actions"},
        el("button", {type: "button", class: "accept", onclick: () => busy(() => accept(s))}, "Accept"), " ",
        el("button", {type: "button", onclick: () => openForm({mode: "suggestion", suggestion: s})}, "Edit…"), " ",
        el("button", {type: "button", class: "dismiss", onclick: () => dismissSuggestion(s)}, "Dismiss"))));
  }
  if (only !== undefined) list.append(el("li", {}, el("button", {type: "button", onclick: () => renderSuggestions()}, "Show every sentence's")));
}

function showSuggestions(index) {
  renderSuggestions(index);
  document.getElementById("suggestions").scrollIntoView({block: "start"});
}

async function accept(suggestion) {
  // the entities it uses, proposed and not declared yet, first
  const declared = new Set(VIEW.items.filter((i) => i.section === "entities").map((i) => i.value.id));
  for (const need of suggestion.needs) {
    if (declared.has(need)) continue;
    const entity = VIEW.suggestions.find((s) => s.section === "entities" && s.value.id === need);
    if (entity && entity !== suggestion && !(await write({section: "entities", value: entity.value}, false))) return;
  }
  await write({section: suggestion.section, value: suggestion.value}, true, "accepted");
}

async function dismissSuggestion(suggestion) {
  await busy(() => forget(suggestion));
}

async function forget(suggestion) {
  const {ok, data} = await post(`/api/articles/${encodeURIComponent(DATA.id)}/dismiss`, {key: suggestion.key});
  if (!ok) { status(data.error, "bad"); return; }
  VIEW.suggestions = VIEW.suggestions.filter((s) => s.key !== suggestion.key);
  renderSuggestions();
  renderText();
}

async function remove(item, button) {
  if (!button.classList.contains("really")) {
    button.classList.add("really");
    button.textContent = "Really delete?";
    const disarm = () => { button.classList.remove("really"); button.textContent = "Delete"; };
    setTimeout(disarm, 4000);  // armed for a moment only, then a click is a first click again
    button.addEventListener("mouseleave", disarm, {once: true});
    return;
  }
  await write({section: item.section, index: item.index, was: item.value}, true, "deleted");
}

function stopPicking() {
  PICKING = null;
  document.body.classList.remove("picking");
}

async function useAsEvidence(item) {
  stopPicking();
  const value = Object.assign({}, item.value, {evidence: SELECTION.words});
  await write({section: item.section, index: item.index, value, was: item.value}, true, "evidence set");
}

let BUSY = 0;
async function busy(work) {
  // the page is busy (body[data-busy="1"]) until a save, its checks and the reload end
  BUSY++;
  document.body.dataset.busy = "1";
  try { return await work(); } finally { BUSY--; document.body.dataset.busy = BUSY ? "1" : "0"; }
}

function write(edit, reload = true, done = "saved") {
  return busy(() => saveEdit(edit, reload, done));
}

async function saveEdit(edit, reload, done) {
  PENDING = edit;
  status("saving…", "");
  const {status: code, ok, data} = await post(`/api/articles/${encodeURIComponent(DATA.id)}/save`,
    {edit, digest: VIEW.digest, loaded: VIEW.facts_yaml});
  if (code === 409) { showConflict(data, edit); return false; }
  if (!ok) { status(data.error, "bad"); document.getElementById("form-message").textContent = data.error; return false; }
  PENDING = null;
  VIEW.digest = data.digest;
  closeForm();
  document.getElementById("selection").hidden = true;
  SELECTION = null;
  if (reload) await load(data.line ? `${done} (facts.yaml:${data.line})` : done);
  return true;
}

function showConflict(data, edit) {
  const panel = document.getElementById("conflict");
  panel.hidden = false;
  document.getElementById("conflict-diff").textContent = data.diff || "(the file differs from what the page loaded)";
  document.getElementById("conflict-mine").textContent = data.mine || JSON.stringify(edit, null, 2);
  status("not saved: facts.yaml changed on disk", "bad");
  document.getElementById("conflict-apply").onclick = async () => {
    panel.hidden = true;
    VIEW.digest = data.digest;
    VIEW.facts_yaml = data.current;
    await write(edit, true, "saved over the file as it is now");
  };
  document.getElementById("conflict-drop").onclick = async () => { panel.hidden = true; PENDING = null; await load("reloaded"); };
  panel.scrollIntoView({block: "start"});
}

// --- the selection -------------------------------------------------------------------------

function offsetOf(node, offset) {
  let seg = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
  seg = seg && seg.closest ? seg.closest(".seg") : null;
  if (!seg) return null;
  return Number(seg.dataset.start) + (node.nodeType === Node.TEXT_NODE ? offset : 0);
}

async function onSelect() {
  const selection = window.getSelection();
  if (!selection.rangeCount || selection.isCollapsed) return;
  const range = selection.getRangeAt(0);
  if (!document.getElementById("text").contains(range.commonAncestorContainer)) return;
  let start = offsetOf(range.startContainer, range.startOffset);
  let end = offsetOf(range.endContainer, range.endOffset);
  if (start === null || end === null || end <= start) return;
  // whole words: a selection that cuts a word takes all of it
  const text = VIEW.text;
  while (start > 0 && /\w/.test(text[start - 1]) && /\w/.test(text[start])) start--;
  while (end < text.length && /\w/.test(text[end]) && /\w/.test(text[end - 1])) end++;
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  const {ok, data} = await post(`/api/articles/${encodeURIComponent(DATA.id)}/locate`, {start, end});
  if (!ok) { status(data.error, "bad"); return; }
  SELECTION = {start, end, words: data.words, count: data.count, sentence: sentenceAt(start)};
  const panel = document.getElementById("selection");
  panel.hidden = false;
  document.getElementById("selected-words").textContent = data.words;
  const note = document.getElementById("selected-count");
  note.textContent = data.count === 1 ? "These words stand once in the article: they can be evidence."
    : `These words stand ${data.count} times in the article: select more of them, so that the evidence is one place.`;
  note.className = data.count === 1 ? "good" : "bad";
  panel.querySelectorAll("button").forEach((b) => { b.disabled = data.count !== 1; });
}

// --- the form ------------------------------------------------------------------------------

function mentionedFirst(range, near = false) {
  // first the article's own entities its facts say something of in the sentence, then
  // those the sentence names (by name before by demonym), then the article's own entities,
  // then (unless `near`) every other
  const sentence = SELECTION && SELECTION.sentence >= 0 ? VIEW.sentences[SELECTION.sentence] : null;
  const inside = (a, b) => sentence && a < sentence.end && sentence.start < b;
  const cited = sentence ? VIEW.items.filter((i) => i.evidence && inside(...i.evidence)).map((i) => i.value.id || i.value.about) : [];
  const named = sentence ? VIEW.mentions.filter((m) => m.start >= sentence.start && m.end <= sentence.end) : [];
  const here = [...cited, ...named.filter((m) => !m.demonym).map((m) => m.id), ...named.filter((m) => m.demonym).map((m) => m.id)];
  const own = VIEW.items.filter((i) => i.section === "entities").map((i) => ({id: i.value.id, type: i.value.type, label: i.value.label}));
  const all = [...own, ...VIEW.entities];
  const seen = new Set();
  const out = [];
  for (const id of here) { const e = all.find((x) => x.id === id); if (e && !seen.has(id)) { seen.add(id); out.push(e); } }
  for (const e of near ? own : all) if (!seen.has(e.id)) { seen.add(e.id); out.push(e); }
  return range ? out.filter((e) => isA(e.type, range)) : out;
}

function defaultSubject() {
  // the first entity near the words whose type takes the key their cue words suggest
  // ("hosted by": an event; "led by": a delegation), else the first near them
  const near = mentionedFirst(null, true);
  const guess = SELECTION ? guessClaim(Object.keys(VOCAB.keys), SELECTION.words) : null;
  const fits = guess ? near.find((e) => VOCAB.types[e.type] && VOCAB.types[e.type].keys.includes(guess.key) && !(guess.key === "participant" && e.id === suggestedValue("participant"))) : null;
  return (fits || near[0] || mentionedFirst()[0] || {}).id || "";
}

function isA(type, wanted) {
  // the classes a type falls under, from the ontology (the vocabulary's "is")
  return !wanted || Boolean(VOCAB.types[type] && VOCAB.types[type].is.includes(wanted));
}

function typeOf(id) {
  const own = VIEW.items.find((i) => i.section === "entities" && i.value.id === id);
  if (own) return own.value.type;
  const known = VIEW.entities.find((e) => e.id === id);
  return known ? known.type : null;
}

let listCount = 0;
function entityInput(value, range, name) {
  const id = `ids-${listCount++}`;
  const list = el("datalist", {id}, mentionedFirst(range).map((e) => el("option", {value: e.id}, `${e.label} (${e.type})`)));
  return el("span", {class: "entity"}, el("input", {name, list: id, value: value || "", autocomplete: "off", placeholder: range ? `an id (${range})` : "an id"}), list);
}

function valueWidget(key, value) {
  const spec = VOCAB.keys[key] || {kind: "string"};
  const kind = spec.kind;
  const wrap = el("span", {class: "value", dataset: {kind}});
  if (kind === "entity") wrap.append(entityInput(value, spec.range, "v"));
  else if (kind === "participation") {
    const v = typeof value === "object" && value ? value : {agent: value || "", role: "participant"};
    wrap.append(entityInput(v.agent, spec.range, "agent"), " as ",
      el("select", {name: "role"}, VOCAB.roles.map((r) => el("option", {value: r, selected: r === (v.role || "participant")}, r))));
  } else if (kind === "date") {
    const mode = value && typeof value === "object" ? (value.weekday ? "weekday" : "sameDayAs") : "day";
    const select = el("select", {name: "mode"}, [["day", "on a day"], ["weekday", "on a weekday"], ["sameDayAs", "on the day of"]].map(([m, t]) => el("option", {value: m, selected: m === mode}, t)));
    const day = el("input", {type: "date", name: "day", value: typeof value === "string" ? value : ""});
    const weekday = el("select", {name: "weekday"}, VOCAB.weekdays.map((w) => el("option", {value: w, selected: value && value.weekday && value.weekday.toLowerCase() === w.toLowerCase()}, w)));
    const same = entityInput(value && value.sameDayAs, "DiplomaticEvent", "sameDayAs");
    const show = () => { day.hidden = select.value !== "day"; weekday.hidden = select.value !== "weekday"; same.hidden = select.value !== "sameDayAs"; };
    select.addEventListener("change", show);
    wrap.append(select, " ", day, weekday, same);
    show();
  } else if (kind === "duration") {
    const found = /^P(?:(\d+)D)?(?:T(\d+)H)?$/.exec(value || "") || [];
    const hours = found[2] && !found[1];
    wrap.append(el("input", {type: "number", min: "0", name: "n", value: found[1] || found[2] || ""}), " ",
      el("select", {name: "unit"}, el("option", {value: "D", selected: !hours}, "days"), el("option", {value: "H", selected: hours}, "hours")));
  } else if (kind === "enum") {
    wrap.append(el("select", {name: "v"}, spec.values.map((x) => el("option", {value: x, selected: x === value}, x))));
  } else if (kind === "boolean") {
    wrap.append(el("select", {name: "v"}, el("option", {value: "true", selected: value !== false}, "true"), el("option", {value: "false", selected: value === false}, "false")));
  } else if (kind === "year" || kind === "count") {
    wrap.append(el("input", {type: "number", name: "v", value: value ?? ""}));
  } else if (kind === "quote") {
    const v = typeof value === "object" && value ? value : {text: value || "", verb: ""};
    wrap.append(el("input", {name: "text", value: v.text, placeholder: "the quoted words"}), " ", el("input", {name: "verb", value: v.verb || "", placeholder: "verb (optional)", size: 10}));
    if (v.translation || VIEW.language !== "en") wrap.append(" ", el("input", {name: "quote-translation", value: v.translation || "", placeholder: "your English (optional)", size: 24}));
  } else if (kind === "name" && value && typeof value === "object") {
    wrap.append(...namesInputs(value));
  } else {
    wrap.append(el("input", {name: "v", value: value ?? "", type: kind === "iri" ? "url" : "text"}));
  }
  if (spec.standsIn) {
    // words that must stand in the text are taken from it, never typed
    wrap.append(" ", el("button", {type: "button", class: "from-text", title: `select the words in the text, then click: they must stand in the ${spec.standsIn}`,
      onclick: () => {
        if (!SELECTION) { document.getElementById("form-message").textContent = "select the words in the text first"; return; }
        wrap.querySelector(kind === "quote" ? '[name="text"]' : '[name="v"]').value = SELECTION.words;
      }}, "⇐ selected words"));
  }
  return wrap;
}

function readWidget(wrap) {
  const kind = wrap.dataset.kind;
  const get = (name) => { const n = wrap.querySelector(`[name="${name}"]`); return n ? n.value.trim() : ""; };
  if (kind === "participation") return get("agent") ? {agent: get("agent"), role: get("role")} : null;
  if (kind === "date") {
    const mode = get("mode");
    if (mode === "weekday") return {weekday: get("weekday")};
    if (mode === "sameDayAs") return get("sameDayAs") ? {sameDayAs: get("sameDayAs")} : null;
    return get("day") || null;
  }
  if (kind === "duration") return get("n") ? (get("unit") === "H" ? `PT${get("n")}H` : `P${get("n")}D`) : null;
  if (kind === "boolean") return get("v") === "true";
  if (kind === "year" || kind === "count") return get("v") === "" ? null : Number(get("v"));
  if (kind === "quote") {
    if (!get("text")) return null;
    if (!get("verb") && !get("quote-translation")) return get("text");
    const quote = {text: get("text")};
    if (get("verb")) quote.verb = get("verb");
    if (get("quote-translation")) quote.translation = get("quote-translation");
    return quote;
  }
  if (wrap.querySelector("[data-lang]")) return readNames(wrap);
  return get("v") || null;
}

// a label as the page shows it: a name given in several languages, each with its language
function labelText(label) {
  return label && typeof label === "object" ? Object.entries(label).map(([lang, text]) => `${text} (${lang})`).join(" · ") : label;
}

// a name given in several languages ({en: ..., ru: ...}): one field for each language
function namesInputs(names) {
  return Object.entries(names).map(([lang, text]) => el("label", {class: "lang"}, `${lang} `, el("input", {value: text, dataset: {lang}, size: 24})));
}

function readNames(wrap) {
  const names = {};
  for (const input of wrap.querySelectorAll("[data-lang]")) if (input.value.trim()) names[input.dataset.lang] = input.value.trim();
  return Object.keys(names).length ? names : null;
}

function cueWords(cue) {
  return cue.replace(/\{[so]\}/g, " ").replace(/[’']s\b/g, " ").toLowerCase().split(/\s+/).filter(Boolean).join(" ");
}

function guessClaim(keys, words) {
  // the key (or the participant's role) whose cue words the selected words hold, the
  // longest cue first: "hosted by" gives participant as host, "led by" headedBy
  const said = ` ${words.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ")} `;
  let best = null;
  const consider = (key, role, cue) => {
    const bare = cueWords(cue);
    if (bare.length >= 3 && said.includes(` ${bare} `) && (!best || bare.length > best.length)) best = {key, role, length: bare.length};
  };
  for (const key of keys) for (const cue of (VOCAB.keys[key] || {}).cues || []) consider(key, null, cue);
  if (keys.includes("participant")) {
    for (const [role, cues] of Object.entries(VOCAB.roleCues || {})) for (const cue of cues) consider("participant", role, cue);
  }
  return best;
}

function formValues() {
  // the entity ids the form holds already (its subject and each row's value)
  return new Set([...document.querySelectorAll('#form [name="about"], #form [name="id"], #form .claim [name="v"], #form .claim [name="agent"]')].map((n) => n.value.trim()));
}

function guessType(words) {
  // the type whose cue words the selected words hold, the longest cue first ("delegation",
  // "ceasefire", "talks")
  const said = ` ${words.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ")} `;
  let best = null, length = 0;
  for (const [type, spec] of Object.entries(VOCAB.types)) {
    for (const cue of spec.cues || []) {
      const bare = cueWords(cue);
      if (bare && said.includes(` ${bare} `) && bare.length > length) { best = type; length = bare.length; }
    }
  }
  return best;
}

function suggestedValue(key, role) {
  // an entity value: the first entity the selected words name that fits the key's range
  // and that the form does not hold yet (a list's next value is the next one named)
  const spec = VOCAB.keys[key] || {};
  if (!SELECTION || !["entity", "participation"].includes(spec.kind)) return null;
  const used = formValues();
  const inside = VIEW.mentions.filter((m) => m.start >= SELECTION.start && m.end <= SELECTION.end && !used.has(m.id) && isA(m.type, spec.range))
    .sort((a, b) => a.demonym - b.demonym);  // a name before a demonym ("Turkish" of "Turkish Foreign Minister Hakan Fidan")
  if (!inside.length) return null;
  return spec.kind === "participation" ? {agent: inside[0].id, role: role || "participant"} : inside[0].id;
}

function claimRow(keys, key, value) {
  const select = el("select", {name: "key"}, keys.map((k) => el("option", {value: k, selected: k === key}, k)));
  const help = el("small", {class: "help"});
  const slot = el("span");
  const row = el("div", {class: "claim"}, select, " ", slot, " ",
    el("button", {type: "button", class: "drop", title: "remove this key", onclick: () => row.remove()}, "×"), el("br"), help);
  const update = (v) => {
    slot.replaceChildren(valueWidget(select.value, v));
    help.textContent = (VOCAB.keys[select.value] || {}).definition || "";
  };
  select.addEventListener("change", () => update(suggestedValue(select.value)));
  update(value);
  return row;
}

function openForm(options) {
  const {mode} = options;
  const form = document.getElementById("form");
  const body = document.getElementById("form-body");
  body.replaceChildren();
  document.getElementById("form-message").textContent = "";
  document.getElementById("conflict").hidden = true;
  const source = mode === "edit" ? options.item.value : mode === "suggestion" ? options.suggestion.value : {};
  const entity = mode === "entity" || ((mode === "edit" || mode === "suggestion") && "type" in source);
  const section = entity ? "entities" : "facts";
  let evidence = mode === "edit" || mode === "suggestion" ? source.evidence : SELECTION.words;
  document.getElementById("form-title").textContent = {fact: "New fact", entity: "New entity", alt: "New spelling (altLabel)", edit: `Edit facts.yaml:${options.item && options.item.line}`, suggestion: "A suggestion, to edit and accept"}[mode];
  const claims = el("div", {class: "claims-edit"});
  let keysFor = () => [];
  if (entity) {
    const suggested = (SELECTION && mode === "entity") ? SELECTION.words : "";
    const idInput = el("input", {name: "id", required: true, value: source.id || suggested.toLowerCase().replace(/ı/g, "i").normalize("NFKD").replace(/[^\w\s-]/g, "").trim().replace(/[\s_]+/g, "-")});
    const typeSelect = el("select", {name: "type"}, Object.keys(VOCAB.types).map((t) => el("option", {value: t, selected: t === (source.type || guessType(suggested) || "Person")}, t)));
    const typeHelp = el("small", {class: "help"});
    const showType = () => { typeHelp.textContent = VOCAB.types[typeSelect.value].definition; };
    typeSelect.addEventListener("change", showType);
    showType();
    const label = source.label && typeof source.label === "object"
      ? el("span", {class: "labels", id: "form-labels"}, ...namesInputs(source.label))
      : el("input", {name: "label", required: true, value: source.label || suggested, size: 40});
    body.append(el("label", {}, "id ", idInput), el("label", {}, "type ", typeSelect), typeHelp,
      el("label", {}, "label ", label));
    keysFor = () => VOCAB.types[typeSelect.value].keys;
  } else {
    const about = source.about || (mode === "alt" ? "" : defaultSubject());
    const subject = entityInput(about, null, "about");
    body.append(el("label", {}, "about ", subject));
    keysFor = () => { const t = typeOf(subject.querySelector("input").value); return t ? VOCAB.types[t].keys : Object.keys(VOCAB.keys); };
    let shown = typeOf(about);
    subject.querySelector("input").addEventListener("change", () => {
      // the keys offered follow the subject's type; a row keeps its key and value if allowed
      if (typeOf(subject.querySelector("input").value) === shown) return;
      shown = typeOf(subject.querySelector("input").value);
      for (const row of claims.querySelectorAll(".claim")) {
        const key = row.querySelector('[name="key"]').value;
        const keep = keysFor().includes(key);
        row.replaceWith(claimRow(keysFor(), keep ? key : keysFor()[0], keep ? readWidget(row.querySelector(".value")) : null));
      }
    });
  }
  // what the form does not edit (when a fact began or ended) is kept as it was
  const kept = ["since", "until", "planned"].filter((key) => key in source);
  const skip = new Set(["id", "type", "label", "about", "evidence", "reading", "note", "rank", "rankReason", "translation", ...kept]);
  for (const [key, value] of Object.entries(source)) {
    if (skip.has(key)) continue;
    for (const one of Array.isArray(value) ? value : [value]) claims.append(claimRow(Object.keys(VOCAB.keys), key, one));
  }
  if (mode === "alt") claims.append(claimRow(["altLabel"], "altLabel", SELECTION.words));
  if (mode === "fact") {
    const guess = guessClaim(keysFor(), SELECTION.words);
    const key = guess ? guess.key : keysFor()[0];
    claims.append(claimRow(keysFor(), key, suggestedValue(key, guess && guess.role)));
  }
  body.append(el("fieldset", {}, el("legend", {}, "what it says"), claims,
    el("button", {type: "button", class: "add-key", title: "another key, or another value of the last one", onclick: () => {
      // another value of the last row's key, the next entity the words name
      const rows = claims.querySelectorAll(".claim");
      const last = rows.length ? rows[rows.length - 1].querySelector('[name="key"]').value : null;
      const key = last && keysFor().includes(last) ? last : keysFor()[0];
      claims.append(claimRow(keysFor(), key, suggestedValue(key)));
    }}, "+ key")));
  const read = Boolean(source.reading);
  const reading = el("textarea", {name: "reading", rows: 2, placeholder: "how you read the words: what makes them say this"}, source.reading || "");
  // writing a reading makes the basis read; emptying it, stated
  reading.addEventListener("input", () => {
    basis.querySelector(`[name="basis"][value="${reading.value.trim() ? "read" : "stated"}"]`).checked = true;
  });
  const basis = el("fieldset", {class: "basis"}, el("legend", {}, "basis"),
    el("label", {}, el("input", {type: "radio", name: "basis", value: "stated", checked: !read}), " stated: the words say it"),
    el("label", {}, el("input", {type: "radio", name: "basis", value: "read", checked: read}), " read: the words say it once read (say how)"), reading);
  basis.addEventListener("change", (event) => { if (event.target.name === "basis" && event.target.value === "read") reading.focus(); });
  const rank = el("select", {name: "rank"}, ["normal", ...VOCAB.ranks].map((r) => el("option", {value: r === "normal" ? "" : r, selected: (source.rank || "") === (r === "normal" ? "" : r)}, r)));
  const reason = el("input", {name: "rankReason", value: source.rankReason || "", placeholder: "why this rank", size: 30});
  body.append(basis, el("label", {}, "rank ", rank, " ", reason),
    el("label", {}, "note ", el("textarea", {name: "note", rows: 2, placeholder: "about the fact, not a reading"}, source.note || "")),
    source.translation || VIEW.language !== "en"
      ? el("label", {}, "translation ", el("textarea", {name: "translation", rows: 2, placeholder: "your English for the evidence"}, source.translation || ""))
      : "",
    el("div", {class: "evidence"}, el("span", {}, "evidence (selected words, never typed) "),
      el("button", {type: "button", id: "use-selection", title: "select other words of the text first",
        onclick: () => {
          if (!SELECTION || SELECTION.count !== 1) { document.getElementById("form-message").textContent = "select words that stand once in the text first"; return; }
          evidence = SELECTION.words;
          document.getElementById("form-evidence").textContent = evidence;
        }}, "Use the selected words"),
      el("blockquote", {id: "form-evidence"}, evidence)));
  form.hidden = false;
  form.onsubmit = (event) => {
    event.preventDefault();
    busy(() => submit());
  };
  const submit = async () => {
    const message = document.getElementById("form-message");
    const value = {};
    if (entity) {
      for (const name of ["id", "type"]) value[name] = form.querySelector(`[name="${name}"]`).value.trim();
      const labels = document.getElementById("form-labels");
      value.label = labels ? readNames(labels) : form.querySelector('[name="label"]').value.trim();
      if (!value.id || !value.label) { message.textContent = "an entity needs an id and a label"; return; }
    } else {
      value.about = form.querySelector('[name="about"]').value.trim();
      if (!value.about) { message.textContent = "say what the fact is about"; return; }
    }
    for (const row of claims.querySelectorAll(".claim")) {
      const key = row.querySelector('[name="key"]').value;
      const one = readWidget(row.querySelector(".value"));
      if (one === null) { message.textContent = `give ${key} a value, or remove it`; return; }
      value[key] = key in value ? [].concat(value[key], [one]) : one;
    }
    if (!entity && Object.keys(value).length < 2) { message.textContent = "a fact says something: add a key"; return; }
    if (basis.querySelector('[name="basis"]:checked').value === "stated" && reading.value.trim()) { message.textContent = "a stated fact has no reading: clear it, or choose read"; return; }
    if (basis.querySelector('[name="basis"]:checked').value === "read") {
      if (!reading.value.trim()) { message.textContent = "a reading says how the words were read: write it, or choose stated"; return; }
      value.reading = reading.value.trim();
    }
    if (rank.value) {
      value.rank = rank.value;
      if (!reason.value.trim()) { message.textContent = "a rank needs its reason"; return; }
      value.rankReason = reason.value.trim();
    }
    const note = form.querySelector('[name="note"]').value.trim();
    if (note) value.note = note;
    const translation = form.querySelector('textarea[name="translation"]');
    if (translation && translation.value.trim()) value.translation = translation.value.trim();
    for (const key of kept) value[key] = source[key];
    value.evidence = evidence;
    if (mode === "edit") await write({section, index: options.item.index, value, was: options.item.value}, true, "saved");
    else if (mode === "suggestion") {
      for (const need of options.suggestion.needs) {
        const entitySuggestion = VIEW.suggestions.find((s) => s.section === "entities" && s.value.id === need);
        if (entitySuggestion && entitySuggestion !== options.suggestion && !VIEW.items.some((i) => i.value.id === need)) {
          if (!(await write({section: "entities", value: entitySuggestion.value}, false))) return;
        }
      }
      await write({section, value}, true, "accepted");
    } else await write({section, value}, true, "saved");
  };
  form.scrollIntoView({block: "start"});
}

function closeForm() {
  document.getElementById("form").hidden = true;
}

function articlePage() {
  document.addEventListener("mouseup", (event) => { if (event.target.closest("#text")) onSelect(); });
  document.addEventListener("keyup", (event) => { if (event.key.startsWith("Shift") || event.key.startsWith("Arrow")) onSelect(); });
  document.getElementById("form-cancel").addEventListener("click", closeForm);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && PICKING) { stopPicking(); status("cancelled: no evidence changed", ""); }
  });
  for (const button of document.querySelectorAll("#selection button")) {
    button.addEventListener("click", () => {
      const act = button.dataset.act;
      if (act === "evidence") {
        PICKING = "evidence";
        document.body.classList.add("picking");
        status("click the entity or the fact these words are the evidence of (Esc: cancel)", "");
      } else openForm({mode: act});
    });
  }
  load();
}

if (document.body.classList.contains("list")) listPage();
else articlePage();
