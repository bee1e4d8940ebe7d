// The dashboard's charts (ECharts) from the page's JSON: every bar says how many reports it
// holds, a click opens the reports behind it, and each chart downloads as PNG or SVG.
"use strict";

const FONT = { fontFamily: "Noto Sans CJK SC, sans-serif" };
const SVG_ICON = "path://M4 4h16v16H4z M8 14l3-4 3 3 2-2 2 3";
const yearName = (y) => (y === null ? "年度不明" : String(y));

// The reports list with the page's filters and these changed (null: keep the filter as it is).
function reportsUrl(query, changes) {
  const p = new URLSearchParams(query);
  for (const [k, v] of Object.entries(changes)) if (v !== null && v !== undefined) p.set(k, v);
  return "/reports" + (p.toString() ? "?" + p : "");
}

function download(name, blob) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

// The same chart drawn once more by the SVG renderer (server-side mode: no element needed).
function svgOf(chart) {
  const copy = echarts.init(null, null, { renderer: "svg", ssr: true, width: chart.getWidth(), height: chart.getHeight() });
  copy.setOption({ ...chart.getOption(), animation: false });
  const svg = copy.renderToSVGString();
  copy.dispose();
  return svg;
}

// PNG by ECharts' own button; SVG drawn again by the SVG renderer.
function toolbox(name, getChart) {
  const svg = () => download(name + ".svg", new Blob([svgOf(getChart())], { type: "image/svg+xml" }));
  return {
    right: 8,
    feature: {
      saveAsImage: { type: "png", name, title: "下载 PNG", pixelRatio: 2, backgroundColor: "#fff" },
      mySvg: { show: true, title: "下载 SVG", icon: SVG_ICON, onclick: svg },
    },
  };
}

function chart(id, name, option, onClick) {
  const el = document.getElementById(id);
  if (!el) return null;
  const c = echarts.init(el);
  c.setOption({ textStyle: FONT, toolbox: toolbox(name, () => c), ...option });
  c.on("click", (p) => { if (p.componentType === "series") window.location.href = onClick(p); });
  el.dataset.ready = "1";
  return c;
}

function setupDashboard() {
  const script = document.getElementById("chart-data");
  if (!script || typeof echarts === "undefined") return;
  const d = JSON.parse(script.textContent);
  const years = d.per_year.map((r) => yearName(r.year));
  const withReports = (key) => d.per_year.map((r) => ({ value: r[key], reports: r[key + "_reports"] }));
  const charts = [
    chart("chart-years", "历年申请数量", {
      tooltip: {
        trigger: "axis",
        formatter: (ps) => {
          const r = d.per_year[ps[0].dataIndex];
          return [`${years[ps[0].dataIndex]}：${r.reports} 份报告`]
            .concat(ps.map((p) => `${p.marker}${p.seriesName}：${p.value ?? "—"} 件（${p.data.reports} 份报告填写）`))
            .join("<br>");
        },
      },
      legend: { top: 0, left: 60, right: 70 },
      grid: { left: 50, right: 20, top: 56, bottom: 30 },
      xAxis: { type: "category", data: years },
      yAxis: { type: "value", name: "件" },
      series: [
        { name: "本年新收", type: "bar", stack: "a", data: withReports("new_received"), itemStyle: { color: "#b3261e" } },
        {
          name: "上年结转", type: "bar", stack: "a", data: withReports("carried_over"), itemStyle: { color: "#e8a09a" },
          label: { show: true, position: "top", formatter: (p) => `${d.per_year[p.dataIndex].reports} 份报告` },
        },
        { name: "办理结果总计", type: "line", data: withReports("total_processed"), itemStyle: { color: "#1f4e79" } },
      ],
    }, (p) => reportsUrl(d.query, { year: d.per_year[p.dataIndex].year })),
    chart("chart-coverage", "各年各地区报告数", {
      tooltip: { trigger: "item", formatter: (p) => `${p.name} · ${p.seriesName}：${p.value} 份报告` },
      legend: { type: "scroll", bottom: 0, left: 0, right: 0 },
      grid: { left: 50, right: 20, top: 40, bottom: 60 },
      xAxis: { type: "category", data: d.coverage.years.map(yearName) },
      yAxis: { type: "value", name: "份", minInterval: 1 },
      series: d.coverage.regions.map((g) => ({
        name: g.others ? `其他 ${g.regions} 个地区` : g.region === null ? "地区不明" : g.region,
        type: "bar", stack: "c", data: g.counts,
      })),
    }, (p) => {
      const g = d.coverage.regions[p.seriesIndex];
      const region = g.others || g.region === null ? null : g.region;
      return reportsUrl(d.query, { year: d.coverage.years[p.dataIndex], region });
    }),
    chart("chart-outcomes", "办理结果构成", {
      tooltip: { trigger: "item", formatter: (p) => `${p.name}：${p.value} 件（${p.percent}%，${p.data.reports} 份报告填写）` },
      legend: { bottom: 0 },
      color: ["#2e7d32", "#81c784", "#b3261e", "#f57c00", "#6d4c41", "#9e9e9e"],
      series: [{
        type: "pie", radius: ["35%", "65%"], center: ["50%", "45%"],
        label: { formatter: "{b}\n{d}%" },
        data: d.outcomes.filter((o) => o.value).map((o) => ({ name: o.label, value: o.value, reports: o.reports })),
      }],
    }, () => reportsUrl(d.query, {})),
    chart("chart-severity", "核对结果", {
      tooltip: { trigger: "item", formatter: (p) => `${p.name}：${p.value} 份报告` },
      grid: { left: 110, right: 40, top: 30, bottom: 30 },
      xAxis: { type: "value", name: "份", minInterval: 1 },
      yAxis: { type: "category", data: ["有错误", "有警告（无错误）", "无错误无警告"], inverse: true },
      series: [{
        type: "bar",
        label: { show: true, position: "right", formatter: "{c} 份" },
        data: [
          { value: d.severity.reports_with_errors, status: "error", itemStyle: { color: "#b3261e" } },
          { value: d.severity.reports_with_warnings_only, status: "warning", itemStyle: { color: "#f57c00" } },
          { value: d.severity.reports_clean, status: "ok", itemStyle: { color: "#2e7d32" } },
        ],
      }],
    }, (p) => reportsUrl(d.query, { status: p.data.status })),
  ].filter(Boolean);
  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
}

document.addEventListener("DOMContentLoaded", setupDashboard);
