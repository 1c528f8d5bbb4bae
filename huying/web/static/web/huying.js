/* Huying console behaviour: live deadline clocks, keyboard shortcuts, the
   intake hints, and the citizen's "use my location". Pages work without it. */
(function () {
  "use strict";
  var body = document.body;

  // --- Clocks: "3d 4h left" turns amber, then red, without a reload. -------------------
  function span(ms) {
    var minutes = Math.floor(Math.abs(ms) / 60000);
    var days = Math.floor(minutes / 1440), hours = Math.floor((minutes % 1440) / 60), mins = minutes % 60;
    var t = body.dataset;
    if (days) return days + t.tDays + " " + hours + t.tHours;
    if (hours) return hours + t.tHours + " " + mins + t.tMinutes;
    return mins + t.tMinutes;
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll(".clock[data-due]").forEach(function (el) {
      var due = Date.parse(el.dataset.due), amber = Date.parse(el.dataset.amber);
      var state = now > due ? "late" : now >= amber ? "near" : "ok";
      el.classList.remove("ok", "near", "late");
      el.classList.add(state);
      el.textContent = (state === "late" ? body.dataset.tLate : body.dataset.tLeft).replace("%s", span(due - now));
    });
  }
  setInterval(tick, 30000);

  // --- Keyboard ------------------------------------------------------------------------------
  function typing(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }
  function rows() { return Array.prototype.slice.call(document.querySelectorAll("table.cases tbody tr")); }
  function focusRow(delta) {
    var all = rows(); if (!all.length) return;
    var at = all.findIndex(function (r) { return r.classList.contains("focused"); });
    var next = Math.max(0, Math.min(all.length - 1, at + delta));
    if (at >= 0) all[at].classList.remove("focused");
    all[next].classList.add("focused");
    var link = all[next].querySelector("a"); if (link) link.focus();
  }
  document.addEventListener("keydown", function (e) {
    if ((e.ctrlKey || e.metaKey) && e.key === "Enter") {
      var form = e.target.form || (e.target.closest && e.target.closest("form"));
      if (form) {
        e.preventDefault();
        var button = form.querySelector("[data-ctrl-enter]") || form.querySelector("button:not([type=button])");
        if (button) button.click(); else form.requestSubmit();
      }
      return;
    }
    if (typing(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === "/") {
      var q = document.getElementById("q");
      if (q) { e.preventDefault(); q.focus(); q.select(); }
    } else if (e.key === "j") { focusRow(1); }
    else if (e.key === "k") { focusRow(-1); }
    else {
      var shortcut = document.querySelector('[data-key="' + e.key + '"]');
      if (shortcut) { e.preventDefault(); shortcut.click(); }
    }
  });

  // --- Intake hints --------------------------------------------------------------------------
  // A select the operator changed by hand is theirs; hints only fill untouched ones.
  document.addEventListener("change", function (e) {
    if (e.isTrusted && e.target.matches && e.target.matches("select")) e.target.dataset.touched = "1";
  });
  function setSelect(id, value) {
    var el = document.getElementById(id);
    if (el && value && !el.dataset.touched && el.value !== value) el.value = value;
  }
  function applyHints(root) {
    var hints = root.querySelector ? root.querySelector("[data-hints]") : null;
    if (!hints) return;
    setSelect("id_street", hints.dataset.street);
    setSelect("id_community", hints.dataset.community);
    setSelect("id_lead", hints.dataset.lead);
  }
  document.addEventListener("htmx:afterSwap", function (e) { applyHints(e.target); });
  document.addEventListener("click", function (e) {
    var fill = e.target.closest && e.target.closest("[data-fill]");
    if (!fill) return;
    e.preventDefault();
    var target = document.getElementById(fill.dataset.fill);
    if (target) {
      target.value = fill.dataset.value;
      target.dispatchEvent(new Event("change", { bubbles: true }));
      target.focus();
    }
  });

  // --- The citizen's map point: "use my location", or a tap on the district's map -----------
  var marker = null, pointMap = null;
  function setPoint(lat, lng) {
    document.getElementById("id_lat").value = lat.toFixed(6);
    document.getElementById("id_lng").value = lng.toFixed(6);
    var out = document.getElementById("point-shown");
    if (out) out.textContent = lat.toFixed(5) + ", " + lng.toFixed(5);
    if (pointMap) {
      if (marker) marker.setLatLng([lat, lng]); else marker = window.L.marker([lat, lng]).addTo(pointMap);
    }
  }
  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("[data-locate]");
    if (!button || !navigator.geolocation) return;
    e.preventDefault();
    navigator.geolocation.getCurrentPosition(function (pos) {
      setPoint(pos.coords.latitude, pos.coords.longitude);
      if (pointMap) pointMap.setView([pos.coords.latitude, pos.coords.longitude], 16);
    }, function () {
      var out = document.getElementById("point-shown");
      if (out) out.textContent = button.dataset.failed || "";
    }, { timeout: 10000 });
  });
  window.addEventListener("load", function () {
    var el = document.getElementById("point-map"), data = document.getElementById("district-outline");
    if (!el || !data || !window.L) return;
    // No tiles unless the deployment has its own (nothing is fetched from outside): the outline orients.
    pointMap = window.L.map(el, { attributionControl: !!el.dataset.tiles });
    if (el.dataset.tiles) window.L.tileLayer(el.dataset.tiles, { maxZoom: 18 }).addTo(pointMap);
    var outline = window.L.geoJSON(JSON.parse(data.textContent), { style: { color: "#b4232a", weight: 2, fillOpacity: 0.05 } }).addTo(pointMap);
    pointMap.fitBounds(outline.getBounds());
    pointMap.on("click", function (e) { setPoint(e.latlng.lat, e.latlng.lng); });
    var lat = parseFloat(document.getElementById("id_lat").value), lng = parseFloat(document.getElementById("id_lng").value);
    if (!isNaN(lat) && !isNaN(lng)) setPoint(lat, lng);
  });
})();
