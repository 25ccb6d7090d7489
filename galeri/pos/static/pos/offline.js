/* The offline counter (docs/offline-counter.md). No framework.

   IndexedDB "galeri-luring":
     state   {key: "device"}: the device (id, prefix, receipt prefix, session), receipt header,
             static QRIS, and "seq": the last receipt number used on this device;
     catalog products of the till's location (id, name, sku, barcode, price, stock);
     sales   the queue: one record per sale (client_sale_id, the payload, status
             "pending" | "sent" | "refused", reason).
   A sale and its receipt number are written in one IndexedDB transaction over state and sales,
   so numbers are gapless even with two tabs. Only the tab holding the Web Lock "galeri-sync"
   sends; it holds it until it closes, then the next tab takes over. Sending is idempotent on the
   server (client_sale_id), so a batch sent twice is one sale each. */
(function () {
  "use strict";
  const root = document.getElementById("offline");
  if (!root) return;
  const T = JSON.parse(document.getElementById("offline-texts").textContent);
  const $ = (id) => document.getElementById(id);
  const rupiah = (n) => "Rp " + Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  const fmt = (s, values) => s.replace(/%\((\w+)\)s/g, (_m, k) => String(values[k]));
  const channel = "BroadcastChannel" in window ? new BroadcastChannel("galeri-luring") : null;

  // --- IndexedDB ---------------------------------------------------------------------------------
  let dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise((resolve, reject) => {
        const open = indexedDB.open("galeri-luring", 1);
        open.onupgradeneeded = () => {
          const d = open.result;
          d.createObjectStore("state");
          d.createObjectStore("catalog", { keyPath: "id" });
          const sales = d.createObjectStore("sales", { keyPath: "client_sale_id" });
          sales.createIndex("status", "status");
        };
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
    }
    return dbPromise;
  }
  function tx(stores, mode, work) {
    return db().then((d) => new Promise((resolve, reject) => {
      const t = d.transaction(stores, mode);
      let out;
      Promise.resolve(work(t)).then((v) => { out = v; }, reject);
      t.oncomplete = () => resolve(out);
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error);
    }));
  }
  const req = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
  const getState = () => tx(["state"], "readonly", (t) => req(t.objectStore("state").get("device")));
  const allProducts = () => tx(["catalog"], "readonly", (t) => req(t.objectStore("catalog").getAll()));
  const pendingSales = () => tx(["sales"], "readonly", (t) => req(t.objectStore("sales").index("status").getAll("pending")));
  const refusedSales = () => tx(["sales"], "readonly", (t) => req(t.objectStore("sales").index("status").getAll("refused")));

  // --- Preparing (download the catalogue of the device named in ?perangkat=) ---------------------
  function prepare(deviceId) {
    return fetch(root.dataset.data.replace("/0/", "/" + deviceId + "/"), { credentials: "same-origin", redirect: "manual" })
      .then((r) => { if (!r.ok) throw new Error(T.prepare_failed); return r.json(); })
      .then((data) => tx(["state", "catalog"], "readwrite", (t) => {
        const states = t.objectStore("state");
        return req(states.get("device")).then((old) => {
          const same = old && old.device.id === data.device.id;
          const seq = Math.max(same ? old.seq : 0, data.device.last_sequence);
          states.put({ device: data.device, receipt: data.receipt, qris: data.qris, seq: seq, prepared_at: new Date().toISOString() }, "device");
          const catalog = t.objectStore("catalog");
          catalog.clear();
          data.products.forEach((p) => catalog.put(p));
        });
      }))
      .then(() => askPersist())
      .then(() => history.replaceState(null, "", root.dataset.scope));
  }
  // The same device, its catalogue and session refreshed (a new day of the bazaar): its prefix
  // and sequence stay, so its receipt numbers go on without a gap or a collision.
  function refresh() {
    if (!state || !navigator.onLine) { $("sync-note").textContent = T.refresh_offline; return; }
    const url = root.dataset.prepare.replace("/0/", "/" + state.device.till_id + "/");
    fetch(root.dataset.sync, { credentials: "same-origin", redirect: "manual", cache: "no-store" })
      .then((r) => { if (!r.ok) throw new Error(T.sign_in_again); return r.json(); })
      .then((token) => fetch(url, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": token.csrf_token },
        body: new URLSearchParams({ device: String(state.device.id) }),
      }))
      .then((r) => { if (!r.ok || !r.url.includes("perangkat=")) throw new Error(T.refresh_failed); })
      .then(() => prepare(state.device.id))
      .then(start)
      .then(() => { $("sync-note").textContent = T.refreshed; })
      .catch((error) => { $("sync-note").textContent = error.message; });
  }
  function askPersist() {
    if (!navigator.storage || !navigator.storage.persist) { $("persist").textContent = T.persist_unsupported; return Promise.resolve(); }
    return navigator.storage.persist().then((granted) => { $("persist").textContent = granted ? T.persist_yes : T.persist_no; });
  }
  function showPersisted() {
    if (navigator.storage && navigator.storage.persisted) {
      navigator.storage.persisted().then((yes) => { $("persist").textContent = yes ? T.persist_yes : T.persist_no; });
    }
  }

  // --- Selling ---------------------------------------------------------------------------------------
  let state = null;
  let products = [];
  let cart = []; // {product, quantity}
  const total = () => cart.reduce((s, l) => s + l.product.price * l.quantity, 0);

  function renderCart() {
    const body = $("cart").tBodies[0];
    body.textContent = "";
    cart.forEach((line, i) => {
      const tr = body.insertRow();
      tr.insertCell().textContent = line.product.name;
      const q = tr.insertCell();
      const input = document.createElement("input");
      input.type = "number"; input.min = "1"; input.value = line.quantity; input.className = "offline-qty";
      input.setAttribute("aria-label", fmt(T.quantity_of, { name: line.product.name }));
      input.addEventListener("change", () => { const n = parseInt(input.value, 10); if (n > 0) line.quantity = n; renderCart(); });
      q.appendChild(input);
      tr.insertCell().textContent = rupiah(line.product.price);
      tr.insertCell().textContent = rupiah(line.product.price * line.quantity);
      const del = document.createElement("button");
      del.type = "button"; del.className = "btn-small"; del.textContent = T.remove;
      del.addEventListener("click", () => { cart.splice(i, 1); renderCart(); });
      tr.insertCell().appendChild(del);
    });
    $("total").textContent = rupiah(total());
  }
  function add(product) {
    const line = cart.find((l) => l.product.id === product.id);
    if (line) line.quantity += 1; else cart.push({ product: product, quantity: 1 });
    const left = product.stock - cart.find((l) => l.product.id === product.id).quantity;
    $("scan-note").textContent = left < 0 ? fmt(T.beyond_stock, { name: product.name }) : "";
    $("scan-note").className = left < 0 ? "msg warn" : "msg";
    $("matches").textContent = "";
    renderCart();
  }
  function scan(event) {
    event.preventDefault();
    const text = $("code").value.trim();
    if (!text) return;
    const lower = text.toLowerCase();
    const exact = products.find((p) => p.barcode === text || p.sku.toLowerCase() === lower);
    $("code").value = "";
    if (exact) { add(exact); return; }
    const found = products.filter((p) => p.name.toLowerCase().includes(lower) || p.sku.toLowerCase().startsWith(lower)).slice(0, 20);
    const list = $("matches");
    list.textContent = "";
    $("scan-note").textContent = found.length ? "" : fmt(T.not_found, { text: text });
    found.forEach((p) => {
      const li = document.createElement("li");
      const b = document.createElement("button");
      b.type = "button"; b.className = "btn";
      b.textContent = p.name + " · " + p.sku + " · " + rupiah(p.price);
      b.addEventListener("click", () => { add(p); $("code").focus(); });
      li.appendChild(b);
      list.appendChild(li);
    });
  }

  // One IndexedDB transaction: the next number, the queued sale, the stock on the device.
  function record(payments) {
    const lines = cart.map((l) => ({ product: l.product.id, quantity: l.quantity, unit_price: l.product.price }));
    const names = cart.map((l) => ({ name: l.product.name, quantity: l.quantity, price: l.product.price }));
    return tx(["state", "sales", "catalog"], "readwrite", (t) => {
      const states = t.objectStore("state");
      return req(states.get("device")).then((s) => {
        s.seq += 1;
        states.put(s, "device");
        const sale = {
          client_sale_id: crypto.randomUUID(),
          status: "pending",
          receipt: s.device.receipt_prefix + String(s.seq).padStart(6, "0"),
          names: names,
          payload: {
            client_sale_id: null, device: s.device.id, sequence: s.seq, made_at: new Date().toISOString(),
            session_id: s.device.session_id, lines: lines, payments: payments,
          },
        };
        sale.payload.client_sale_id = sale.client_sale_id;
        t.objectStore("sales").put(sale);
        const catalog = t.objectStore("catalog");
        lines.forEach((l) => req(catalog.get(l.product)).then((p) => { if (p) { p.stock -= l.quantity; catalog.put(p); } }));
        state = s;
        return sale;
      });
    }).then((sale) => {
      cart = [];
      renderCart();
      showReceipt(sale);
      return loadCatalog();
    }).then(() => { changed(); wake(); });
  }
  function payCash(event) {
    event.preventDefault();
    const due = total();
    if (!cart.length) { $("scan-note").textContent = T.empty; return; }
    const raw = $("tendered").value.replace(/[^\d]/g, "");
    const tendered = raw ? parseInt(raw, 10) : due;
    if (tendered < due) { $("scan-note").textContent = T.short; return; }
    $("tendered").value = "";
    record([{ method: "cash", amount: due, tendered: tendered }]);
  }
  function showQris() {
    if (!cart.length) { $("scan-note").textContent = T.empty; return; }
    if (!state.qris) { $("scan-note").textContent = T.no_qris; return; }
    $("qris-img").src = state.qris;
    $("qris-amount").textContent = rupiah(total());
    $("qris").hidden = false;
  }
  function showReceipt(sale) {
    $("sell").hidden = true;
    $("receipt").hidden = false;
    $("r-unit").textContent = state.receipt.unit;
    $("r-address").textContent = state.receipt.address;
    $("r-code").textContent = sale.receipt;
    $("r-time").textContent = new Intl.DateTimeFormat("id-ID", { dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Jayapura" }).format(new Date(sale.payload.made_at)) + " WIT";
    const body = $("r-lines").tBodies[0];
    body.textContent = "";
    sale.names.forEach((l) => {
      const tr = body.insertRow();
      tr.insertCell().textContent = l.quantity + " × " + l.name;
      tr.insertCell().textContent = rupiah(l.quantity * l.price);
    });
    const amount = sale.payload.payments.reduce((s, p) => s + p.amount, 0);
    const pay = sale.payload.payments[0];
    $("r-total").textContent = rupiah(amount);
    $("r-paid").textContent = pay.method === "cash" ? fmt(T.paid_cash, { tendered: rupiah(pay.tendered), change: rupiah(pay.tendered - pay.amount) }) : T.paid_qris;
    $("r-state").textContent = T.receipt_offline;
    $("next").focus();
  }
  function nextSale() {
    $("receipt").hidden = true;
    $("qris").hidden = true;
    $("sell").hidden = false;
    $("code").focus();
  }

  // --- The counter of sales waiting, in every tab ----------------------------------------------------
  function changed() {
    showCounts();
    if (channel) channel.postMessage("changed");
  }
  function showCounts() {
    return Promise.all([pendingSales(), refusedSales()]).then(([pending, refused]) => {
      $("pending").textContent = String(pending.length);
      const box = $("refused");
      box.hidden = !refused.length;
      const list = box.querySelector("ul");
      list.textContent = "";
      refused.forEach((s) => { const li = document.createElement("li"); li.textContent = s.receipt + ": " + s.reason; list.appendChild(li); });
    });
  }
  function showNet() { $("net").textContent = navigator.onLine ? T.online : T.offline; }

  // --- Sending (only in the tab holding the lock) ----------------------------------------------------
  let wakeUp = null;
  function wake() { if (wakeUp) wakeUp(); }
  const sleep = (ms) => new Promise((resolve) => { const timer = setTimeout(resolve, ms); wakeUp = () => { clearTimeout(timer); resolve(); }; });

  function sendBatch() {
    return pendingSales().then((pending) => {
      if (!pending.length) return 0;
      pending.sort((a, b) => a.payload.sequence - b.payload.sequence);
      const batch = pending.slice(0, 50);
      const opts = { credentials: "same-origin", redirect: "manual", cache: "no-store" };
      return fetch(root.dataset.sync, opts)
        .then((r) => { if (!r.ok) throw new Error(T.sign_in_again); return r.json(); })
        .then((token) => fetch(root.dataset.sync, Object.assign({}, opts, {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-CSRFToken": token.csrf_token },
          body: JSON.stringify({ sales: batch.map((s) => s.payload) }),
        })))
        .then((r) => {
          if (r.type === "opaqueredirect" || r.status === 403) throw new Error(T.sign_in_again);
          return r.json().then((body) => { if (!r.ok) throw new Error(body.error || T.send_failed); return body; });
        })
        .then((body) => tx(["sales"], "readwrite", (t) => {
          const store = t.objectStore("sales");
          body.results.forEach((result) => {
            req(store.get(result.client_sale_id)).then((sale) => {
              if (!sale) return;
              sale.status = result.status === "refused" ? "refused" : "sent";
              sale.reason = result.reason || "";
              sale.sent_at = new Date().toISOString();
              store.put(sale);
            });
          });
        }).then(() => body.results.length));
    });
  }
  function sender() {
    $("sender").textContent = T.sender;
    root.dataset.sender = "yes";
    let delay = 2000;
    const loop = () => {
      if (!navigator.onLine) return sleep(3000).then(loop);
      return sendBatch().then((sent) => {
        delay = 2000;
        if (sent) { $("sync-note").textContent = fmt(T.sent, { n: sent }); changed(); return loop(); }
        return sleep(3000).then(loop);
      }, (error) => {
        $("sync-note").textContent = fmt(T.retry, { reason: error.message || T.send_failed, seconds: Math.round(delay / 1000) });
        const wait = delay;
        delay = Math.min(delay * 2, 60000);
        return sleep(wait).then(loop);
      });
    };
    return loop(); // never resolves while the page lives: the lock is held until the tab closes
  }

  // --- Start -----------------------------------------------------------------------------------------
  function loadCatalog() { return allProducts().then((list) => { products = list; }); }
  function start() {
    showNet();
    return getState().then((s) => {
      state = s;
      if (!s) return;
      $("device").textContent = fmt(T.device, { till: s.device.till, prefix: s.device.prefix, location: s.device.location });
      $("sell").hidden = false;
      $("refresh").hidden = false;
      return loadCatalog();
    });
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(root.dataset.sw, { scope: root.dataset.scope }).catch(() => null);
  }
  window.addEventListener("online", () => { showNet(); wake(); });
  window.addEventListener("offline", showNet);
  if (channel) channel.onmessage = () => { showCounts(); wake(); };
  $("scan").addEventListener("submit", scan);
  $("pay-cash").addEventListener("submit", payCash);
  $("pay-qris").addEventListener("click", showQris);
  $("qris-back").addEventListener("click", () => { $("qris").hidden = true; });
  $("qris-done").addEventListener("click", () => { const due = total(); $("qris").hidden = true; record([{ method: "qris", amount: due }]); });
  $("next").addEventListener("click", nextSale);
  $("print").addEventListener("click", () => window.print());
  $("send-now").addEventListener("click", wake);
  $("refresh").addEventListener("click", refresh);

  const wanted = new URLSearchParams(location.search).get("perangkat");
  const ready = wanted && navigator.onLine
    ? prepare(wanted).catch((error) => { $("sync-note").textContent = error.message; })
    : Promise.resolve(showPersisted());
  ready.then(start).then(showCounts).then(() => {
    root.dataset.ready = "yes";
    if (navigator.locks) {
      navigator.locks.request("galeri-sync", sender);
    } else {
      sender(); // no Web Locks: this tab sends (the server still keeps each sale once)
    }
  });
})();
