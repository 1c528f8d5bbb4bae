/* The data centre's charts (ECharts) and map (Leaflet). Data comes from
   json_script blocks the server renders; every bar, point, slice and circle
   links to the cases behind it. */
(function () {
  "use strict";

  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function go(url) { if (url) { window.location.href = url; } }

  function chart(id, option, urls) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) { return null; }
    var c = window.echarts.init(el, null, { renderer: "canvas" });
    c.on("finished", function () { el.dataset.rendered = "1"; });
    c.setOption(option);
    c.on("click", function (p) {
      if (p.data && p.data.url) { go(p.data.url); } else if (urls && urls[p.dataIndex]) { go(urls[p.dataIndex]); }
    });
    window.addEventListener("resize", function () { c.resize(); });
    return c;
  }

  var palette = ["#2f6fb0", "#e07b39", "#3a9d5d", "#c2417a", "#7a5cc2", "#a0a0a0"];

  function charts(d) {
    var t = d.trend, pts = t.points, n = t.names;
    chart("chart-trend", {
      color: palette,
      tooltip: { trigger: "axis" },
      legend: { top: 0, type: "scroll" },
      grid: { left: 48, right: 48, top: 52, bottom: 32 },
      xAxis: { type: "category", data: pts.map(function (p) { return p.label; }) },
      yAxis: [{ type: "value", name: n.received, minInterval: 1 }, { type: "value", name: "%", min: 0, max: 100 }],
      series: [
        { name: n.received, type: "bar", data: pts.map(function (p) { return { value: p.received, url: p.url }; }) },
        { name: n.response, type: "line", yAxisIndex: 1, connectNulls: true, data: pts.map(function (p) { return p.response; }) },
        { name: n.resolution, type: "line", yAxisIndex: 1, connectNulls: true, data: pts.map(function (p) { return p.resolution; }) },
        { name: n.satisfaction, type: "line", yAxisIndex: 1, connectNulls: true, data: pts.map(function (p) { return p.satisfaction; }) }
      ]
    }, pts.map(function (p) { return p.url; }));
    var cats = d.categories.items.slice().reverse();
    chart("chart-categories", {
      color: palette, tooltip: {}, grid: { left: 120, right: 24, top: 8, bottom: 24 },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: cats.map(function (i) { return i.name; }), axisLabel: { width: 110, overflow: "truncate" } },
      series: [{ type: "bar", data: cats }]
    });
    chart("chart-channels", {
      color: palette, tooltip: { trigger: "item" },
      series: [{ type: "pie", radius: ["35%", "70%"], data: d.channels.items, label: { formatter: "{b}\n{c}" } }]
    });
    chart("chart-kinds", {
      color: palette, tooltip: {}, grid: { left: 40, right: 16, top: 8, bottom: 24 },
      xAxis: { type: "category", data: d.kinds.items.map(function (i) { return i.name; }) },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", data: d.kinds.items }]
    });
  }

  function map(d) {
    var el = document.getElementById("dc-map");
    if (!el || !window.L) { return; }
    var m = window.L.map(el, { zoomSnap: 0.25, attributionControl: !!el.dataset.tiles });
    if (el.dataset.tiles) { window.L.tileLayer(el.dataset.tiles, { maxZoom: 18 }).addTo(m); }
    var outline = d.boundary ? window.L.geoJSON(d.boundary, {
      style: { color: "#2f6fb0", weight: 2, fillColor: "#eef4fb", fillOpacity: el.dataset.tiles ? 0.1 : 0.6 }
    }) : null;
    // The view first: vector layers need it to draw.
    if (outline) { m.fitBounds(outline.getBounds(), { padding: [8, 8] }); outline.addTo(m); } else { m.setView([23.13, 113.28], 13); }
    var most = Math.max.apply(null, [1].concat(d.cells.map(function (c) { return c.count; })));
    d.cells.forEach(function (c) {
      window.L.rectangle(c.bounds, { stroke: false, fillColor: "#e07b39", fillOpacity: 0.15 + 0.6 * c.count / most })
        .bindTooltip(c.count + " " + d.labels.cases).addTo(m);
    });
    var top = Math.max.apply(null, [1].concat(d.circles.map(function (c) { return c.count; })));
    d.circles.forEach(function (c) {
      var street = c.kind === "street";
      window.L.circleMarker([c.lat, c.lng], {
        radius: (street ? 8 : 4) + (street ? 22 : 10) * Math.sqrt(c.count / top),
        color: street ? "#2f6fb0" : "#3a9d5d", weight: street ? 2 : 1, fillOpacity: street ? 0.15 : 0.5
      }).bindTooltip((street ? d.labels.street : d.labels.community) + " " + c.name + ": " + c.count + " " + d.labels.cases)
        .on("click", function () { go(c.url); }).addTo(m);
    });
    el.dataset.rendered = "1";
  }

  document.addEventListener("DOMContentLoaded", function () {
    var c = data("dc-charts");
    if (c) { charts(c); }
    var m = data("dc-map-data");
    if (m) { map(m); }
  });
}());
