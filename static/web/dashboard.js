// The dashboard's chart and map, drawn from the data the page carries (json_script); the
// page's tables hold the same numbers for readers without scripts or a pointer.
(function () {
  "use strict";

  function data(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function drawChart() {
    var series = data("dashboard-series");
    var canvas = document.getElementById("dashboard-chart");
    if (!series || !canvas || typeof Chart === "undefined") return;
    var suffix = series.percentage ? " %" : "";
    new Chart(canvas, {
      type: "line",
      data: {
        labels: series.labels,
        datasets: [
          { label: series.valueLabel, data: series.values, borderColor: "#0b5cad", backgroundColor: "#0b5cad", spanGaps: false },
          { label: series.targetLabel, data: series.targets, borderColor: "#b42318", backgroundColor: "#b42318", borderDash: [6, 4], pointRadius: 0, spanGaps: true }
        ]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { beginAtZero: true, ticks: { callback: function (value) { return value + suffix; } } } },
        plugins: { legend: { position: "bottom" } }
      }
    });
  }

  function popup(area, labels) {
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = area.name;
    box.appendChild(title);
    ["incidents", "alerts", "threats"].forEach(function (key) {
      var line = document.createElement("div");
      line.textContent = labels[key] + ": " + area[key];
      box.appendChild(line);
    });
    var link = document.createElement("a");
    link.href = area.url;
    link.textContent = labels.open;
    box.appendChild(link);
    return box;
  }

  function drawMap() {
    var config = data("dashboard-map-data");
    var container = document.getElementById("dashboard-map");
    if (!config || !container || typeof L === "undefined") return;
    var map = L.map(container, {
      scrollWheelZoom: false,
      zoomControl: false,
      attributionControl: Boolean(config.tileUrl)
    });
    // Leaflet's own buttons are titled in English
    L.control.zoom({ zoomInTitle: config.labels.zoomIn, zoomOutTitle: config.labels.zoomOut }).addTo(map);
    map.on("popupopen", function (event) {
      var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close) close.setAttribute("aria-label", config.labels.close);
    });
    if (config.tileUrl) {
      L.tileLayer(config.tileUrl, { attribution: config.attribution, maxZoom: 18 }).addTo(map);
    }
    var bounds = L.latLngBounds([]);
    var markers = L.featureGroup().addTo(map);
    config.areas.forEach(function (area) {
      var total = area.incidents + area.alerts + area.threats;
      L.circleMarker([area.lat, area.lng], {
        radius: 5 + 3 * Math.sqrt(total),
        color: "#08457f",
        weight: 1,
        fillColor: total ? "#b42318" : "#59636e",
        fillOpacity: 0.55
      }).bindPopup(popup(area, config.labels)).addTo(markers);
      bounds.extend([area.lat, area.lng]);
    });
    var legend = L.control({ position: "bottomleft" });
    legend.onAdd = function () {
      var box = L.DomUtil.create("div", "map-legend");
      box.textContent = config.labels.legend;
      return box;
    };
    legend.addTo(map);
    function fit() {
      if (bounds.isValid()) map.fitBounds(bounds.pad(0.3), { maxZoom: 9 });
      else map.setView([0, 20], 2);
    }
    fit();
    if (!config.country || typeof topojson === "undefined") return;
    fetch(config.outlines)
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (world) {
        if (!world) return;
        var countries = topojson.feature(world, world.objects.countries).features;
        var host = countries.filter(function (feature) { return feature.id === config.country; });
        if (!host.length) return;
        var outline = L.geoJSON(host, {
          style: { color: "#59636e", weight: 1, fillColor: "#ffffff", fillOpacity: config.tileUrl ? 0.1 : 1 },
          interactive: false
        }).addTo(map);
        outline.bringToBack();
        // the whole mission is seen in its country; an area's dashboard stays on its areas
        if (config.wholeMission || !bounds.isValid()) {
          var all = outline.getBounds();
          if (bounds.isValid()) all.extend(bounds);
          map.fitBounds(all);
        }
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawChart();
    drawMap();
  });
})();
