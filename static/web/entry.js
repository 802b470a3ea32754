// The entry grid, sent through the API and kept in the browser while the connection is down.
//
// Every entry (one indicator at one place for one period) is written to localStorage as it is
// typed, under "poc-entry:<user>:<mission>:<period start>:<indicator>-<place>", with an idempotency key
// made once for it. The queue is sent on page load, when a figure changes, when the browser
// comes back online and on a retry timer that backs off. A new entry is created through the
// bulk endpoint with its key as `Idempotency-Key` and as its client id, and the body of its first
// attempt is kept: a retry after an answer that never arrived replays that answer, never a
// second record. An entry leaves the queue only once the server has acknowledged it.
(function () {
  "use strict";

  var configNode = document.getElementById("entry-config");
  var form = document.getElementById("entry-form");
  if (!configNode || !form) return;
  var config = JSON.parse(configNode.textContent);
  var text = JSON.parse(document.getElementById("entry-text").textContent);
  var statusBox = document.getElementById("send-status");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var prefix = "poc-entry:" + config.user + ":" + config.mission + ":";
  var plurals = new Intl.PluralRules(document.documentElement.lang || "en");
  var sending = false;
  var again = false; // asked to send while sending: go round once more
  var retryDelay = 0;
  var retryTimer = null;
  var savedCount = 0;

  function storageKey(entryKey) {
    return prefix + config.periodStart + ":" + entryKey;
  }

  function load(key) {
    try {
      return JSON.parse(window.localStorage.getItem(key));
    } catch (error) {
      return null;
    }
  }

  function store(key, item) {
    window.localStorage.setItem(key, JSON.stringify(item));
  }

  function queue() {
    var items = [];
    for (var i = 0; i < window.localStorage.length; i++) {
      var key = window.localStorage.key(i);
      if (key && key.indexOf(prefix) === 0) {
        var item = load(key);
        if (item) items.push({ key: key, item: item });
      }
    }
    return items;
  }

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return (b + 0x100).toString(16).slice(1);
    }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function inputsOf(entryKey) {
    return form.querySelectorAll('input[data-entry="' + entryKey + '"]');
  }

  // The figures typed for an entry, as the API takes them: one row per group given.
  function valuesOf(entryKey) {
    var groups = {};
    var order = [];
    inputsOf(entryKey).forEach(function (input) {
      if (input.value === "") return;
      var group = input.dataset.group;
      if (!groups[group]) {
        groups[group] = { disaggregation: group };
        order.push(group);
      }
      groups[group][input.dataset.figure] = input.value;
    });
    return order.map(function (group) { return groups[group]; });
  }

  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  function say(template, n) {
    return template[plurals.select(n)].replace("%(n)s", String(n));
  }

  function showCell(entryKey, words) {
    var cell = form.querySelector('[data-entry-state="' + entryKey + '"] .send-state');
    if (cell) cell.textContent = words;
  }

  function showStatus(extra) {
    var waiting = queue().filter(function (entry) { return !entry.item.refused; }).length;
    var parts = [];
    if (waiting) parts.push(say(text.waiting, waiting));
    if (waiting && !navigator.onLine) parts.push(text.offline);
    if (!waiting && savedCount) parts.push(say(text.saved, savedCount));
    if (extra) parts.push(extra);
    var words = parts.join(" ");
    if (statusBox.textContent !== words) statusBox.textContent = words;
    statusBox.hidden = !words;
    statusBox.classList.toggle("waiting", waiting > 0);
  }

  // Keep an entry as typed; an emptied entry with nothing on the server has nothing to send.
  function remember(entryKey) {
    var entry = config.entries[entryKey];
    var key = storageKey(entryKey);
    var values = valuesOf(entryKey);
    var item = load(key) || {
      entry: entryKey,
      indicator: entry.indicator,
      area: entry.area,
      periodStart: config.periodStart,
      periodEnd: config.periodEnd,
      observation: entry.observation,
      idempotencyKey: newKey(),
      sent: null
    };
    item.values = values;
    item.refused = null;
    if (!values.length && !item.observation && !item.sent) {
      window.localStorage.removeItem(key);
      showCell(entryKey, "");
    } else {
      store(key, item);
      showCell(entryKey, text.stateWaiting);
    }
    showStatus();
  }

  function request(method, url, body, idempotencyKey) {
    var headers = { "Accept": "application/json", "X-CSRFToken": csrf };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (idempotencyKey) headers["Idempotency-Key"] = idempotencyKey;
    return fetch(url, {
      method: method,
      headers: headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      return response.text().then(function (raw) {
        var data = null;
        try { data = raw ? JSON.parse(raw) : null; } catch (error) { data = null; }
        return { status: response.status, data: data };
      });
    });
  }

  function refusal(data) {
    if (data && data.errors && data.errors.length) {
      return data.errors.map(function (error) { return error.detail; }).join(" ");
    }
    return "";
  }

  // An entry refused for its contents is not sent again until it is typed again. Signed out
  // (or refused the session's token), the queue waits for the next page, signed in again;
  // anything else (no connection, 5xx, 429) is retried on the timer.
  function settled(status) {
    return status === 400 || status === 422;
  }

  function signedOut(status) {
    return status === 401 || status === 403;
  }

  function SignedOut() {}

  function done(key, item) {
    window.localStorage.removeItem(key);
    savedCount += 1;
    if (item.periodStart === config.periodStart && config.entries[item.entry]) {
      showCell(item.entry, text.stateSaved);
    }
  }

  // The answers below update the entry as it is stored now: it may have been typed again
  // while its request was on the way, and those figures must not be lost.
  function refuse(key, item, answer) {
    var now = load(key) || item;
    now.refused = refusal(answer.data) || String(answer.status);
    store(key, now);
    if (now.periodStart === config.periodStart) {
      showCell(now.entry, text.stateRefused + " " + now.refused);
    }
  }

  function created(key, item, id) {
    var sentValues = item.sent.values;
    var now = load(key) || item;
    now.observation = id;
    now.sent = null;
    var entry = config.entries[now.entry];
    if (now.periodStart === config.periodStart && entry) {
      entry.observation = id;
      entry.state = "draft";
    }
    if (same(now.values, sentValues)) {
      done(key, now);
      return Promise.resolve();
    }
    store(key, now); // typed again while the first figures were on their way: send those too
    return sendOne(key, now);
  }

  function sendOne(key, item) {
    if (!item.observation) {
      if (!item.sent) {
        item.sent = { values: item.values };
        store(key, item);
      }
      var row = {
        indicator: item.indicator,
        mission: config.mission,
        area: item.area,
        period_start: item.periodStart,
        period_end: item.periodEnd,
        client_id: item.idempotencyKey,
        values: item.sent.values
      };
      return request("POST", config.bulkUrl, [row], item.idempotencyKey).then(function (answer) {
        if (answer.status === 201) return created(key, item, answer.data[0].id);
        if (settled(answer.status)) return refuse(key, item, answer);
        throw signedOut(answer.status) ? new SignedOut() : new Error(String(answer.status));
      });
    }
    var url = config.listUrl + item.observation + "/";
    var values = item.values;
    var sent = values.length
      ? request("PATCH", url, { values: values }, item.idempotencyKey)
      : request("DELETE", url, undefined, item.idempotencyKey);
    return sent.then(function (answer) {
      var gone = !values.length && (answer.status === 204 || answer.status === 404);
      if (answer.status === 200 || gone) {
        var now = load(key);
        if (now && !same(now.values, values)) return sendOne(key, now);
        if (gone && config.entries[item.entry]) config.entries[item.entry].observation = null;
        return done(key, item);
      }
      if (settled(answer.status)) return refuse(key, item, answer);
      throw signedOut(answer.status) ? new SignedOut() : new Error(String(answer.status));
    });
  }

  function retryLater() {
    retryDelay = Math.min(retryDelay ? retryDelay * 2 : 2000, 60000);
    window.clearTimeout(retryTimer);
    retryTimer = window.setTimeout(flush, retryDelay);
  }

  // Send the waiting entries one after the other; stop at the first that cannot be sent.
  function flush() {
    if (sending) {
      again = true;
      return Promise.resolve(false);
    }
    if (!navigator.onLine) {
      showStatus();
      return Promise.resolve(false);
    }
    var waiting = queue().filter(function (entry) { return !entry.item.refused; });
    if (!waiting.length) {
      showStatus();
      return Promise.resolve(true);
    }
    sending = true;
    var chain = Promise.resolve();
    waiting.forEach(function (entry) {
      chain = chain.then(function () {
        var fresh = load(entry.key);
        return fresh ? sendOne(entry.key, fresh) : null;
      }).then(showStatus);
    });
    return chain.then(function () {
      sending = false;
      retryDelay = 0;
      showStatus();
      if (again) {
        again = false;
        return flush();
      }
      return true;
    }, function (error) {
      again = false;
      sending = false;
      if (error instanceof SignedOut) {
        showStatus(text.signedOut);
      } else {
        showStatus(text.retrying);
        retryLater();
      }
      return false;
    });
  }

  function submitAll() {
    if (!navigator.onLine) {
      showStatus(text.submitOffline);
      return;
    }
    flush().then(function (sent) {
      var pending = queue().filter(function (entry) {
        return entry.item.periodStart === config.periodStart;
      });
      if (pending.some(function (entry) { return entry.item.refused; })) {
        showStatus(text.fixFirst);
        return null;
      }
      if (!sent || pending.length) {
        showStatus(text.submitOffline);
        return null;
      }
      var refused = [];
      var chain = Promise.resolve();
      Object.keys(config.entries).forEach(function (entryKey) {
        var entry = config.entries[entryKey];
        if (!entry.observation || (entry.state !== "draft" && entry.state !== "returned")) return;
        chain = chain.then(function () {
          return request("POST", config.listUrl + entry.observation + "/submit/", {}).then(function (answer) {
            if (answer.status !== 200) refused.push(refusal(answer.data) || String(answer.status));
          });
        });
      });
      return chain.then(function () {
        if (refused.length) showStatus(text.submitRefused + " " + refused.join(" "));
        else window.location.reload();
      });
    }).catch(function () {
      showStatus(text.retrying);
    });
  }

  // Arrow keys move between the grid's inputs as between a spreadsheet's cells.
  function move(input, key) {
    var row = Number(input.dataset.row);
    var col = Number(input.dataset.col);
    var inputs = Array.prototype.filter.call(
      form.querySelectorAll("input[data-entry]"),
      function (other) { return !other.disabled; }
    );
    var best = null;
    var bestScore = Infinity;
    inputs.forEach(function (other) {
      var r = Number(other.dataset.row);
      var c = Number(other.dataset.col);
      var score = Infinity;
      if (key === "ArrowUp" && r < row) score = (row - r) * 1000 + Math.abs(c - col);
      if (key === "ArrowDown" && r > row) score = (r - row) * 1000 + Math.abs(c - col);
      if (key === "ArrowLeft" && r === row && c < col) score = col - c;
      if (key === "ArrowRight" && r === row && c > col) score = c - col;
      if (score < bestScore) {
        best = other;
        bestScore = score;
      }
    });
    if (best) {
      best.focus();
      best.select();
    }
  }

  form.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input.dataset || input.dataset.entry === undefined) return;
    if (["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight"].indexOf(event.key) === -1) return;
    event.preventDefault(); // in a number input the arrows would change the figure
    move(input, event.key);
  });

  form.addEventListener("input", function (event) {
    if (event.target.dataset && event.target.dataset.entry) remember(event.target.dataset.entry);
  });

  form.addEventListener("change", function (event) {
    if (event.target.dataset && event.target.dataset.entry) flush();
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var submitter = event.submitter;
    if (submitter && submitter.value === "submit") submitAll();
    else flush();
  });

  window.addEventListener("online", function () {
    retryDelay = 0;
    flush();
  });
  window.addEventListener("offline", function () { showStatus(); });

  // What this browser still holds for the period is shown in place of the server's figures.
  queue().forEach(function (entry) {
    var item = entry.item;
    if (item.periodStart !== config.periodStart || !config.entries[item.entry]) return;
    if (item.observation) config.entries[item.entry].observation = item.observation;
    inputsOf(item.entry).forEach(function (input) {
      var row = item.values.filter(function (v) { return v.disaggregation === input.dataset.group; })[0];
      input.value = row && row[input.dataset.figure] !== undefined ? row[input.dataset.figure] : "";
    });
    showCell(item.entry, item.refused ? text.stateRefused + " " + item.refused : text.stateWaiting);
  });
  flush();
})();
