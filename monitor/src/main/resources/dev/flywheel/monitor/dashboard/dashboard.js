// Flywheel monitor page: polls /api/state and draws every chart as hand-written SVG (no library, no network
// beyond this server). Each latest value is also written as text into an element with a stable id, which is what
// people read and what the browser test compares with /api/state and /metrics.
'use strict';

(() => {
  const SVG = 'http://www.w3.org/2000/svg';
  const POLL_MS = 1500;
  const STATE_URL = '/api/state' + location.search; // carries ?token= when the page was opened with one
  const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
  const RATES = [['right', '#2e8b57'], ['refuse', '#d89614'], ['wrong', '#c8453a']];
  const MAX_LINES = 8;
  const MAX_BARS = 10;
  const SEVERITY = ['OK', 'WARNING', 'REWIND', 'STALL', 'STOP'];
  const SERIES = {
    reward: 'scorer.reward.mean', kl: 'scorer.kl.mean', right: 'scorer.judge.right_rate',
    refuse: 'scorer.judge.refuse_rate', wrong: 'scorer.judge.wrong_rate',
    learnerReward: 'learner.reward_mean', learnerKl: 'learner.kl',
  };

  const $ = (id) => document.getElementById(id);
  const pad = (n) => String(n).padStart(2, '0');
  const clock = (ms) => { const d = new Date(ms); return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`; };
  const finite = (v) => v !== null && v !== undefined && Number.isFinite(Number(v));
  const unsigned0 = (text) => (/^-0\.?0*$/.test(text) ? text.slice(1) : text); // "-0.0000" reads as 0.0000
  const fixed = (v, digits) => (finite(v) ? unsigned0(Number(v).toFixed(digits)) : '–');
  const percent = (v) => (finite(v) ? `${(100 * v).toFixed(1)}%` : '–');
  const versionColor = (version) => PALETTE[((version % PALETTE.length) + PALETTE.length) % PALETTE.length];

  function setText(id, value, raw) {
    const element = $(id);
    element.textContent = value;
    if (raw !== undefined) {
      element.dataset.value = raw === null ? '' : String(raw);
    }
    return element;
  }

  function svgNode(name, attrs, parent, text) {
    const element = document.createElementNS(SVG, name);
    Object.entries(attrs).forEach(([key, value]) => element.setAttribute(key, value));
    if (text !== undefined) {
      element.textContent = text;
    }
    parent.appendChild(element);
    return element;
  }

  function htmlNode(name, parent, text, className) {
    const element = document.createElement(name);
    if (text !== undefined) {
      element.textContent = text;
    }
    if (className) {
      element.className = className;
    }
    parent.appendChild(element);
    return element;
  }

  // ---- axes ---------------------------------------------------------------------------------------------------

  function niceStep(span, count) {
    const raw = span / Math.max(1, count);
    const magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    const norm = raw / magnitude;
    const step = norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10;
    return step * magnitude;
  }

  function valueTicks(lo, hi, count) {
    const step = niceStep(hi - lo, count);
    const ticks = [];
    for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) {
      ticks.push(Math.abs(v) < step * 1e-9 ? 0 : v);
    }
    let digits = 0; // as many decimals as the step needs: 0.25 → 2, 5 → 0
    while (digits < 6 && Math.abs(step * 10 ** digits - Math.round(step * 10 ** digits)) > 1e-6) {
      digits += 1;
    }
    return { ticks, label: (v) => unsigned0(v.toFixed(digits)) };
  }

  const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400].map((s) => s * 1000);

  function timeTicks(lo, hi, count) {
    const raw = (hi - lo) / Math.max(1, count);
    const step = TIME_STEPS.find((s) => s >= raw) || TIME_STEPS[TIME_STEPS.length - 1];
    const offset = new Date(lo).getTimezoneOffset() * 60000; // ticks fall on round local times
    const ticks = [];
    for (let t = Math.ceil((lo - offset) / step) * step + offset; t <= hi; t += step) {
      ticks.push(t);
    }
    return { ticks, label: (t) => { const s = clock(t); return step >= 60000 ? s.slice(0, 5) : s; } };
  }

  function frame(svg) {
    const [, , width, height] = svg.getAttribute('viewBox').split(' ').map(Number);
    while (svg.firstChild) {
      svg.removeChild(svg.firstChild);
    }
    const margin = { left: 66, right: 34, top: 34, bottom: 44 };
    return { width, height, margin, plotWidth: width - margin.left - margin.right, plotHeight: height - margin.top - margin.bottom };
  }

  function axisLabels(svg, box, xLabel, yLabel) {
    const midY = box.margin.top + box.plotHeight / 2;
    svgNode('text', { x: 14, y: midY, transform: `rotate(-90 14 ${midY})`, 'text-anchor': 'middle', class: 'label' }, svg, yLabel);
    svgNode('text', { x: box.margin.left + box.plotWidth / 2, y: box.height - 6, 'text-anchor': 'middle', class: 'label' }, svg, xLabel);
    const bottom = box.margin.top + box.plotHeight;
    svgNode('line', { x1: box.margin.left, y1: bottom, x2: box.margin.left + box.plotWidth, y2: bottom, class: 'axis' }, svg);
    svgNode('line', { x1: box.margin.left, y1: box.margin.top, x2: box.margin.left, y2: bottom, class: 'axis' }, svg);
  }

  function yAxis(svg, box, scaleY, lo, hi, format) {
    const { ticks, label } = valueTicks(lo, hi, 5);
    ticks.forEach((v) => {
      const y = scaleY(v);
      svgNode('line', { x1: box.margin.left, y1: y, x2: box.margin.left + box.plotWidth, y2: y, class: 'grid' }, svg);
      svgNode('text', { x: box.margin.left - 6, y: y + 4, 'text-anchor': 'end', class: 'tick' }, svg, format ? format(v) : label(v));
    });
  }

  function legend(svg, box, items) {
    let x = box.margin.left;
    const y = 16;
    for (const item of items) {
      const width = 30 + item.name.length * 6.6;
      if (x + width > box.width - box.margin.right) {
        svgNode('text', { x, y: y + 4, class: 'tick' }, svg, '…');
        break;
      }
      if (item.bar) {
        svgNode('rect', { x, y: y - 5, width: 16, height: 10, fill: item.color }, svg);
      } else {
        svgNode('line', { x1: x, y1: y, x2: x + 18, y2: y, stroke: item.color, class: item.dashed ? 'line dashed' : 'line' }, svg);
      }
      svgNode('text', { x: x + 22, y: y + 4 }, svg, item.name);
      x += width;
    }
  }

  function waiting(svg, box, message) {
    svgNode('text', { x: box.margin.left + box.plotWidth / 2, y: box.margin.top + box.plotHeight / 2, 'text-anchor': 'middle', class: 'empty' }, svg, message);
  }

  // ---- charts -------------------------------------------------------------------------------------------------

  /** Lines over time: spec = {lines: [{name, color, dashed, points: [[t, y]]}], yLabel, yMin, yMax, yFormat}. */
  function lineChart(id, spec) {
    const figure = $(id);
    const svg = figure.querySelector('svg');
    const box = frame(svg);
    const lines = spec.lines.filter((line) => line.points.length > 0);
    const total = lines.reduce((n, line) => n + line.points.length, 0);
    figure.dataset.points = String(total);
    axisLabels(svg, box, 'time (local)', spec.yLabel);
    if (total === 0) {
      waiting(svg, box, 'waiting for data…');
      return;
    }
    const xs = lines.flatMap((line) => line.points.map((p) => p[0]));
    const ys = lines.flatMap((line) => line.points.map((p) => p[1]));
    let x0 = Math.min(...xs);
    let x1 = Math.max(...xs);
    if (x0 === x1) {
      x0 -= 30000;
      x1 += 30000;
    }
    let y0 = Math.min(...ys);
    let y1 = Math.max(...ys);
    // A flat series (up to noise below the shown precision, e.g. the KL of a policy equal to its reference) gets a
    // band around it rather than ticks a millionth apart.
    const flat = y1 - y0 < 1e-4 * Math.max(1, Math.abs(y0), Math.abs(y1));
    const padding = flat ? Math.max(Math.abs((y0 + y1) / 2) * 0.1, 0.05) : (y1 - y0) * 0.08;
    y0 = spec.yMin !== undefined ? Math.min(spec.yMin, y0) : y0 - padding;
    y1 = spec.yMax !== undefined ? Math.max(spec.yMax, y1) : y1 + padding;
    const scaleX = (t) => box.margin.left + ((t - x0) / (x1 - x0)) * box.plotWidth;
    const scaleY = (v) => box.margin.top + (1 - (v - y0) / (y1 - y0)) * box.plotHeight;
    yAxis(svg, box, scaleY, y0, y1, spec.yFormat);
    const time = timeTicks(x0, x1, Math.max(3, Math.floor(box.plotWidth / 110)));
    time.ticks.forEach((t) => {
      const x = scaleX(t);
      svgNode('line', { x1: x, y1: box.margin.top + box.plotHeight, x2: x, y2: box.margin.top + box.plotHeight + 4, class: 'axis' }, svg);
      svgNode('text', { x, y: box.margin.top + box.plotHeight + 17, 'text-anchor': 'middle', class: 'tick' }, svg, time.label(t));
    });
    for (const line of lines) {
      const points = [...line.points].sort((a, b) => a[0] - b[0]);
      const d = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${scaleX(p[0]).toFixed(1)} ${scaleY(p[1]).toFixed(1)}`).join(' ');
      const path = svgNode('path', { d, stroke: line.color, class: line.dashed ? 'line dashed' : 'line' }, svg);
      path.dataset.name = line.name;
      if (points.length <= 40) {
        points.forEach((p) => svgNode('circle', { cx: scaleX(p[0]).toFixed(1), cy: scaleY(p[1]).toFixed(1), r: 2.5, fill: line.color }, svg));
      }
    }
    legend(svg, box, lines);
  }

  /** Stacked right/refuse/wrong bars, an "in" and an "out" bar per version. */
  function evalChart(id, versions) {
    const figure = $(id);
    const svg = figure.querySelector('svg');
    const box = frame(svg);
    figure.dataset.points = String(versions.length);
    axisLabels(svg, box, '', 'share of answers');
    if (versions.length === 0) {
      waiting(svg, box, 'waiting for a version with eval.* metrics…');
      return;
    }
    const scaleY = (v) => box.margin.top + (1 - v) * box.plotHeight;
    yAxis(svg, box, scaleY, 0, 1, (v) => `${Math.round(v * 100)}%`);
    const group = box.plotWidth / versions.length;
    const barWidth = Math.min(34, group * 0.34);
    versions.forEach((version, i) => {
      const center = box.margin.left + group * (i + 0.5);
      [['in', version.in, center - barWidth * 0.6], ['out', version.out, center + barWidth * 0.6]].forEach(([side, rates, x]) => {
        let top = 0;
        RATES.forEach(([rate, color]) => {
          const share = finite(rates[rate]) ? Number(rates[rate]) : 0;
          const rect = svgNode('rect', { x: (x - barWidth / 2).toFixed(1), y: scaleY(top + share).toFixed(1), width: barWidth.toFixed(1), height: Math.max(0, scaleY(top) - scaleY(top + share)).toFixed(1), fill: color }, svg);
          svgNode('title', {}, rect, `v${version.version} ${side}-knowledge ${rate}: ${percent(share)}`);
          top += share;
        });
        svgNode('text', { x, y: box.margin.top + box.plotHeight + 13, 'text-anchor': 'middle', class: 'tick' }, svg, side);
      });
      svgNode('text', { x: center, y: box.margin.top + box.plotHeight + 27, 'text-anchor': 'middle' }, svg, `v${version.version}`);
    });
    legend(svg, box, RATES.map(([rate, color]) => ({ name: rate, color, bar: true })));
  }

  // ---- state → page -------------------------------------------------------------------------------------------

  function linesPerVersion(points, extra) {
    const byVersion = new Map();
    points.forEach((p) => {
      const key = p.version === null ? -1 : p.version;
      if (!byVersion.has(key)) {
        byVersion.set(key, []);
      }
      byVersion.get(key).push([p.at, p.value]);
    });
    const versions = [...byVersion.keys()].sort((a, b) => a - b).slice(-MAX_LINES);
    const lines = versions.map((v) => ({ name: v < 0 ? 'all versions' : `policy v${v}`, color: versionColor(v), points: byVersion.get(v) }));
    if (extra && extra.points.length > 0) {
      lines.push({ name: extra.name, color: '#444c56', dashed: true, points: extra.points.map((p) => [p.at, p.value]) });
    }
    return lines;
  }

  /** One point per window: the versions' values weighted by how many rollouts each judged. */
  function pooled(points) {
    const byTime = new Map();
    points.forEach((p) => {
      const weight = finite(p.count) && p.count > 0 ? p.count : 1;
      const sum = byTime.get(p.at) || [0, 0];
      byTime.set(p.at, [sum[0] + weight * p.value, sum[1] + weight]);
    });
    return [...byTime.entries()].map(([t, [total, weight]]) => [t, total / weight]);
  }

  function showLatest(state, key, id, format) {
    const point = state.latest[SERIES[key]];
    const element = setText(id, point ? format(point.value) : '–', point ? point.value : null);
    element.dataset.version = point && point.version !== null ? String(point.version) : '';
    return point;
  }

  function detail(id, point) {
    $(id).textContent = point
      ? `policy v${point.version}, window ending ${clock(point.at)}${finite(point.count) ? `, n=${point.count}` : ''}`
      : 'waiting for the scorer\u2019s first window';
  }

  function renderCards(state) {
    detail('latest-reward-detail', showLatest(state, 'reward', 'latest-reward', (v) => fixed(v, 4)));
    detail('latest-kl-detail', showLatest(state, 'kl', 'latest-kl', (v) => fixed(v, 4)));
    ['right', 'refuse', 'wrong'].forEach((rate) => showLatest(state, rate, `latest-${rate}-rate`, percent));

    const policies = state.versions.filter((v) => v.model === 'policy');
    setText('version-count', String(policies.length), policies.length);
    const newest = policies.length ? Math.max(...policies.map((v) => v.version)) : null;
    setText('latest-version', newest === null ? '–' : `v${newest}`, newest);

    const groups = state.lag.groups;
    const total = groups.reduce((n, g) => n + g.lagRecords, 0);
    setText('lag-total', state.lag.at > 0 ? String(total) : '–', state.lag.at > 0 ? total : null);
    setText('lag-groups', String(groups.length), groups.length);
    const worst = groups.map((g) => g.status).sort((a, b) => SEVERITY.indexOf(b) - SEVERITY.indexOf(a))[0];
    setText('lag-worst', worst || '–');

    setText('alarm-count', String(state.alarms.length), state.alarms.length);
    const last = state.alarms[state.alarms.length - 1];
    $('alarm-latest').textContent = last ? `last: ${last.kind} on ${last.series} at ${clock(last.at)}` : 'none raised';
    setText('points-read', String(state.pointsRead), state.pointsRead);
    setText('points-undecodable', String(state.undecodablePoints), state.undecodablePoints);
  }

  function renderCharts(state) {
    const series = state.series;
    lineChart('chart-reward', {
      yLabel: 'mean reward',
      lines: linesPerVersion(series[SERIES.reward] || [], { name: 'learner', points: series[SERIES.learnerReward] || [] }),
    });
    lineChart('chart-kl', {
      yLabel: 'mean KL (nats)', yMin: 0,
      lines: linesPerVersion(series[SERIES.kl] || [], { name: 'learner', points: series[SERIES.learnerKl] || [] }),
    });
    lineChart('chart-judge', {
      yLabel: 'share of judged answers', yMin: 0, yMax: 1, yFormat: (v) => `${Math.round(v * 100)}%`,
      lines: RATES.map(([rate, color]) => ({ name: rate, color, points: pooled(series[SERIES[rate]] || []) })),
    });
    const withEval = state.versions.filter((v) => v.model === 'policy' && 'eval.in.right' in v.metrics).slice(-MAX_BARS);
    const evalOf = (v, side) => ({ right: v.metrics[`eval.${side}.right`], refuse: v.metrics[`eval.${side}.refuse`], wrong: v.metrics[`eval.${side}.wrong`] });
    evalChart('chart-eval', withEval.map((v) => ({ version: v.version, in: evalOf(v, 'in'), out: evalOf(v, 'out') })));
    const newestEval = withEval[withEval.length - 1];
    const rates = (r) => `right ${percent(r.right)} · refuse ${percent(r.refuse)} · wrong ${percent(r.wrong)}`;
    $('latest-eval-in').textContent = newestEval ? rates(evalOf(newestEval, 'in')) : '–';
    $('latest-eval-out').textContent = newestEval ? rates(evalOf(newestEval, 'out')) : '–';

    const groups = [...new Set(state.lagHistory.flatMap((s) => Object.keys(s.recordsByGroup)))].sort();
    lineChart('chart-lag', {
      yLabel: 'lag (records)', yMin: 0, yFormat: (v) => (Number.isInteger(v) ? String(v) : v.toFixed(1)),
      lines: groups.map((group, i) => ({
        name: group, color: PALETTE[i % PALETTE.length],
        points: state.lagHistory.filter((s) => group in s.recordsByGroup).map((s) => [s.at, s.recordsByGroup[group]]),
      })),
    });
  }

  function renderTables(state) {
    const lagBody = $('lag-table').querySelector('tbody');
    lagBody.replaceChildren();
    if (state.lag.groups.length === 0) {
      htmlNode('td', htmlNode('tr', lagBody, undefined, 'empty'), state.lag.at > 0 ? 'no consumer group found' : 'no lag sample yet').colSpan = 6;
    }
    state.lag.groups.forEach((g) => {
      const row = htmlNode('tr', lagBody);
      row.dataset.group = g.group;
      row.dataset.lagRecords = String(g.lagRecords);
      htmlNode('td', row, g.group);
      htmlNode('td', row, g.state);
      htmlNode('span', htmlNode('td', row), g.status, `badge ${g.status}`);
      htmlNode('td', row, String(g.lagRecords), 'num lag-records');
      htmlNode('td', row, finite(g.maxLagSeconds) ? fixed(g.maxLagSeconds, 1) : '–', 'num lag-seconds');
      htmlNode('td', row, String(g.partitions.length), 'num');
    });

    const alarmList = $('alarms');
    alarmList.replaceChildren();
    if (state.alarms.length === 0) {
      htmlNode('li', alarmList, 'no alarm', 'empty');
    }
    [...state.alarms].reverse().slice(0, 50).forEach((a) => {
      const item = htmlNode('li', alarmList);
      item.dataset.kind = a.kind;
      htmlNode('time', item, clock(a.at));
      item.append(' ');
      htmlNode('span', item, a.kind, `kind ${a.kind}`);
      item.append(` ${a.series}${a.version !== null ? ` v${a.version}` : ''} (${fixed(a.value, 3)}): ${a.message}`);
    });

    const versionBody = $('versions-table').querySelector('tbody');
    versionBody.replaceChildren();
    if (state.versions.length === 0) {
      htmlNode('td', htmlNode('tr', versionBody, undefined, 'empty'), 'no version published yet').colSpan = 9;
    }
    [...state.versions].reverse().slice(0, 20).forEach((v) => {
      const row = htmlNode('tr', versionBody);
      row.dataset.model = v.model;
      row.dataset.version = String(v.version);
      const m = v.metrics;
      const triple = (side) => [m[`eval.${side}.right`], m[`eval.${side}.refuse`], m[`eval.${side}.wrong`]].map(percent).join(' / ');
      htmlNode('td', row, v.model === 'policy' ? `v${v.version}` : `${v.model} v${v.version}`);
      htmlNode('td', row, v.algo);
      htmlNode('td', row, v.parent === null ? '–' : `v${v.parent}`);
      htmlNode('td', row, String(v.step), 'num');
      htmlNode('td', row, clock(v.publishedAt));
      htmlNode('td', row, fixed(m['reward.mean'], 4), 'num');
      htmlNode('td', row, fixed(m['kl.mean'], 4), 'num');
      htmlNode('td', row, triple('in'), 'num');
      htmlNode('td', row, triple('out'), 'num');
    });
  }

  function render(state) {
    renderCards(state);
    renderCharts(state);
    renderTables(state);
    document.body.dataset.stateAt = String(state.at);
    document.body.dataset.renders = String(Number(document.body.dataset.renders || 0) + 1);
  }

  function connection(ok, message) {
    const element = $('connection');
    element.className = ok ? 'ok' : 'error';
    element.textContent = message;
  }

  async function poll() {
    try {
      const response = await fetch(STATE_URL, { cache: 'no-store' });
      if (response.status === 401) {
        connection(false, 'unauthorized: open this page with ?token=<the monitor\u2019s --auth-token>');
      } else if (!response.ok) {
        connection(false, `the monitor answered ${response.status}`);
      } else {
        render(await response.json());
        connection(true, '● live');
        $('updated').textContent = `updated ${clock(Date.now())}`;
      }
    } catch (error) {
      connection(false, `monitor unreachable (${error.message}); retrying`);
    } finally {
      setTimeout(poll, POLL_MS);
    }
  }

  poll();
})();
