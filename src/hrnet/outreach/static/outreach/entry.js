// Fast entry of a contact: progressive enhancement of the plain form.
// - looks the typed code up (returning or new client) and builds it from its parts with
//   the same rules as hrnet/outreach/uic.py (segments come from the page);
// - saves through the API; a contact that cannot be sent now is kept in localStorage with
//   its id and sent when the connection returns (online event, page load, a timer), and
//   removed only after the server answered 200 or 201 (it ignores a repeated id);
// - registers a service worker so the page opens without a connection.
// - lists the last contacts saved on this phone (time and services only: never the client's
//   code) for a day, each with a link to correct it once the server has it.
// Besides that list, only unsent contacts are kept on the phone.
(function () {
  "use strict";

  const root = document.getElementById("entry");
  const form = document.getElementById("entry-form");
  if (!root || !form) return;

  const QUEUE_KEY = "hrnet.outreach.queue";
  const RECENT_KEY = "hrnet.outreach.recent";
  const RECENT_LIMIT = 5;
  const RECENT_HOURS = 24; // as long as the worker may correct a contact (policies.py)
  const siteId = Number(root.dataset.site);
  const text = root.dataset;
  const segments = JSON.parse(root.dataset.uicSegments || "[]");
  const uicInput = form.elements.namedItem("uic");
  const clientBadge = document.getElementById("entry-client");
  const statusLine = document.getElementById("entry-status");
  const queueLine = document.getElementById("entry-queue");
  const newClient = document.getElementById("entry-new");
  const builder = document.getElementById("entry-builder");

  // --- the code: the same rules as uic.py ------------------------------------------------
  const CYRILLIC = {
    А: "A", Б: "B", В: "V", Г: "G", Д: "D", Е: "E", Ё: "E", Ж: "ZH", З: "Z", И: "I",
    Й: "I", К: "K", Л: "L", М: "M", Н: "N", О: "O", П: "P", Р: "R", С: "S", Т: "T",
    У: "U", Ф: "F", Х: "KH", Ц: "TS", Ч: "CH", Ш: "SH", Щ: "SHCH", Ъ: "", Ы: "Y", Ь: "",
    Э: "E", Ю: "YU", Я: "YA", Є: "E", І: "I", Ї: "I", Ґ: "G", Ў: "O", Ә: "A", Ғ: "G",
    Қ: "K", Ң: "N", Ө: "O", Ұ: "U", Ү: "U", Һ: "H", Ӣ: "I", Ӯ: "U", Ҳ: "H", Ҷ: "J",
  };
  const LATIN_EXTRA = {
    Ø: "O", Ł: "L", Đ: "D", Ð: "D", Æ: "AE", Œ: "OE", ß: "SS", ẞ: "SS", Þ: "TH", Ə: "A",
    Ħ: "H", Ŧ: "T",
  };
  const SEX_LETTERS = {
    male: "M", female: "F", other: "O", unknown: "U", "": "U",
    M: "M", F: "F", O: "O", U: "U", М: "M", Ж: "F",
  };
  const SEX_VALUES = { M: "male", F: "female", O: "other", U: "unknown" };
  const SEPARATORS = " -_./\t\n";
  const PLACEHOLDER = "X";

  function latinLetters(value) {
    let out = "";
    for (const char of (value || "").toUpperCase()) {
      if (char in CYRILLIC) out += CYRILLIC[char];
      else if (char in LATIN_EXTRA) out += LATIN_EXTRA[char];
      else {
        for (const part of char.normalize("NFKD")) {
          if (part >= "A" && part <= "Z") out += part;
        }
      }
    }
    return out;
  }

  function namePart(name, length) {
    return latinLetters(name).slice(0, length).padEnd(length, PLACEHOLDER);
  }

  function build(parts) {
    return segments
      .map(([kind, length]) => {
        if (kind === "sex") return SEX_LETTERS[parts.sex || ""] || "U";
        if (kind === "year") return parts.year ? String(parts.year).padStart(4, "0") : "0000";
        return namePart(kind === "mother" ? parts.mother : parts.father, length);
      })
      .join("");
  }

  // The canonical code for a typed one, or null when it does not fit the scheme.
  function parse(value) {
    const compact = Array.from((value || "").toUpperCase())
      .filter((c) => !SEPARATORS.includes(c))
      .join("");
    const total = segments.reduce((sum, [, length]) => sum + length, 0);
    if (Array.from(compact).length !== total) return null;
    const chars = Array.from(compact);
    let position = 0;
    let out = "";
    for (const [kind, length] of segments) {
      const piece = chars.slice(position, position + length).join("");
      position += length;
      if (kind === "sex") {
        if (!(piece in SEX_LETTERS)) return null;
        out += SEX_LETTERS[piece];
      } else if (kind === "year") {
        if (!/^[0-9]+$/.test(piece)) return null;
        out += piece;
      } else if (Array.from(piece).every((c) => c === "X" || c === "Х")) {
        out += PLACEHOLDER.repeat(length);
      } else {
        if (!Array.from(piece).every((c) => /\p{L}/u.test(c))) return null;
        out += namePart(piece, length);
      }
    }
    return out;
  }

  function normalise(value) {
    const parsed = parse(value);
    if (parsed !== null) return parsed;
    return Array.from((value || "").toUpperCase())
      .filter((c) => !SEPARATORS.includes(c))
      .map((c) => (/[0-9]/.test(c) ? c : latinLetters(c)))
      .join("");
  }

  // Sex and year of birth read back from a canonical code (a new client's record).
  function partsOf(code) {
    const parts = { sex: "", year: null };
    if (!code) return parts;
    let position = 0;
    for (const [kind, length] of segments) {
      const piece = code.slice(position, position + length);
      position += length;
      if (kind === "sex") parts.sex = SEX_VALUES[piece] || "";
      if (kind === "year" && piece !== "0000") parts.year = Number(piece);
    }
    return parts;
  }

  // --- returning or new client -------------------------------------------------------------
  let lookupTimer = null;
  let lookupSeq = 0;

  function showClient(state) {
    clientBadge.dataset.state = state;
    clientBadge.textContent =
      {
        returning: text.textReturning,
        new: text.textNew,
        checking: text.textChecking,
        unknown: text.textUnknown,
      }[state] || "";
    newClient.hidden = state === "returning" || (state === "" && !builder.open);
  }

  function fillNewClient(code) {
    const parts = partsOf(parse(code) || "");
    if (parts.sex && !form.querySelector("input[name=sex]:checked")) {
      const radio = form.querySelector(`input[name=sex][value="${parts.sex}"]`);
      if (radio) radio.checked = true;
    }
    const year = form.elements.namedItem("birth_year");
    if (parts.year && year && !year.value) year.value = parts.year;
  }

  async function lookup() {
    const code = normalise(uicInput.value);
    const seq = ++lookupSeq;
    if (!code || parse(code) === null) {
      showClient("");
      return;
    }
    showClient("checking");
    try {
      // POSTed so that the code stays out of addresses (and so out of access logs).
      const response = await fetch(root.dataset.lookup, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "X-CSRFToken": csrfToken(),
        },
        body: JSON.stringify({ uic: code, site: siteId }),
      });
      if (seq !== lookupSeq) return;
      if (response.ok) showClient("returning");
      else if (response.status === 404) {
        showClient("new");
        fillNewClient(code);
      } else showClient("unknown");
    } catch (error) {
      if (seq !== lookupSeq) return;
      showClient("unknown");
      fillNewClient(code);
    }
  }

  function showStatus(state, message) {
    statusLine.dataset.state = state;
    statusLine.textContent = message;
  }

  uicInput.addEventListener("input", () => {
    if (statusLine.dataset.state !== "sending") showStatus("", "");
    clearTimeout(lookupTimer);
    lookupTimer = setTimeout(lookup, 250);
  });

  function buildFromParts() {
    if (!builder.open) return;
    const sex = form.querySelector("input[name=sex]:checked");
    uicInput.value = build({
      sex: sex ? sex.value : "",
      year: form.elements.namedItem("birth_year").value,
      mother: form.elements.namedItem("mother_name").value,
      father: form.elements.namedItem("father_name").value,
    });
    clearTimeout(lookupTimer);
    lookupTimer = setTimeout(lookup, 250);
  }
  builder.addEventListener("toggle", () => {
    if (builder.open) newClient.hidden = false;
  });
  for (const name of ["mother_name", "father_name", "birth_year"]) {
    form.elements.namedItem(name).addEventListener("input", buildFromParts);
  }
  for (const radio of form.querySelectorAll("input[name=sex]")) {
    radio.addEventListener("change", buildFromParts);
  }

  // --- the queue of unsent contacts ------------------------------------------------------
  function readQueue() {
    try {
      const items = JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]");
      return Array.isArray(items) ? items : [];
    } catch (error) {
      return [];
    }
  }

  function writeQueue(items) {
    if (items.length) localStorage.setItem(QUEUE_KEY, JSON.stringify(items));
    else localStorage.removeItem(QUEUE_KEY);
    showQueue();
  }

  function showQueue() {
    const count = readQueue().length;
    queueLine.hidden = count === 0;
    queueLine.textContent = count ? text.textQueue.replace("%(count)s", String(count)) : "";
    root.dataset.queued = String(count);
    showRecent();
  }

  function csrfToken() {
    const cookie = document.cookie.split("; ").find((part) => part.startsWith("csrftoken="));
    if (cookie) return decodeURIComponent(cookie.slice("csrftoken=".length));
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  let flushing = null;

  // Sends the waiting contacts one by one. Returns after the queue was tried once; a
  // contact leaves the queue only when the server has answered 200 or 201.
  function flush() {
    if (flushing) return flushing;
    flushing = (async () => {
      for (const item of readQueue()) {
        let response;
        try {
          response = await fetch(root.dataset.api, {
            method: "POST",
            credentials: "same-origin",
            headers: {
              "Content-Type": "application/json",
              Accept: "application/json",
              "X-CSRFToken": csrfToken(),
            },
            body: JSON.stringify(item.payload),
          });
        } catch (error) {
          return; // no connection: try again when it returns
        }
        if (response.status === 200 || response.status === 201) {
          writeQueue(readQueue().filter((queued) => queued.payload.id !== item.payload.id));
        } else if (response.status === 401 || response.status === 403) {
          showStatus("signin", text.textSignin);
          return;
        } else if (response.status >= 500 || response.status === 429) {
          return;
        } else {
          let reason = String(response.status);
          try {
            const body = await response.json();
            reason = Object.values(body.errors || { detail: [body.detail] }).flat().join(" ");
          } catch (error) {
            // keep the status as the reason
          }
          showStatus("rejected", text.textRejected.replace("%(reason)s", reason));
        }
      }
    })().finally(() => {
      flushing = null;
      showQueue();
    });
    return flushing;
  }

  // --- the last contacts saved on this phone ----------------------------------------------
  const recentBox = document.getElementById("entry-recent");
  const recentList = document.getElementById("entry-recent-list");

  function readRecent() {
    try {
      const items = JSON.parse(localStorage.getItem(RECENT_KEY) || "[]");
      const since = Date.now() - RECENT_HOURS * 3600 * 1000;
      return Array.isArray(items) ? items.filter((item) => item && item.at > since) : [];
    } catch (error) {
      return [];
    }
  }

  function labelText(element) {
    return element ? element.textContent.replace(/\s+/g, " ").trim() : "";
  }

  // What was done, in the page's words: the bundle, extras, counselling, tests (not their
  // results) and referrals. Nothing that names the client.
  function servicesOf() {
    const parts = [];
    const bundle = form.querySelector("input[name=bundle]:checked");
    if (bundle) parts.push(labelText(bundle.closest("label")));
    for (const field of form.querySelectorAll("[data-commodity]")) {
      const extra = number(field.name);
      if (extra) parts.push(`${labelText(form.querySelector(`label[for="${field.id}"]`))} × ${extra}`);
    }
    const counselling = form.elements.namedItem("counselling");
    if (counselling && counselling.checked) {
      parts.push(labelText(form.querySelector(`label[for="${counselling.id}"]`)));
    }
    for (const field of form.querySelectorAll("[data-test]")) {
      if (field.value) parts.push(labelText(form.querySelector(`label[for="${field.id}"]`)));
    }
    for (const box of form.querySelectorAll("input[name=referrals]:checked")) {
      parts.push(labelText(box.closest("label")));
    }
    return parts.join(", ") || text.textNothing;
  }

  function remember(id) {
    const items = readRecent().filter((item) => item.id !== id);
    items.unshift({ id, site: siteId, at: Date.now(), what: servicesOf() });
    localStorage.setItem(RECENT_KEY, JSON.stringify(items.slice(0, RECENT_LIMIT)));
  }

  function showRecent() {
    if (!recentBox) return;
    const waiting = new Set(readQueue().map((item) => item.payload.id));
    const items = readRecent().filter((item) => item.site === siteId);
    recentList.replaceChildren(
      ...items.map((item) => {
        const li = document.createElement("li");
        const time = document.createElement("time");
        const at = new Date(item.at);
        time.dateTime = at.toISOString();
        time.textContent = at.toLocaleTimeString(document.documentElement.lang || [], {
          hour: "2-digit",
          minute: "2-digit",
        });
        const what = document.createElement("span");
        what.className = "entry-recent__what";
        what.textContent = item.what;
        li.append(time, what);
        if (waiting.has(item.id)) {
          const note = document.createElement("span");
          note.className = "muted";
          note.textContent = `(${text.textWaiting})`;
          li.append(note);
        } else {
          const link = document.createElement("a");
          link.href = root.dataset.correct.replace("00000000-0000-0000-0000-000000000000", item.id);
          link.textContent = text.textCorrect;
          link.className = "entry-recent__correct";
          li.append(link);
        }
        return li;
      })
    );
    recentBox.hidden = items.length === 0;
  }

  // --- saving -------------------------------------------------------------------------------
  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  function number(name) {
    const field = form.elements.namedItem(name);
    const value = field && field.value ? parseInt(field.value, 10) : 0;
    return Number.isFinite(value) && value > 0 ? value : 0;
  }

  function payloadOf() {
    const code = normalise(uicInput.value);
    const parts = partsOf(parse(code) || "");
    const sex = form.querySelector("input[name=sex]:checked");
    const year = number("birth_year");
    const items = {};
    const bundle = form.querySelector("input[name=bundle]:checked");
    if (bundle && bundle.dataset.items) {
      for (const [commodity, quantity] of Object.entries(JSON.parse(bundle.dataset.items))) {
        items[commodity] = Number(quantity);
      }
    }
    for (const field of form.querySelectorAll("[data-commodity]")) {
      const extra = number(field.name);
      if (extra) items[field.dataset.commodity] = (items[field.dataset.commodity] || 0) + extra;
    }
    const tests = {};
    for (const field of form.querySelectorAll("[data-test]")) {
      if (field.value) tests[field.dataset.test] = field.value;
    }
    return {
      id: form.elements.namedItem("contact_id").value,
      site: siteId,
      client: {
        uic: code,
        sex: sex ? sex.value : parts.sex || "unknown",
        birth_year: year || parts.year || null,
      },
      date: form.elements.namedItem("date").value,
      setting: form.elements.namedItem("setting").value,
      items,
      syringes_returned: number("syringes_returned"),
      counselling: form.elements.namedItem("counselling").checked,
      tests,
      referrals: Array.from(form.querySelectorAll("input[name=referrals]:checked"), (b) => b.value),
    };
  }

  function resetForm() {
    const keep = {
      date: form.elements.namedItem("date").value,
      setting: form.elements.namedItem("setting").value,
    };
    form.reset();
    form.elements.namedItem("contact_id").value = newId();
    form.elements.namedItem("date").value = keep.date;
    form.elements.namedItem("setting").value = keep.setting;
    for (const list of form.querySelectorAll(".errorlist")) list.remove();
    builder.open = false;
    showClient("");
    uicInput.focus();
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!normalise(uicInput.value)) {
      showStatus("error", text.textNeedCode);
      uicInput.focus();
      return;
    }
    const payload = payloadOf();
    remember(payload.id);
    showStatus("sending", "");
    const queue = readQueue().filter((item) => item.payload.id !== payload.id);
    queue.push({ payload });
    writeQueue(queue);
    resetForm();
    await flush();
    const waiting = readQueue().some((item) => item.payload.id === payload.id);
    if (statusLine.dataset.state === "sending") {
      showStatus(waiting ? "kept" : "saved", waiting ? text.textKept : text.textSaved);
    }
  });

  // --- start --------------------------------------------------------------------------------
  form.elements.namedItem("contact_id").value = newId();
  showClient("");
  showQueue();
  window.addEventListener("online", () => flush());
  setInterval(() => {
    if (readQueue().length && navigator.onLine !== false) flush();
  }, 30000);
  if (readQueue().length) flush();

  if ("serviceWorker" in navigator && root.dataset.serviceWorker) {
    navigator.serviceWorker.register(root.dataset.serviceWorker).catch(() => {});
  }
  // On a slow connection the worker may have typed a code before this script arrived.
  if (uicInput.value.trim()) lookup();
  root.dataset.ready = "true";
})();
