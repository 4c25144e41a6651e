"""What explaining terms costs the reader's browser: glossary.js reads each text of a page once,
word by word, and cuts it once into text and links, so its work follows the page's length, not
the number of terms or of links, and it is done in short slices.

In Node, the matching itself (glossary.js exports it there and only there): the same links as the
script made before, on random texts, and time at size N and 2N on hostile shapes (thousands of
short terms named once each, names sharing long prefixes, one huge text with and without names).
In Chromium, an Assets page of 900 KB naming each of 2,000 terms once: the longest main-thread
task (every "longtask" from the start of the page) and the links made."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from conftest import FIXTURES, REPO
from playwright.sync_api import Page, expect

pytest_plugins = ["browser_fixtures"]  # serve, browser, page

GLOSSARY_JS = REPO / "generator" / "site" / "theme" / "glossary.js"

# Time at 2N over time at N: 2 when linear, 4 when quadratic (processor time, the best of 5 runs).
MAX_RATIO = 3.0
# The longest main-thread task on the hostile page, from its first byte to its last link.
# Measured on a loaded 2-core machine: 117-254 ms with this script, about what the page takes to
# lay out without the glossary (130-313 ms); 90-119 s with the script that split a text and read
# the rest again after each link it made.
MAX_LONGEST_TASK_MS = 2_000

TERMS = 2_000
PAGE_CHARS = 900_000
FILLER = "the buyer reads every page and "


def short_name(n: int) -> str:
    """A short name of one word, different for each n below 26**3: Qaaa, Qaab, ..."""
    letters = ""
    for _ in range(3):
        letters = chr(ord("a") + n % 26) + letters
        n //= 26
    return "Q" + letters


def naming_each_once(count: int, chars: int) -> str:
    """About chars characters of running text that name short_name(0..count-1) once each, in
    order, evenly spread."""
    each = chars // count
    filler = (FILLER * (each // len(FILLER) + 1))[:each - 7] + " "
    return "".join(filler + short_name(n) + " " for n in range(count))


# --- In Node -----------------------------------------------------------------------------------

NODE_PRELUDE = r"""
'use strict';
const g = require(%(script)s);
function shortName(n) {
  let s = '';
  for (let i = 0; i < 3; i++) { s = String.fromCharCode(97 + n %% 26) + s; n = Math.floor(n / 26); }
  return 'Q' + s;
}
function vocabulary(terms) {
  return g.index(terms.map((t) => Object.assign({ url: 'glossary/#' + t.id }, t)), 'https://playbook.test/');
}
// The processor time each of fs takes (milliseconds a call, the best of 5 runs), and what it
// returned: [{ ms, out }, ...]. Processor time, not time on the clock, and runs taken in turns,
// so that other work on the machine changes the figures little and each of them alike. A run
// calls f as many times as it takes to last 50 ms at least.
function cpu() {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
}
function timed(fs) {
  const calls = fs.map((f) => {
    let n = 1;
    for (;;) {
      const start = cpu();
      for (let i = 0; i < n; i++) f();
      if (cpu() - start >= 50) return n;
      n *= 2;
    }
  });
  const results = fs.map((f) => ({ ms: Infinity, out: f() }));
  for (let run = 0; run < 5; run++) {
    fs.forEach((f, k) => {
      const start = cpu();
      for (let i = 0; i < calls[k]; i++) f();
      results[k].ms = Math.min(results[k].ms, (cpu() - start) / calls[k]);
    });
  }
  return results;
}
const FILLER = %(filler)s;
// The matching is compiled before it is timed: half a second of it on a text of every shape.
{
  const v = vocabulary([{ id: 'a', name: 'Qaaa' }, { id: 'b', name: 'Qaab two', abbreviation: 'QB' }]);
  const text = 'the Qaaa and Qaab-two, QBs Qaab. '.repeat(1000);
  const start = cpu();
  while (cpu() - start < 500) g.matches(text, v);
}
function namingEachOnce(count, chars, name) {
  const each = Math.floor(chars / count);
  const filler = FILLER.repeat(Math.floor(each / FILLER.length) + 1).slice(0, each - 7) + ' ';
  let text = '';
  for (let n = 0; n < count; n++) text += filler + name(n) + ' ';
  return text;
}
"""

# The matching glossary.js did before it read each text once, kept here to compare with: it found
# the first match, split the text there, and read the rest again.
OLD_MATCHING = r"""
const OLD_WORD = /[\p{L}\p{N}]+/gu;
const OLD_JOINER = /^[\s\-\u2010\u2011]+$/u;
function oldIndex(terms) {
  const names = new Map();
  const abbreviations = new Map();
  let longest = 1;
  for (const term of terms) {
    if (!term || typeof term.id !== 'string' || typeof term.name !== 'string') continue;
    if (typeof term.url !== 'string' || /^[a-zA-Z][a-zA-Z0-9+.-]*:|^\/\/|[\\\s]/.test(term.url)) continue;
    const all = [term.name].concat(Array.isArray(term.aliases) ? term.aliases : []);
    for (const name of all) {
      if (typeof name !== 'string') continue;
      const words = (name.match(OLD_WORD) || []).map((s) => s.toLocaleLowerCase());
      if (words.length && words.length <= 8 && !names.has(words.join(' '))) {
        names.set(words.join(' '), term.id);
        longest = Math.max(longest, words.length);
      }
    }
    const abbreviation = typeof term.abbreviation === 'string' ? term.abbreviation.trim() : '';
    if (abbreviation && (abbreviation.match(OLD_WORD) || []).join('') === abbreviation &&
        !abbreviations.has(abbreviation)) abbreviations.set(abbreviation, term.id);
  }
  return { names, abbreviations, longest };
}
function oldFirstMatch(text, vocabulary, seen) {
  const spans = [];
  for (const m of text.matchAll(OLD_WORD)) spans.push([m.index, m.index + m[0].length, m[0]]);
  for (let i = 0; i < spans.length; i++) {
    const word = spans[i][2];
    let best = null;
    let id = vocabulary.abbreviations.get(word);
    if (id === undefined && word.length > 2 && word.endsWith('s')) id = vocabulary.abbreviations.get(word.slice(0, -1));
    if (id !== undefined) best = [i, id];
    const words = [];
    for (let j = i; j < Math.min(spans.length, i + vocabulary.longest); j++) {
      if (j > i && !OLD_JOINER.test(text.slice(spans[j - 1][1], spans[j][0]))) break;
      words.push(spans[j][2].toLocaleLowerCase());
      const found = vocabulary.names.get(words.join(' '));
      if (found !== undefined) best = [j, found];
    }
    if (best && !seen.has(best[1])) return [spans[i][0], spans[best[0]][1], best[1]];
    if (best) i = best[0];
  }
  return null;
}
function oldMatches(text, vocabulary, seen) {
  const found = [];
  let offset = 0;
  let match;
  while ((match = oldFirstMatch(text, vocabulary, seen))) {
    seen.add(match[2]);
    found.push([offset + match[0], offset + match[1], match[2]]);
    offset += match[1];
    text = text.slice(match[1]);
  }
  return found;
}
"""


def node_run(tmp_path: Path, body: str) -> object:
    """Run body after the prelude in Node, on one thread (the garbage collected and the code
    compiled on the thread that runs it, so the processor time measured is the matching's own);
    it prints one JSON value, returned."""
    node = shutil.which("node")
    assert node is not None, "node is missing: install it (apt-get install nodejs) to run this test"
    script = tmp_path / "run.js"
    prelude = NODE_PRELUDE % {"script": json.dumps(str(GLOSSARY_JS)), "filler": json.dumps(FILLER)}
    script.write_text(prelude + OLD_MATCHING + body, encoding="utf-8")
    result = subprocess.run([node, "--single-threaded", str(script)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_glossary_js_exports_its_matching_only_outside_a_browser() -> None:
    text = GLOSSARY_JS.read_text(encoding="utf-8")
    assert "innerHTML" not in text and "insertAdjacentHTML" not in text
    assert "if (typeof document === 'undefined') {" in text  # in a page, nothing is exported


def test_same_links_as_before_on_random_texts(tmp_path: Path) -> None:
    """Names in any case, abbreviations as written and as plurals, the longest name first, names
    joined by spaces and hyphens only, the first use on the page only, an unsafe address ignored:
    on thousands of random texts read as the texts of pages, exactly the links made before."""
    result = node_run(tmp_path, r"""
const terms = [
  { id: 'sal', name: 'Sales accepted lead', abbreviation: 'SAL' },
  { id: 'lead', name: 'Lead', aliases: ['prospect', 'sales lead'], link: 'always' },
  { id: 'sql', name: 'Sales qualified lead', abbreviation: 'SQL' },
  { id: 'closed', name: 'Closed', abbreviation: 'CL', link: 'always' },
  { id: 'closed-lost', name: 'Closed lost' },
  { id: 'it', name: 'Information technology', abbreviation: 'IT' },
  { id: 'eight', name: 'a b c d e f g h' },
  { id: 'nine', name: 'a b c d e f g h i' },
  { id: 'ab', name: 'a b', aliases: ['Lead'], link: 'always' },
  { id: 'bad', name: 'Win rate', url: 'javascript:alert(1)' },
];
const withUrls = terms.map((t) => Object.assign({ url: 'glossary/#' + t.id }, t));
const now = g.index(withUrls.map((t) => Object.assign({}, t)), 'https://playbook.test/');
const before = oldIndex(withUrls);
const words = ['sales', 'Sales', 'SALES', 'accepted', 'lead', 'LEAD', 'leads', 'Lead', 'SAL', 'SALs', 'sal', 'Sal',
  'SQL', 'SQLs', 'qualified', 'closed', 'Closed', 'lost', 'CL', 'CLs', 'win', 'rate', 'prospect', 'IT', 'ITs', 'its',
  'information', 'technology', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'A', 'x', 'élan', 'Ünïcode'];
const gaps = [' ', ' ', ' ', '-', '\u2011', '  ', '\n', ', ', '. ', ' \u2014 ', '_', '/'];
let seed = 7;
const random = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
let pages = 0, links = 0, differ = [];
for (let p = 0; p < 3000; p++) {
  const seenNow = new Set();
  const seenBefore = new Set();
  for (let t = 0; t < 4; t++) {
    let text = random(3) ? '' : ' ';
    for (let w = random(40); w >= 0; w--) text += words[random(words.length)] + gaps[random(gaps.length)];
    const a = g.matches(text, now, seenNow);
    const b = oldMatches(text, before, seenBefore);
    links += a.length;
    if (JSON.stringify(a) !== JSON.stringify(b) && differ.length < 5) differ.push([text, a, b]);
  }
  pages++;
}
const example = g.matches('Two SALs, a closed-lost deal and its IT: a b c d e f g h i. sales-lead SAL', now);
console.log(JSON.stringify({ pages, links, differ, example }));
""")
    assert isinstance(result, dict)
    assert result["differ"] == [], result["differ"]
    assert result["pages"] == 3000 and result["links"] > 10_000
    text = "Two SALs, a closed-lost deal and its IT: a b c d e f g h i. sales-lead SAL"
    assert [(text[s:e], i) for s, e, i in result["example"]] == [
        ("SALs", "sal"), ("closed-lost", "closed-lost"), ("IT", "it"), ("a b c d e f g h", "eight"),
        ("sales-lead", "lead")]


def test_many_short_terms_each_named_once_cost_follows_the_text(tmp_path: Path) -> None:
    """N short terms named once each, one after the other, in a short text; then 2N, then 4N."""
    result = node_run(tmp_path, r"""
const counts = [2000, 4000, 8000];
const texts = counts.map((count) => Array.from({ length: count }, (_, n) => shortName(n)).join(' and '));
const v = vocabulary(Array.from({ length: 8000 }, (_, n) => ({ id: 'q' + n, name: shortName(n), link: 'always' })));
const out = {};
timed(texts.map((text) => () => g.matches(text, v))).forEach(({ ms, out: found }, k) => {
  out[counts[k]] = { ms, chars: texts[k].length, found: found.map(([s, e, id]) => [texts[k].slice(s, e), id]) };
});
console.log(JSON.stringify(out));
""")
    assert isinstance(result, dict)
    for count in ("2000", "4000", "8000"):
        assert result[count]["found"] == [[short_name(n), f"q{n}"] for n in range(int(count))]
    for n in ("2000", "4000"):
        ratio = result[str(2 * int(n))]["ms"] / result[n]["ms"]
        assert ratio < MAX_RATIO, (ratio, {count: result[count]["ms"] for count in result})


def test_names_sharing_long_prefixes_cost_follows_the_text(tmp_path: Path) -> None:
    """Names of eight words that share their first seven, and one-word names that share their
    first 300 letters, each named once after near misses that follow the shared part to its end;
    at size N and 2N, with the same terms."""
    result = node_run(tmp_path, r"""
const PREFIX = 'alpha beta gamma delta epsilon zeta eta';
const LONG = 'x'.repeat(300);
const terms = [{ id: 'ab', name: 'alpha beta' }];
for (let n = 0; n < 4000; n++) {
  terms.push({ id: 'w' + n, name: PREFIX + ' ' + shortName(n) });
  terms.push({ id: 'x' + n, name: LONG + shortName(n) });
}
const v = vocabulary(terms);
const counts = [2000, 4000];
const texts = counts.map((count) => {
  let text = '';
  for (let n = 0; n < count; n++) {
    text += PREFIX + ' nothing, ' + PREFIX + '-' + shortName(n) + '. ' + LONG + 'zzzz ' + LONG + shortName(n) + ' ';
  }
  return text;
});
const out = {};
timed(texts.map((text) => () => g.matches(text, v))).forEach(({ ms, out: found }, k) => {
  out[counts[k]] = { ms, chars: texts[k].length, found: found.map(([s, e, id]) => [texts[k].slice(s, e), id]) };
});
console.log(JSON.stringify(out));
""")
    assert isinstance(result, dict)
    prefix, long = "alpha beta gamma delta epsilon zeta eta", "x" * 300
    for count in (2000, 4000):
        expected = [["alpha beta", "ab"]]
        for n in range(count):
            expected += [[f"{prefix}-{short_name(n)}", f"w{n}"], [long + short_name(n), f"x{n}"]]
        assert result[str(count)]["found"] == expected
    ratio = result["4000"]["ms"] / result["2000"]["ms"]
    assert ratio < MAX_RATIO, (ratio, result["2000"]["ms"], result["4000"]["ms"])


def test_one_huge_text_with_and_without_names_cost_follows_the_text(tmp_path: Path) -> None:
    """2,000 short terms; one text of 450 KB, then 900 KB, naming each term once, and the same
    sizes naming none."""
    result = node_run(tmp_path, r"""
const v = vocabulary(Array.from({ length: 2000 }, (_, n) => ({ id: 'q' + n, name: shortName(n), link: 'always' })));
const out = {};
const kinds = ['named 450000', 'named 900000', 'none 450000', 'none 900000'];
const texts = kinds.map((kind) => {
  const [named, chars] = kind.split(' ');
  return namingEachOnce(2000, Number(chars), named === 'named' ? shortName : () => 'word');
});
timed(texts.map((text) => () => g.matches(text, v))).forEach(({ ms, out: found }, k) => {
  out[kinds[k]] = { ms, chars: texts[k].length, found: found.map(([s, e, id]) => [texts[k].slice(s, e), id]) };
});
// What the script did before, on a text of 90 KB naming 400 terms (more takes it minutes).
const text = namingEachOnce(400, 90000, shortName);
const before = oldIndex(Array.from({ length: 400 }, (_, n) => ({ id: 'q' + n, name: shortName(n), url: 'g/' })));
const start = cpu();
const old = oldMatches(text, before, new Set());
out.before = { ms: cpu() - start, found: old.length };
const [after] = timed([() => g.matches(text, v)]);
out.after = { ms: after.ms, found: after.out.length };
console.log(JSON.stringify(out));
""")
    assert isinstance(result, dict)
    named = [[short_name(n), f"q{n}"] for n in range(TERMS)]
    for chars in (450_000, 900_000):
        assert chars - TERMS <= result[f"named {chars}"]["chars"] <= chars
        assert result[f"named {chars}"]["found"] == named
        assert result[f"none {chars}"]["found"] == []
    for kind in ("named", "none"):
        ratio = result[f"{kind} 900000"]["ms"] / result[f"{kind} 450000"]["ms"]
        assert ratio < MAX_RATIO, (kind, ratio, result)
    # Reading the text once is much faster than reading it again after each link.
    assert result["before"]["found"] == result["after"]["found"] == 400
    assert result["after"]["ms"] * 5 < result["before"]["ms"], (result["before"], result["after"])


# --- In Chromium -------------------------------------------------------------------------------

# Registered before the page's first byte: every long task (over 50 ms) of the main thread, and
# the longest text of the article as it was parsed, before any link was made.
WATCH_LONG_TASKS = """
window.__pbLongTasks = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__pbLongTasks.push(entry.duration);
}).observe({ type: 'longtask', buffered: true });
document.addEventListener('DOMContentLoaded', () => {
  const texts = document.createTreeWalker(document.querySelector('article'), NodeFilter.SHOW_TEXT);
  window.__pbLongestText = 0;
  while (texts.nextNode()) window.__pbLongestText = Math.max(window.__pbLongestText, texts.currentNode.length);
});
"""


def test_huge_page_naming_thousands_of_terms_never_blocks_for_long(
        page: Page, tmp_path: Path, build_site: Callable[..., Path], serve: Callable[[Path], str]) -> None:
    """An Assets page whose one description is 900 KB naming each of 2,000 short terms once."""
    playbook = tmp_path / "playbook"
    shutil.copytree(FIXTURES / "mini", playbook)
    for n in range(TERMS):
        term = {"id": f"q{n}", "name": short_name(n), "definition": f"The short term number {n}.", "owner": "sales",
                "link": "always"}
        (playbook / "terms" / f"q{n}.yaml").write_text(yaml.safe_dump(term), encoding="utf-8")
    text = naming_each_once(TERMS, PAGE_CHARS).strip()
    assert len(text) > 890_000
    guide = playbook / "assets" / "guide.yaml"
    asset = yaml.safe_load(guide.read_text(encoding="utf-8"))
    asset["description"] = text
    guide.write_text(yaml.safe_dump(asset, width=10**9, sort_keys=False), encoding="utf-8")
    site = build_site(playbook=playbook)

    page.add_init_script(WATCH_LONG_TASKS)
    page.goto(serve(site) + "assets/", wait_until="load", timeout=60_000)
    links = page.locator("article a.pb-term")
    expect(links).to_have_count(TERMS, timeout=30_000)
    assert page.evaluate("window.__pbLongestText") == len(text)  # one text node to read
    # Let the page lay out the links and report the tasks that did it.
    page.evaluate("new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => "
                  "setTimeout(done, 300))))")
    tasks = page.evaluate("window.__pbLongTasks")
    print(f"longest main-thread task: {max(tasks, default=0):.0f} ms ({len(tasks)} over 50 ms)")
    assert max(tasks, default=0) < MAX_LONGEST_TASK_MS, tasks

    # Each term once, in the order the text names them, with its name as written; the text itself
    # is unchanged.
    made = page.evaluate("""[...document.querySelectorAll('article a.pb-term')].map(
        (a) => [a.getAttribute('data-pb-term'), a.textContent, a.href])""")
    assert [(id, name) for id, name, _ in made] == [(f"q{n}", short_name(n)) for n in range(TERMS)]
    paragraph = page.locator("article p", has=page.locator("a.pb-term")).first
    assert paragraph.evaluate("(p) => p.textContent") == text
    # A few links, followed: each leads to its own entry on its glossary page.
    for n in (0, 1, 999, 1999):
        address = urlsplit(made[n][2])
        entry = site / address.path.strip("/") / "index.html"
        assert address.fragment == f"q{n}"
        assert f'id="q{n}"' in entry.read_text(encoding="utf-8"), made[n]
    # And the definition still shows beside a term.
    links.nth(999).hover()
    expect(page.locator(".pb-term-pop")).to_contain_text(f"{short_name(999)}")
    expect(page.locator(".pb-term-pop")).to_contain_text("The short term number 999.")
